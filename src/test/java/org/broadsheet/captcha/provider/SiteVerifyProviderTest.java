package org.broadsheet.captcha.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.broadsheet.captcha.HumanCheckFailure;
import org.broadsheet.captcha.HumanCheckResult;
import org.broadsheet.captcha.HumanCheckResult.Outcome;
import org.broadsheet.captcha.provider.SiteVerifyProvider.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SiteVerifyProviderTest {

  // Characters that must be form-encoded, so a missing encoding step shows.
  private static final String SECRET = "0x4AAA-s3cr3t/k+y=";
  private static final String READER_IP = "203.0.113.7";
  private static final Duration PATIENT = Duration.ofSeconds(5);
  private static final Duration IMPATIENT = Duration.ofMillis(300);

  private HttpServer server;
  private ExecutorService serverThreads;
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicReference<String> lastBody = new AtomicReference<>();
  private final java.util.concurrent.CountDownLatch testOver =
      new java.util.concurrent.CountDownLatch(1);
  private final AtomicReference<String> lastContentType = new AtomicReference<>();
  private final AtomicReference<String> lastPath = new AtomicReference<>();

  @BeforeEach
  void startStandInService() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // Handlers run on their own threads so a "slow" answer, held until the test ends, cannot
    // block stop().
    serverThreads = Executors.newCachedThreadPool();
    server.setExecutor(serverThreads);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stopStandInService() {
    testOver.countDown();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void eachKindPassesAValidTokenAndSendsTheDocumentedFields(Kind kind) {
    HumanCheckResult result = check(provider(kind, FailureMode.REJECT), "ok", READER_IP);

    assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
    assertThat(lastPath.get()).isEqualTo("/" + kind.settingName());
    assertThat(lastContentType.get()).isEqualTo("application/x-www-form-urlencoded");
    assertThat(lastBody.get())
        .isEqualTo(
            "secret=" + URLEncoder.encode(SECRET, UTF_8) + "&response=ok&remoteip=" + READER_IP);
    assertThat(form(lastBody.get()))
        .containsEntry("secret", SECRET)
        .containsEntry("response", "ok")
        .containsEntry("remoteip", READER_IP);
  }

  @Test
  void tokenIsFormEncodedAndBlankAddressIsLeftOut() {
    String token = "ok ü&remoteip=1+2";

    HumanCheckResult result = check(provider(Kind.TURNSTILE, FailureMode.REJECT), token, " ");

    assertThat(result.isPassed()).isTrue();
    assertThat(lastBody.get()).contains("&response=ok+%C3%BC%26remoteip%3D1%2B2");
    assertThat(form(lastBody.get())).containsEntry("response", token).doesNotContainKey("remoteip");
  }

  @Test
  void missingResponseFailsWithoutAskingTheService() {
    SiteVerifyProvider provider = provider(Kind.HCAPTCHA, FailureMode.HOLD);

    for (String response : new String[] {null, "", "  \n"}) {
      HumanCheckResult result = check(provider, response, READER_IP);
      assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(result.failure()).isEqualTo(HumanCheckFailure.MISSING);
    }
    assertThat(requestCount).hasValue(0);
  }

  @Test
  void overlongResponseIsMalformedWithoutAskingTheService() {
    HumanCheckResult result =
        check(provider(Kind.TURNSTILE, FailureMode.REJECT), "ok".repeat(2049), READER_IP);

    assertThat(result.failure()).isEqualTo(HumanCheckFailure.MALFORMED);
    assertThat(requestCount).hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void reusedTokenIsAlreadyUsed(Kind kind) {
    HumanCheckResult result = check(provider(kind, FailureMode.HOLD), "dup", READER_IP);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.failure()).isEqualTo(HumanCheckFailure.ALREADY_USED);
    assertThat(result.detail()).startsWith(kind.settingName() + ": error-codes [");
  }

  @Test
  void turnstileDetailNamesTheErrorCodes() {
    HumanCheckResult result = check(provider(Kind.TURNSTILE, FailureMode.REJECT), "dup", "");

    assertThat(result.detail()).isEqualTo("turnstile: error-codes [timeout-or-duplicate]");
  }

  @Test
  void tokenTheServiceCannotReadIsMalformed() {
    HumanCheckResult result =
        check(provider(Kind.RECAPTCHA_V2, FailureMode.HOLD), "invalid", READER_IP);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.failure()).isEqualTo(HumanCheckFailure.MALFORMED);
  }

  @Test
  void lowV3ScoreIsRejected() {
    HumanCheckResult result =
        check(provider(Kind.RECAPTCHA_V3, FailureMode.HOLD), "low", READER_IP);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.failure()).isEqualTo(HumanCheckFailure.REJECTED);
    assertThat(result.detail()).isEqualTo("recaptcha-v3: score 0.1 below 0.5");
  }

  @Test
  void wrongV3ActionIsRejected() {
    HumanCheckResult result =
        check(provider(Kind.RECAPTCHA_V3, FailureMode.HOLD), "wrong-action", READER_IP);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.failure()).isEqualTo(HumanCheckFailure.REJECTED);
    assertThat(result.detail()).contains("login").contains("comment");
  }

  @Test
  void v3ActionIsNotCheckedWhenNoneIsExpected() {
    SiteVerifyProvider provider =
        new SiteVerifyProvider(
            Kind.RECAPTCHA_V3,
            SECRET,
            urlFor(Kind.RECAPTCHA_V3),
            0.5,
            null,
            FailureMode.REJECT,
            PATIENT,
            null);

    assertThat(check(provider, "wrong-action", READER_IP).isPassed()).isTrue();
  }

  @Test
  void scoresAreIgnoredForKindsOtherThanV3() {
    // hCaptcha's optional score is a risk score (higher is worse), not reCAPTCHA's.
    assertThat(check(provider(Kind.HCAPTCHA, FailureMode.REJECT), "low", READER_IP).isPassed())
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "bad-secret, REJECT, FAILED",
    "bad-secret, HOLD,   HOLD",
    "boom,       REJECT, FAILED",
    "boom,       HOLD,   HOLD",
    "garbage,    REJECT, FAILED",
    "garbage,    HOLD,   HOLD",
    "slow,       REJECT, FAILED",
    "slow,       HOLD,   HOLD"
  })
  void serviceOrConfigurationProblemsFollowTheFailureMode(
      String token, FailureMode mode, Outcome expected) {
    Duration timeout = token.equals("slow") ? IMPATIENT : PATIENT;
    SiteVerifyProvider provider =
        new SiteVerifyProvider(
            Kind.TURNSTILE, SECRET, urlFor(Kind.TURNSTILE), 0.5, null, mode, timeout, null);

    HumanCheckResult result = check(provider, token, READER_IP);

    assertThat(result.outcome()).isEqualTo(expected);
    assertThat(result.failure()).isEqualTo(HumanCheckFailure.UNAVAILABLE);
    assertThat(result.detail()).startsWith("turnstile: ");
  }

  @Test
  void badSecretIsReportedWithItsErrorCode() {
    HumanCheckResult result =
        check(provider(Kind.RECAPTCHA_V2, FailureMode.REJECT), "bad-secret", READER_IP);

    assertThat(result.detail()).isEqualTo("recaptcha-v2: error-codes [invalid-input-secret]");
  }

  @Test
  void slowServiceIsGivenUpOnAfterTheTimeout() {
    SiteVerifyProvider provider =
        new SiteVerifyProvider(
            Kind.HCAPTCHA,
            SECRET,
            urlFor(Kind.HCAPTCHA),
            0.5,
            null,
            FailureMode.HOLD,
            IMPATIENT,
            null);

    long started = System.nanoTime();
    HumanCheckResult result = check(provider, "slow", READER_IP);
    Duration waited = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result.outcome()).isEqualTo(Outcome.HOLD);
    assertThat(result.detail()).isEqualTo("hcaptcha: no answer within 300 ms");
    assertThat(waited).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void unreachableServiceFollowsTheFailureMode() throws IOException {
    int freedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      freedPort = socket.getLocalPort();
    }
    URI nobodyListens = URI.create("http://127.0.0.1:" + freedPort + "/turnstile");

    for (FailureMode mode : FailureMode.values()) {
      SiteVerifyProvider provider =
          new SiteVerifyProvider(
              Kind.TURNSTILE, SECRET, nobodyListens, 0.5, null, mode, PATIENT, null);
      HumanCheckResult result = check(provider, "ok", READER_IP);
      assertThat(result.outcome())
          .isEqualTo(mode == FailureMode.HOLD ? Outcome.HOLD : Outcome.FAILED);
      assertThat(result.failure()).isEqualTo(HumanCheckFailure.UNAVAILABLE);
    }
  }

  @Test
  void secretEchoedByTheServiceIsRedactedFromTheDetail() {
    HumanCheckResult result =
        check(provider(Kind.HCAPTCHA, FailureMode.REJECT), "echo-secret", READER_IP);

    assertThat(result.failure()).isEqualTo(HumanCheckFailure.UNAVAILABLE);
    assertThat(result.detail()).contains("[secret]");
  }

  @Test
  void secretIsKeptOutOfToString() {
    assertThat(provider(Kind.TURNSTILE, FailureMode.HOLD).toString())
        .contains("turnstile")
        .doesNotContain(SECRET);
  }

  @Test
  void namesAndFieldsComeFromTheKind() {
    SiteVerifyProvider provider = provider(Kind.RECAPTCHA_V3, FailureMode.REJECT);

    assertThat(provider.kind()).isEqualTo(Kind.RECAPTCHA_V3);
    assertThat(provider.name()).isEqualTo("recaptcha-v3");
    assertThat(provider.fieldName()).isEqualTo("g-recaptcha-response");
    assertThat(Kind.TURNSTILE.scriptUrl())
        .isEqualTo("https://challenges.cloudflare.com/turnstile/v0/api.js");
    assertThat(Kind.HCAPTCHA.frameSrc())
        .containsExactly("https://hcaptcha.com", "https://*.hcaptcha.com");
    assertThat(Kind.RECAPTCHA_V2.scriptSrc())
        .containsExactly("https://www.google.com", "https://www.gstatic.com");
    assertThat(Kind.TURNSTILE.connectSrc()).containsExactly("https://challenges.cloudflare.com");
  }

  @Test
  void kindsAreFoundByTheirSettingName() {
    assertThat(Kind.fromSetting("recaptcha-v2")).contains(Kind.RECAPTCHA_V2);
    assertThat(Kind.fromSetting(" Turnstile ")).contains(Kind.TURNSTILE);
    assertThat(Kind.fromSetting("hcaptcha")).contains(Kind.HCAPTCHA);
    assertThat(Kind.fromSetting("altcha")).isEmpty();
    assertThat(Kind.fromSetting(null)).isEmpty();
  }

  @Test
  void badSettingsAreRefusedAtConstruction() {
    assertThatThrownBy(
            () ->
                new SiteVerifyProvider(
                    Kind.HCAPTCHA, " ", null, 0.5, null, FailureMode.HOLD, PATIENT, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SiteVerifyProvider(
                    Kind.RECAPTCHA_V3, SECRET, null, 1.5, null, FailureMode.HOLD, PATIENT, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Verifies, and checks what every result must satisfy: the secret stays out of the detail. */
  private static HumanCheckResult check(
      SiteVerifyProvider provider, String response, String remoteIp) {
    HumanCheckResult result = provider.verify(response, "comment:42", remoteIp);
    assertThat(result.detail()).doesNotContain(SECRET);
    return result;
  }

  private SiteVerifyProvider provider(Kind kind, FailureMode mode) {
    return new SiteVerifyProvider(kind, SECRET, urlFor(kind), 0.5, "comment", mode, PATIENT, null);
  }

  private URI urlFor(Kind kind) {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/" + kind.settingName());
  }

  /** Speaks the siteverify dialect of the kind named by the path, per the token's scenario. */
  private void answer(HttpExchange exchange) throws IOException {
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
      requestCount.incrementAndGet();
      lastBody.set(body);
      lastContentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
      lastPath.set(exchange.getRequestURI().getPath());
      Kind kind = Kind.fromSetting(lastPath.get().substring(1)).orElseThrow();
      String token = form(body).getOrDefault("response", "");
      switch (token.startsWith("ok") ? "ok" : token) {
        case "ok" -> reply(exchange, 200, success(kind));
        case "dup" -> reply(exchange, 200, refusal(reuseCode(kind)));
        case "low" ->
            reply(
                exchange,
                200,
                """
                {"success":true,"score":0.1,"action":"comment",\
                "challenge_ts":"2024-05-01T12:00:00Z","hostname":"news.example.org"}\
                """);
        case "wrong-action" ->
            reply(
                exchange,
                200,
                """
                {"success":true,"score":0.9,"action":"login",\
                "challenge_ts":"2024-05-01T12:00:00Z","hostname":"news.example.org"}\
                """);
        case "bad-secret" -> reply(exchange, 200, refusal("invalid-input-secret"));
        case "echo-secret" -> reply(exchange, 200, refusal(form(body).get("secret")));
        case "boom" -> reply(exchange, 500, "Internal Server Error");
        case "garbage" -> reply(exchange, 200, "not json");
        case "slow" -> {
          // A service that does not answer within the client's timeout: it answers only once the
          // test is over.
          try {
            testOver.await();
          } catch (InterruptedException e) {
            return;
          }
          reply(exchange, 200, success(kind));
        }
        default -> reply(exchange, 200, refusal("invalid-input-response"));
      }
    } finally {
      exchange.close();
    }
  }

  private static String success(Kind kind) {
    String common = "\"challenge_ts\":\"2024-05-01T12:00:00Z\",\"hostname\":\"news.example.org\"";
    return switch (kind) {
      case RECAPTCHA_V2 -> "{\"success\":true," + common + "}";
      case RECAPTCHA_V3 -> "{\"success\":true,\"score\":0.9,\"action\":\"comment\"," + common + "}";
      case HCAPTCHA -> "{\"success\":true,\"credit\":false," + common + "}";
      case TURNSTILE ->
          "{\"success\":true,\"error-codes\":[],\"action\":\"comment\",\"cdata\":\"42\","
              + common
              + "}";
    };
  }

  private static String reuseCode(Kind kind) {
    return kind == Kind.HCAPTCHA ? "invalid-or-already-seen-response" : "timeout-or-duplicate";
  }

  private static String refusal(String errorCode) {
    return "{\"success\":false,\"error-codes\":[\"" + errorCode + "\"]}";
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, equals), UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), UTF_8));
      }
    }
    return fields;
  }
}
