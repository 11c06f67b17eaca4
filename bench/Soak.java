import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.broadsheet.captcha.ProofOfWork;

/**
 * The soak's load: for SECONDS, at steady rates, readers open the front page and articles and
 * search, commenters post (each with a solved human check), and an editor publishes a new article
 * every minute. Talks to BASE (127.0.0.1) only and stops by itself; prints what it did and every
 * answer that was not what it should be. Run with the jar on the class path:
 *   java -cp target/broadsheet.jar bench/Soak.java BASE SECONDS EMAIL PASSWORD
 */
public class Soak {

  static final Pattern ARTICLE =
      Pattern.compile("href=\"(/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/[a-z0-9-]+)\"");
  static final Pattern ARTICLE_ID = Pattern.compile("data-article-id=\"(\\d+)\"");
  static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  static final String[] WORDS = {
    "harbour", "ferry", "council", "budget", "jazz", "reservoir", "school", "library", "storm",
    "election", "bridge", "festival", "hospital", "tram", "water", "football"
  };

  static final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  static final HttpClient reader =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Random random = new Random(42);
  static volatile List<String> articles = List.of();
  static String base;

  static void count(String what) {
    counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  static HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(HttpClient http, String path, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", base)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void expect(String what, HttpResponse<String> r, int... ok) {
    for (int status : ok) {
      if (r.statusCode() == status) {
        count(what);
        return;
      }
    }
    count(what + " unexpected " + r.statusCode());
  }

  static void task(String what, Callable action) {
    try {
      action.run();
    } catch (Exception e) {
      count(what + " failed: " + e.getClass().getSimpleName());
    }
  }

  interface Callable {
    void run() throws Exception;
  }

  static void refreshArticles() throws Exception {
    List<String> found = new ArrayList<>();
    Matcher m = ARTICLE.matcher(get(reader, "/").body());
    while (m.find()) {
      if (!found.contains(m.group(1))) {
        found.add(m.group(1));
      }
    }
    if (!found.isEmpty()) {
      articles = found;
    }
  }

  static String anyArticle() {
    List<String> list = articles;
    return list.get(random.nextInt(list.size()));
  }

  public static void main(String[] args) throws Exception {
    base = args[0];
    long seconds = Long.parseLong(args[1]);
    String email = args[2];
    String password = args[3];
    refreshArticles();

    HttpClient editor =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    get(editor, "/admin/sign-in");
    HttpResponse<String> signedIn =
        post(
            editor,
            "/admin/sign-in",
            Map.of("email", email, "password", password, "next", "/admin"));
    if (signedIn.statusCode() != 303) {
      throw new IllegalStateException("sign-in answered " + signedIn.statusCode());
    }

    ScheduledExecutorService timer = Executors.newScheduledThreadPool(6);
    long startNanos = System.nanoTime();
    timer.scheduleAtFixedRate(
        () -> task("article page", () -> expect("article page", get(reader, anyArticle()), 200)),
        0,
        50,
        TimeUnit.MILLISECONDS); // 20 a second
    timer.scheduleAtFixedRate(
        () -> task("front page", () -> expect("front page", get(reader, "/"), 200)),
        0,
        500,
        TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(
        () ->
            task(
                "search",
                () -> {
                  String q = WORDS[random.nextInt(WORDS.length)] + "+" + WORDS[random.nextInt(WORDS.length)];
                  expect("search", get(reader, "/search?q=" + q), 200);
                }),
        0,
        500,
        TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(
        () ->
            task(
                "comment",
                () -> {
                  String path = anyArticle();
                  Matcher id = ARTICLE_ID.matcher(get(reader, path).body());
                  if (!id.find()) {
                    count("comment: no form");
                    return;
                  }
                  String article = id.group(1);
                  JsonNode c =
                      JSON.readTree(
                          get(reader, "/api/human-check/challenge?form=comment:" + article).body());
                  ProofOfWork.Challenge challenge =
                      JSON.treeToValue(c, ProofOfWork.Challenge.class);
                  long n = counts.getOrDefault("comment", new AtomicLong()).get();
                  expect(
                      "comment",
                      post(
                          reader,
                          "/api/articles/" + article + "/comments",
                          Map.of(
                              "comment",
                              "Soak comment " + n + " at " + System.nanoTime(),
                              "name",
                              "Soak Reader",
                              "email",
                              "reader" + (n % 50) + "@example.org",
                              "altcha",
                              ProofOfWork.solve(challenge, 2000))),
                      201);
                }),
        1,
        5,
        TimeUnit.SECONDS);
    timer.scheduleAtFixedRate(
        () ->
            task(
                "publish",
                () -> {
                  Matcher token = CSRF.matcher(get(editor, "/admin/articles/new").body());
                  if (!token.find()) {
                    count("publish: no form");
                    return;
                  }
                  long n = counts.getOrDefault("publish", new AtomicLong()).get();
                  String author =
                      Pattern.compile("name=\"authors\" value=\"([a-z0-9-]+)\"")
                          .matcher(get(editor, "/admin/articles/new").body())
                          .results()
                          .map(r -> r.group(1))
                          .findFirst()
                          .orElse("");
                  expect(
                      "publish",
                      post(
                          editor,
                          "/admin/articles",
                          Map.of(
                              "_csrf", token.group(1),
                              "headline", "Soak bulletin number " + n + " on the harbour ferry",
                              "section", "city",
                              "body", "The council met again. " + "Words about the ferry. ".repeat(40),
                              "tags", "Soak, Harbour",
                              "authors", author,
                              "action", "publish")),
                      303);
                  refreshArticles();
                }),
        10,
        60,
        TimeUnit.SECONDS);
    Thread.sleep(seconds * 1000);
    timer.shutdown();
    timer.awaitTermination(60, TimeUnit.SECONDS);
    long took = (System.nanoTime() - startNanos) / 1_000_000_000L;
    System.out.println("Soak load for " + took + " s:");
    counts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> System.out.println("  " + e.getKey() + ": " + e.getValue().get()));
  }
}
