package org.broadsheet.captcha.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.captcha.HumanCheckFailure;
import org.broadsheet.captcha.HumanCheckResult;

/**
 * A human check backed by one of the optional third-party providers (reCAPTCHA v2 or v3, hCaptcha,
 * Cloudflare Turnstile): the provider's widget runs in the reader's browser and posts a token,
 * which this class confirms server-side with the provider's "siteverify" endpoint. Answers that
 * show a configuration or service problem, and a service that cannot be reached, are treated
 * according to the configured {@link FailureMode}, so a provider outage either rejects submissions
 * or holds them for moderation. The secret never appears in results, logs or {@link #toString()}.
 * Instances are immutable and thread-safe.
 */
public final class SiteVerifyProvider implements HumanCheck {

  /** The providers' tokens are far shorter; anything longer is not a token worth sending out. */
  static final int MAX_RESPONSE_LENGTH = 4096;

  // Remote strings end up in moderator views and logs, so they are kept short and printable.
  private static final int MAX_REMOTE_TEXT = 64;
  private static final int MAX_ERROR_CODES = 8;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Codes that describe the reader's token; every other code means our setup or their service.
  private static final Set<String> ALREADY_USED_CODES =
      Set.of(
          "timeout-or-duplicate",
          "already-seen-response",
          "invalid-or-already-seen-response",
          "expired-input-response");
  private static final String MISSING_CODE = "missing-input-response";
  private static final String MALFORMED_CODE = "invalid-input-response";

  /** The supported providers, with what the page and the server need to know about each. */
  public enum Kind {
    RECAPTCHA_V2(
        "recaptcha-v2",
        "https://www.google.com/recaptcha/api/siteverify",
        "g-recaptcha-response",
        "https://www.google.com/recaptcha/api.js",
        "https://www.google.com",
        "https://www.gstatic.com"),
    RECAPTCHA_V3(
        "recaptcha-v3",
        "https://www.google.com/recaptcha/api/siteverify",
        "g-recaptcha-response",
        "https://www.google.com/recaptcha/api.js",
        "https://www.google.com",
        "https://www.gstatic.com"),
    HCAPTCHA(
        "hcaptcha",
        "https://api.hcaptcha.com/siteverify",
        "h-captcha-response",
        "https://js.hcaptcha.com/1/api.js",
        "https://hcaptcha.com",
        "https://*.hcaptcha.com"),
    TURNSTILE(
        "turnstile",
        "https://challenges.cloudflare.com/turnstile/v0/siteverify",
        "cf-turnstile-response",
        "https://challenges.cloudflare.com/turnstile/v0/api.js",
        "https://challenges.cloudflare.com");

    private final String settingName;
    private final URI defaultVerifyUrl;
    private final String fieldName;
    private final String scriptUrl;
    // Each provider serves its script, its frames and its API calls from one set of origins.
    private final List<String> origins;

    Kind(
        String settingName,
        String defaultVerifyUrl,
        String fieldName,
        String scriptUrl,
        String... origins) {
      this.settingName = settingName;
      this.defaultVerifyUrl = URI.create(defaultVerifyUrl);
      this.fieldName = fieldName;
      this.scriptUrl = scriptUrl;
      this.origins = List.of(origins);
    }

    /** The name used in settings, logs and metrics, e.g. {@code turnstile}. */
    public String settingName() {
      return settingName;
    }

    /** The provider's own siteverify endpoint. */
    public URI defaultVerifyUrl() {
      return defaultVerifyUrl;
    }

    /** The form field the provider's widget fills with its token. */
    public String fieldName() {
      return fieldName;
    }

    /** The widget script the page loads. */
    public String scriptUrl() {
      return scriptUrl;
    }

    /** Origins the page's {@code script-src} must allow when this provider is chosen. */
    public List<String> scriptSrc() {
      return origins;
    }

    /** Origins the page's {@code frame-src} must allow when this provider is chosen. */
    public List<String> frameSrc() {
      return origins;
    }

