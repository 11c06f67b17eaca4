package org.broadsheet.captcha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.altcha.altcha.Altcha;

/**
 * The self-hosted human check: ALTCHA-compatible proof-of-work challenges, HMAC-signed with the
 * site's key, carrying their expiry and the form they were issued for in the signed salt. A solved
 * challenge verifies once: its signature is spent in the database, so a replay fails on any node.
 * No third party is involved and no personal data leaves the site. Thread-safe.
 */
public final class ProofOfWork implements HumanCheck {

  /** The form field the widget fills in (ALTCHA's own name). */
  public static final String FIELD = "altcha";

  /** Forms a challenge may be bound to. */
  private static final Pattern BINDING =
      Pattern.compile("comment:[1-9][0-9]{0,17}|subscribe|signin");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A challenge as the widget receives it, in ALTCHA's JSON shape. */
  public record Challenge(
      String algorithm, String challenge, long maxnumber, String salt, String signature) {}

  private final HumanCheckKeys keys;
  private final SpentChallenges spent;
  private final HumanCheckMetrics metrics;
  private final Clock clock;
  private final Duration expiry;
  private final long maxNumber;

  public ProofOfWork(
      HumanCheckKeys keys,
      SpentChallenges spent,
      HumanCheckMetrics metrics,
      Clock clock,
      Duration expiry,
      long maxNumber) {
    this.keys = keys;
    this.spent = spent;
    this.metrics = metrics;
    this.clock = clock;
    this.expiry = expiry;
    this.maxNumber = maxNumber;
  }

  /** True for the form bindings challenges can be issued for, e.g. {@code comment:42}. */
  public static boolean isValidBinding(String binding) {
    return binding != null && BINDING.matcher(binding).matches();
  }

  public Duration expiry() {
    return expiry;
  }

  /** Issues a new challenge for the given form. */
  public Challenge issue(String binding) {
    if (!isValidBinding(binding)) {
      throw new IllegalArgumentException("Not a form a challenge can be issued for: " + binding);
    }
    HumanCheckKeys.Key key = keys.current();
    Instant expires = clock.instant().plus(expiry);
    Altcha.ChallengeOptions options =
        new Altcha.ChallengeOptions()
            .setAlgorithm(Altcha.Algorithm.SHA256)
            .setMaxNumber(maxNumber)
            .setHmacKey(key.secret())
            .setExpires(expires.getEpochSecond())
            .addParam("form", binding)
            .addParam("kid", Long.toString(key.id()));
    try {
      Altcha.Challenge created = Altcha.createChallenge(options);
      metrics.issued(binding);
      return new Challenge(
          created.algorithm, created.challenge, created.maxnumber, created.salt, created.signature);
    } catch (Exception e) {
      throw new IllegalStateException("Could not create a challenge", e);
    }
  }

  @Override
  public String name() {
    return "altcha";
  }

  @Override
  public String fieldName() {
    return FIELD;
  }

  @Override
  public HumanCheckResult verify(String response, String binding, String remoteIp) {
    return record(check(response, binding, null));
  }

  @Override
  public HumanCheckResult verify(
      String response, String binding, String remoteIp, org.jdbi.v3.core.Handle handle) {
    return record(check(response, binding, handle));
  }

  private HumanCheckResult record(HumanCheckResult result) {
    if (result.isPassed()) {
      metrics.solved(name());
    } else {
      metrics.failed(name(), result.failure());
    }
    return result;
  }

  private HumanCheckResult check(String response, String binding, org.jdbi.v3.core.Handle handle) {
    if (response == null || response.isBlank()) {
      return HumanCheckResult.failed(HumanCheckFailure.MISSING, "no answer");
    }
    if (response.length() > 4096) {
      return HumanCheckResult.failed(HumanCheckFailure.MALFORMED, "answer too long");
    }
    Altcha.Payload payload = new Altcha.Payload();
    Map<String, String> params;
    long took = -1;
    try {
      JsonNode json = JSON.readTree(Base64.getDecoder().decode(response.strip()));
      payload.algorithm = json.path("algorithm").asText("");
      payload.challenge = json.path("challenge").asText("");
      payload.number = json.path("number").asLong(-1);
      payload.salt = json.path("salt").asText("");
      payload.signature = json.path("signature").asText("");
      took = json.path("took").asLong(-1);
      params = Altcha.extractParams(payload.salt);
    } catch (Exception e) {
      return HumanCheckResult.failed(HumanCheckFailure.MALFORMED, "unreadable answer");
    }
    if (payload.challenge.isEmpty() || payload.signature.isEmpty() || payload.number < 0) {
      return HumanCheckResult.failed(HumanCheckFailure.MALFORMED, "incomplete answer");
    }
    long keyId;
    long expiresAt;
    try {
      keyId = Long.parseLong(params.getOrDefault("kid", ""));
      expiresAt = Long.parseLong(params.getOrDefault("expires", ""));
    } catch (NumberFormatException e) {
      return HumanCheckResult.failed(HumanCheckFailure.BAD_SIGNATURE, "salt without key or expiry");
    }
    var key = keys.forVerification(keyId);
    if (key.isEmpty() || !signatureMatches(key.get().secret(), payload)) {
      return HumanCheckResult.failed(HumanCheckFailure.BAD_SIGNATURE, "signature does not match");
    }
    boolean solved;
    try {
      solved = Altcha.verifySolution(payload, key.get().secret(), false);
    } catch (Exception e) {
      solved = false;
    }
    if (!solved) {
      return HumanCheckResult.failed(HumanCheckFailure.REJECTED, "wrong solution");
    }
    Instant expires = Instant.ofEpochSecond(expiresAt);
    if (!clock.instant().isBefore(expires)) {
      return HumanCheckResult.failed(HumanCheckFailure.EXPIRED, "expired at " + expires);
    }
    if (!binding.equals(params.get("form"))) {
      return HumanCheckResult.failed(
          HumanCheckFailure.WRONG_FORM,
          "issued for " + params.get("form") + ", used for " + binding);
    }
    boolean fresh =
        handle == null
            ? spent.spend(payload.signature, expires)
            : spent.spend(handle, payload.signature, expires);
    if (!fresh) {
      return HumanCheckResult.failed(HumanCheckFailure.ALREADY_USED, "replayed");
    }
    metrics.solveTime(took);
    return HumanCheckResult.passed(expires.minus(expiry));
  }

  private static boolean signatureMatches(String secret, Altcha.Payload payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] expected = mac.doFinal(payload.challenge.getBytes(StandardCharsets.UTF_8));
      byte[] given = HexFormat.of().parseHex(payload.signature);
      return MessageDigest.isEqual(expected, given);
    } catch (Exception e) {
      return false;
    }
  }

  /** Solves a challenge the way a browser does; for tests and load generators. */
  public static String solve(Challenge challenge, long tookMillis) {
    try {
      Altcha.Solution solution =
          Altcha.solveChallenge(
              challenge.challenge(),
              challenge.salt(),
              Altcha.Algorithm.SHA256,
              challenge.maxnumber(),
              0);
      if (solution == null) {
        throw new IllegalStateException("No solution within maxnumber");
      }
      String json =
          JSON.writeValueAsString(
              Map.of(
                  "algorithm", challenge.algorithm(),
                  "challenge", challenge.challenge(),
                  "number", solution.number,
                  "salt", challenge.salt(),
                  "signature", challenge.signature(),
                  "took", tookMillis));
      return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException("Could not solve the challenge", e);
    }
  }
}
