package org.broadsheet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A newsroom member's HTTP client: keeps cookies like a browser, sends the page's CSRF token with
 * forms (taken from the last page it saw), and never follows redirects so tests see them.
 */
public final class Browserless {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;
  private String csrf = "";
  private final Map<String, String> always = new LinkedHashMap<>();

  public Browserless(String base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** Sends this header with every request from now on (as a browser sends its User-Agent). */
  public Browserless withHeader(String name, String value) {
    always.put(name, value);
    return this;
  }

  public String csrf() {
    return csrf;
  }

  /** The session cookie's value, or null. */
  public String sessionCookie() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().endsWith("bs_session"))
        .map(c -> c.getValue())
        .findFirst()
        .orElse(null);
  }

  public void setSessionCookie(String value) {
    var cookie = new java.net.HttpCookie("bs_session", value);
    cookie.setPath("/");
    cookie.setVersion(0);
    cookies.getCookieStore().add(URI.create(base), cookie);
  }

  public HttpResponse<String> get(String path) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build());
    remember(response);
    return response;
  }

  /** POSTs a form with the remembered CSRF token (unless the form has its own _csrf). */
  public HttpResponse<String> post(String path, Map<String, ?> form, String... headers) {
    Map<String, Object> all = new LinkedHashMap<>();
    if (!csrf.isEmpty()) {
      all.put("_csrf", csrf);
    }
    all.putAll(form);
    String body =
        all.entrySet().stream()
            .flatMap(
                e ->
                    (e.getValue() instanceof List<?> list ? list : List.of(e.getValue()))
                        .stream()
                            .map(
                                v ->
                                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                                        + "="
                                        + URLEncoder.encode(
                                            String.valueOf(v), StandardCharsets.UTF_8)))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", base)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = send(request.build());
    remember(response);
    return response;
  }

  /** POSTs a multipart form with one file and the remembered CSRF token. */
  public HttpResponse<String> postFile(
      String path, Map<String, String> fields, String fileField, String fileName, byte[] content) {
    String boundary = "----broadsheet" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("_csrf", csrf);
    all.putAll(fields);
    try {
      for (var field : all.entrySet()) {
        body.write(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\""
                    + field.getKey()
                    + "\"\r\n\r\n"
                    + field.getValue()
                    + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + fileField
                  + "\"; filename=\""
                  + fileName
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.write(content);
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    remember(response);
    return response;
  }

  private void remember(HttpResponse<String> response) {
    Matcher m = CSRF.matcher(response.body());
    if (m.find()) {
      csrf = m.group(1);
    }
  }

  public void forgetCsrf() {
    csrf = "";
  }

  private HttpResponse<String> send(HttpRequest request) {
    if (!always.isEmpty()) {
      HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
      always.forEach(copy::setHeader);
      request = copy.build();
    }
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Signs in (after GETting the sign-in page) and returns the response to the POST. */
  public HttpResponse<String> signIn(String email, String password) {
    get("/admin/sign-in");
    return post("/admin/sign-in", Map.of("email", email, "password", password, "next", "/admin"));
  }
}