    /** Origins the page's {@code connect-src} must allow when this provider is chosen. */
    public List<String> connectSrc() {
      return origins;
    }

    /** The kind with this settings name, ignoring case and surrounding blanks. */
    public static Optional<Kind> fromSetting(String setting) {
      if (setting == null) {
        return Optional.empty();
      }
      String wanted = setting.strip().toLowerCase(Locale.ROOT);
      for (Kind kind : values()) {
        if (kind.settingName.equals(wanted)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }

  private final Kind kind;
  private final String secret;
  private final URI verifyUrl;
  private final double minScore;
  private final String expectedAction;
  private final FailureMode failureMode;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * Creates a provider; the settings are checked here so that a bad configuration fails at start-up
   * rather than on a reader's submission.
   *
   * @param verifyUrl the siteverify endpoint, or {@code null} for the kind's default
   * @param minScore the lowest acceptable score from 0 to 1; only reCAPTCHA v3 is scored
   * @param expectedAction the action reCAPTCHA v3 must report, or {@code null} not to check it
   * @param client the HTTP client to use, or {@code null} for one without redirects whose connect
   *     timeout is {@code timeout}
   */
  public SiteVerifyProvider(
      Kind kind,
      String secret,
      URI verifyUrl,
      double minScore,
      String expectedAction,
      FailureMode failureMode,
      Duration timeout,
      HttpClient client) {
    this.kind = Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(secret, "secret");
    if (secret.isBlank()) {
      throw new IllegalArgumentException(kind.settingName + " needs a secret");
    }
    // Written as a positive range check so that NaN is refused as well.
    if (!(minScore >= 0 && minScore <= 1)) {
      throw new IllegalArgumentException("minScore must be between 0 and 1: " + minScore);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.secret = secret;
    this.verifyUrl = verifyUrl != null ? verifyUrl : kind.defaultVerifyUrl;
    this.minScore = minScore;
    this.expectedAction = expectedAction;
    this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
    this.timeout = timeout;
    // A redirect would resend the secret to wherever it points, so none are followed.
    this.client =
        client != null
            ? client
            : HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public String name() {
    return kind.settingName;
  }

  @Override
  public String fieldName() {
    return kind.fieldName;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The providers know nothing of our forms, so {@code binding} is not checked here; for
   * reCAPTCHA v3 the expected action plays that part.
   */
  @Override
  public HumanCheckResult verify(String response, String binding, String remoteIp) {
    if (response == null || response.isBlank()) {
      return failed(HumanCheckFailure.MISSING, "no response");
    }
    if (response.length() > MAX_RESPONSE_LENGTH) {
      return failed(
          HumanCheckFailure.MALFORMED,
          "response of " + response.length() + " characters, limit " + MAX_RESPONSE_LENGTH);
    }
    try {
      return ask(response, remoteIp);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("interrupted while waiting for the service");
    } catch (HttpTimeoutException | TimeoutException e) {
      return unavailable("no answer within " + timeout.toMillis() + " ms");
    } catch (IOException | RuntimeException e) {
      return unavailable("unreachable (" + describe(e) + ")");
    }
  }

  private HumanCheckResult ask(String response, String remoteIp)
      throws IOException, InterruptedException, TimeoutException {
    StringBuilder form = new StringBuilder();
    form.append("secret=").append(encode(secret));
    form.append("&response=").append(encode(response));
    if (remoteIp != null && !remoteIp.isBlank()) {
      form.append("&remoteip=").append(encode(remoteIp.strip()));
    }
    HttpRequest request =
        HttpRequest.newBuilder(verifyUrl)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> answer = send(request);
    int status = answer.statusCode();
    if (status < 200 || status > 299) {
      return unavailable("HTTP " + status);
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(answer.body());
    } catch (IOException e) {
      return unavailable("unreadable answer (" + e.getClass().getSimpleName() + ")");
    }
    if (json == null || !json.isObject() || !json.path("success").isBoolean()) {
      return unavailable("unreadable answer (no success flag)");
    }
    return judge(json);
  }

  /**
   * The request timeout only bounds the wait for the response headers, so the whole exchange is
   * bounded here too, lest a stalled body hold a request thread forever.
   */
  private HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException, TimeoutException {
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      return pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(cause);
    } finally {
      // Aborts the exchange if we gave up on it; a no-op once it has completed.
      pending.cancel(true);
    }
  }

  private HumanCheckResult judge(JsonNode json) {
    List<String> errorCodes = errorCodes(json);
    if (!json.get("success").booleanValue()) {
      return judgeRefusal(errorCodes);
    }
    if (kind != Kind.RECAPTCHA_V3) {
      return HumanCheckResult.passed();
    }
    JsonNode score = json.path("score");
    if (!score.isNumber()) {
      // Google only leaves the score out for v2 keys, so the settings mix up the versions.
      return unavailable("answer without a score; is the secret for reCAPTCHA v3?");
    }
    if (score.doubleValue() < minScore) {
      return failed(
          HumanCheckFailure.REJECTED, "score " + score.doubleValue() + " below " + minScore);
    }
    if (expectedAction != null) {
      String action = json.path("action").asText("");
      if (!expectedAction.equals(action)) {
        return failed(
            HumanCheckFailure.REJECTED,
            "action \"" + printable(action) + "\" instead of \"" + expectedAction + "\"");
      }
    }
    return HumanCheckResult.passed();
  }

  private HumanCheckResult judgeRefusal(List<String> errorCodes) {
    String what = "error-codes " + errorCodes;
    if (errorCodes.isEmpty()) {
      return failed(HumanCheckFailure.REJECTED, "not successful, no error-codes");
    }
    // Blaming the reader for our bad secret or their outage would hide the problem from us.
    boolean onlyAboutTheToken =
        errorCodes.stream()
            .allMatch(
                code ->
                    ALREADY_USED_CODES.contains(code)
                        || code.equals(MISSING_CODE)
                        || code.equals(MALFORMED_CODE));
    if (!onlyAboutTheToken) {
      return unavailable(what);
    }
    if (errorCodes.stream().anyMatch(ALREADY_USED_CODES::contains)) {
      return failed(HumanCheckFailure.ALREADY_USED, what);
    }
    if (errorCodes.contains(MISSING_CODE)) {
      return failed(HumanCheckFailure.MISSING, what);
    }
    return failed(HumanCheckFailure.MALFORMED, what);
  }

  private static List<String> errorCodes(JsonNode json) {
    JsonNode node = json.path("error-codes");
    List<String> codes = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode code : node) {
        if (codes.size() == MAX_ERROR_CODES) {
          break;
        }
        codes.add(printable(code.asText("")));
      }
    } else if (node.isTextual()) {
      // Some older answers carry a single code as a plain string.
      codes.add(printable(node.textValue()));
    }
    return codes;
  }

  private HumanCheckResult failed(HumanCheckFailure failure, String what) {
    return HumanCheckResult.failed(failure, detail(what));
  }

  private HumanCheckResult unavailable(String what) {
    return switch (failureMode) {
      case REJECT -> HumanCheckResult.failed(HumanCheckFailure.UNAVAILABLE, detail(what));
      case HOLD -> HumanCheckResult.hold(HumanCheckFailure.UNAVAILABLE, detail(what));
    };
  }

  // Details quote remote text, which a misbehaving endpoint could fill with what we sent it.
  private String detail(String what) {
    return (kind.settingName + ": " + what).replace(secret, "[secret]");
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + printable(message);
  }

  private static String printable(String text) {
    String shortened =
        text.length() > MAX_REMOTE_TEXT ? text.substring(0, MAX_REMOTE_TEXT) + "..." : text;
    return shortened.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "?");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SiteVerifyProvider["
        + kind.settingName
        + ", "
        + verifyUrl
        + ", minScore="
        + minScore
        + ", expectedAction="
        + expectedAction
        + ", failureMode="
        + failureMode
        + ", timeout="
        + timeout
        + "]";
  }
}
