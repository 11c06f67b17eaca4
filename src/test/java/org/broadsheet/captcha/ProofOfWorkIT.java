package org.broadsheet.captcha;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class ProofOfWorkIT {

  private static final Duration EXPIRY = Duration.ofMinutes(10);

  private final Backend backend;
  private Backend.TestDatabase testDatabase;
  private Database database;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private HumanCheckKeys keys;
  private SpentChallenges spent;
  private HumanCheckMetrics metrics;
  private ProofOfWork pow;

  ProofOfWorkIT(Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void open() {
    testDatabase = backend.create();
    database = Database.open(testDatabase.config());
    database.migrate();
    keys = new HumanCheckKeys(database.jdbi(), new SecureRandom(), clock, EXPIRY);
    spent = new SpentChallenges(database.jdbi());
    metrics = new HumanCheckMetrics(new SimpleMeterRegistry());
    pow = new ProofOfWork(keys, spent, metrics, clock, EXPIRY, 5_000);
  }

  @AfterEach
  void close() {
    database.close();
    testDatabase.close();
  }

  private String solved(String binding) {
    return ProofOfWork.solve(pow.issue(binding), 120);
  }

  @Test
  void aSolvedChallengePassesOnceForItsForm() {
    String answer = solved("comment:7");
    HumanCheckResult result = pow.verify(answer, "comment:7", "192.0.2.1");
    assertThat(result.isPassed()).isTrue();
    assertThat(result.startedAt()).isEqualTo(clock.instant());
    HumanCheckResult replay = pow.verify(answer, "comment:7", "192.0.2.1");
    assertThat(replay.failure()).isEqualTo(HumanCheckFailure.ALREADY_USED);
    assertThat(replay.failure().message()).contains("already used");
    assertThat(metrics.count("broadsheet.humancheck.issued", "form", "comment")).isEqualTo(1);
    assertThat(metrics.count("broadsheet.humancheck.solved", "check", "altcha")).isEqualTo(1);
    assertThat(
            metrics.count(
                "broadsheet.humancheck.failed", "check", "altcha", "reason", "already-used"))
        .isEqualTo(1);
  }

  @Test
  void challengesCarryExpiryAndFormInTheSignedSaltWithTheSplicingFix() {
    ProofOfWork.Challenge challenge = pow.issue("subscribe");
    assertThat(challenge.salt())
        .contains("?")
        .contains("expires=")
        .contains("form=subscribe")
        .endsWith("&");
    assertThat(challenge.maxnumber()).isEqualTo(5_000);
    assertThat(challenge.algorithm()).isEqualTo("SHA-256");
  }

  @Test
  void missingAndMalformedAnswersAreNamed() {
    assertThat(pow.verify("", "comment:7", "").failure()).isEqualTo(HumanCheckFailure.MISSING);
    assertThat(pow.verify(null, "comment:7", "").failure()).isEqualTo(HumanCheckFailure.MISSING);
    assertThat(pow.verify("not base64 !!", "comment:7", "").failure())
        .isEqualTo(HumanCheckFailure.MALFORMED);
    String notJson = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(pow.verify(notJson, "comment:7", "").failure())
        .isEqualTo(HumanCheckFailure.MALFORMED);
    String empty = Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(pow.verify(empty, "comment:7", "").failure()).isEqualTo(HumanCheckFailure.MALFORMED);
    assertThat(pow.verify("x".repeat(5000), "comment:7", "").failure())
        .isEqualTo(HumanCheckFailure.MALFORMED);
  }

  private static String edit(String answer, String from, String to) {
    String json = new String(Base64.getDecoder().decode(answer), StandardCharsets.UTF_8);
    assertThat(json).contains(from);
    return Base64.getEncoder()
        .encodeToString(json.replace(from, to).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aForgedSignatureOrAnotherSitesKeyIsRefused() {
    String answer = solved("comment:7");
    String json = new String(Base64.getDecoder().decode(answer), StandardCharsets.UTF_8);
    String signature = json.replaceAll(".*\"signature\":\"([0-9a-f]+)\".*", "$1");
    String forged = edit(answer, signature, "0".repeat(signature.length()));
    assertThat(pow.verify(forged, "comment:7", "").failure())
        .isEqualTo(HumanCheckFailure.BAD_SIGNATURE);

    HumanCheckKeys otherSite =
        new HumanCheckKeys(database.jdbi(), new SecureRandom(), clock, EXPIRY);
    assertThat(otherSite.current().id()).isEqualTo(keys.current().id());
    String unknownKey = edit(answer, "kid=" + keys.current().id(), "kid=999");
    assertThat(pow.verify(unknownKey, "comment:7", "").isPassed()).isFalse();
  }

  @Test
  void splicedSaltParametersDoNotVerify() {
    String answer = solved("comment:7");
    String json = new String(Base64.getDecoder().decode(answer), StandardCharsets.UTF_8);
    String expires = json.replaceAll(".*expires=([0-9]+).*", "$1");
    String later =
        edit(answer, "expires=" + expires, "expires=" + (Long.parseLong(expires) + 86_400));
    assertThat(pow.verify(later, "comment:7", "").isPassed()).isFalse();
    String otherForm = edit(answer, "form=comment%3A7", "form=comment%3A8");
    assertThat(pow.verify(otherForm, "comment:8", "").isPassed()).isFalse();
  }

  @Test
  void aWrongAnswerIsRejected() {
    String answer = solved("comment:7");
    String json = new String(Base64.getDecoder().decode(answer), StandardCharsets.UTF_8);
    String number = json.replaceAll(".*\"number\":([0-9]+).*", "$1");
    String wrong =
        edit(answer, "\"number\":" + number, "\"number\":" + (Long.parseLong(number) + 1));
    assertThat(pow.verify(wrong, "comment:7", "").failure()).isEqualTo(HumanCheckFailure.REJECTED);
  }

  @Test
  void anAnswerIsBoundToTheFormItWasIssuedFor() {
    assertThat(pow.verify(solved("comment:7"), "comment:8", "").failure())
        .isEqualTo(HumanCheckFailure.WRONG_FORM);
    assertThat(pow.verify(solved("comment:7"), "subscribe", "").failure())
        .isEqualTo(HumanCheckFailure.WRONG_FORM);
    assertThat(pow.verify(solved("subscribe"), "comment:7", "").failure())
        .isEqualTo(HumanCheckFailure.WRONG_FORM);
  }

  @Test
  void anExpiredAnswerSaysSoWithTheNextStep() {
    String answer = solved("comment:7");
    clock.advance(EXPIRY.plusSeconds(1));
    HumanCheckResult result = pow.verify(answer, "comment:7", "");
    assertThat(result.failure()).isEqualTo(HumanCheckFailure.EXPIRED);
    assertThat(result.failure().message())
        .isEqualTo("The verification expired. It has been renewed; please submit again.");
  }

  @Test
  void rotatedKeysKeepVerifyingTheirChallengesUntilTheyExpire() {
    String before = solved("comment:7");
    String alsoBefore = solved("comment:7");
    long oldKey = keys.current().id();
    keys.rotate();
    assertThat(keys.current().id()).isNotEqualTo(oldKey);
    assertThat(pow.verify(before, "comment:7", "").isPassed()).isTrue();
    assertThat(pow.verify(solved("comment:7"), "comment:7", "").isPassed()).isTrue();
    clock.advance(EXPIRY.plusMinutes(1));
    assertThat(pow.verify(alsoBefore, "comment:7", "").failure())
        .isEqualTo(HumanCheckFailure.BAD_SIGNATURE);
  }

  @Test
  void spentRecordsArePurgedAfterExpiry() {
    assertThat(pow.verify(solved("comment:7"), "comment:7", "").isPassed()).isTrue();
    assertThat(spent.count()).isEqualTo(1);
    assertThat(spent.purgeExpired(clock.instant())).isZero();
    clock.advance(EXPIRY.plusMinutes(2));
    assertThat(spent.purgeExpired(clock.instant())).isEqualTo(1);
    assertThat(spent.count()).isZero();
  }

  @Test
  void onlyKnownFormsGetChallenges() {
    assertThat(ProofOfWork.isValidBinding("comment:42")).isTrue();
    assertThat(ProofOfWork.isValidBinding("subscribe")).isTrue();
    assertThat(ProofOfWork.isValidBinding("comment:0")).isFalse();
    assertThat(ProofOfWork.isValidBinding("comment:abc")).isFalse();
    assertThat(ProofOfWork.isValidBinding("admin")).isFalse();
    assertThat(ProofOfWork.isValidBinding(null)).isFalse();
  }
}
