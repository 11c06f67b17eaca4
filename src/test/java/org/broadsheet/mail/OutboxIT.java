package org.broadsheet.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.broadsheet.config.Config;
import org.broadsheet.newsletter.Bounces;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.FaultySmtpProxy;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery against a real SMTP server (GreenMail), with a proxy in front that answers some
 * recipients as a provider would: 4xx (retry later) or 5xx (never).
 */
class OutboxIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  @TempDir Path temp;

  private static Config mail(int port, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put("BROADSHEET_SMTP_HOST", "127.0.0.1");
    values.put("BROADSHEET_SMTP_PORT", Integer.toString(port));
    values.put("BROADSHEET_SMTP_SECURITY", "none");
    values.put("BROADSHEET_MAIL_FROM", "newsroom@news.example.org");
    values.putAll(extra);
    return Config.load(values);
  }

  private static MailMessage message(String to, String key) {
    return new MailMessage(to, "Hello " + key, "Plain text.\n", "<p>HTML</p>", null, key);
  }

  private static Map<String, Object> row(Jdbi jdbi, String key) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT status, attempts, last_error FROM mail_outbox WHERE idempotency_key = :k")
                .bind("k", key)
                .mapToMap()
                .one());
  }

  @Test
  void aTemporaryRefusalIsRetriedAfterBackoffAndAPermanentOneIsNot() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestApp site = TestApp.start(Backend.SQLITE, false, Map.of(), clock);
        FaultySmtpProxy proxy = new FaultySmtpProxy(ServerSetupTest.SMTP.getPort())) {
      Jdbi jdbi = site.app().database().jdbi();
      proxy.failNext("flaky@example.org", 1, "451 4.3.0 Mailbox busy, try again later");
      proxy.failAlways("gone@example.org", "550 5.1.1 No such user here");
      try (Outbox outbox =
          new Outbox(
              jdbi,
              new SmtpTransport(mail(proxy.port(), Map.of()), clock),
              clock,
              "news.example.org")) {
        jdbi.useTransaction(
            h -> {
              outbox.enqueue(h, message("flaky@example.org", "flaky"));
              outbox.enqueue(h, message("gone@example.org", "gone"));
            });
        assertThat(outbox.deliverDue()).isZero();
        assertThat(SMTP.getReceivedMessages()).isEmpty();
        Map<String, Object> flaky = row(jdbi, "flaky");
        assertThat(flaky.get("status")).isEqualTo("queued");
        assertThat(((Number) flaky.get("attempts")).intValue()).isEqualTo(1);
        assertThat((String) flaky.get("last_error")).contains("451");
        Map<String, Object> gone = row(jdbi, "gone");
        assertThat(gone.get("status")).isEqualTo("failed");
        assertThat((String) gone.get("last_error")).contains("550");

        assertThat(outbox.deliverDue()).as("not before the backoff").isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(outbox.deliverDue()).isEqualTo(1);
        assertThat(row(jdbi, "flaky").get("status")).isEqualTo("sent");
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        assertThat(SMTP.getReceivedMessages()[0].getAllRecipients()[0].toString())
            .isEqualTo("flaky@example.org");

        clock.advance(Duration.ofHours(2));
        assertThat(outbox.deliverDue()).as("a 5xx is never retried").isZero();
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
      }
    }
  }

  @Test
  void connectionsAreReusedAndConcurrencyIsHonoured() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false);
        FaultySmtpProxy proxy = new FaultySmtpProxy(ServerSetupTest.SMTP.getPort())) {
      Jdbi jdbi = site.app().database().jdbi();
      java.time.Clock clock = java.time.Clock.systemUTC();
      try (Outbox outbox =
          new Outbox(
              jdbi,
              new SmtpTransport(mail(proxy.port(), Map.of()), clock),
              clock,
              "news.example.org",
              2,
              0)) {
        jdbi.useTransaction(
            h -> {
              for (int i = 0; i < 60; i++) {
                outbox.enqueue(h, message("reader" + i + "@example.org", "m" + i));
              }
            });
        assertThat(outbox.deliverDue()).isEqualTo(60);
        assertThat(SMTP.getReceivedMessages()).hasSize(60);
        assertThat(proxy.connections()).as("two reused connections, not sixty").isBetween(1, 2);
      }
    }
  }

  /**
   * A node that stops while it sends lets the messages on the wire finish and hands back the rest
   * of what it claimed at once: another node sends them straight away, not a lease later, and no
   * message goes out twice or is lost.
   */
  @Test
  void stoppingHandsBackClaimedMessagesAtOnce() throws Exception {
    // The database alone: a running site's own outbox would take part.
    try (org.broadsheet.storage.Database database =
        org.broadsheet.storage.Database.open(Backend.baseConfig(temp))) {
      database.migrate();
      Jdbi jdbi = database.jdbi();
      java.time.Clock clock = java.time.Clock.systemUTC();
      Map<String, Integer> sent = new java.util.concurrent.ConcurrentHashMap<>();
      MailTransport slow =
          (message, id) -> {
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            sent.merge(message.idempotencyKey(), 1, Integer::sum);
          };
      int total = 1000;
      Outbox stopping = new Outbox(jdbi, slow, clock, "news.example.org", 2, 0);
      jdbi.useTransaction(
          h -> {
            for (int i = 0; i < total; i++) {
              stopping.enqueue(h, message("reader" + i + "@example.org", "m" + i));
            }
          });
      stopping.start(Duration.ofMillis(20));
      org.broadsheet.testing.Eventually.until("some messages sent", () -> sent.size() > 20);
      stopping.stop();
      long sentByTheFirst = sent.size();

      Map<String, Object> after =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent,"
                              + " SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) AS queued,"
                              + " SUM(CASE WHEN status = 'queued' AND next_attempt_at > :now"
                              + " THEN 1 ELSE 0 END) AS held FROM mail_outbox")
                      .bind("now", clock.millis())
                      .mapToMap()
                      .one());
      assertThat(((Number) after.get("sent")).longValue())
          .as("every message the server accepted is recorded as sent")
          .isEqualTo(sentByTheFirst);
      assertThat(((Number) after.get("queued")).longValue())
          .as("the stop cut the round short")
          .isPositive()
          .isEqualTo(total - sentByTheFirst);
      assertThat(((Number) after.get("held")).longValue()).as("no lease left held").isZero();

      try (Outbox other = new Outbox(jdbi, slow, clock, "news.example.org", 2, 0)) {
        int rest = other.deliverDue();
        assertThat(rest).as("another node sends the rest now").isEqualTo(total - sentByTheFirst);
      }
      assertThat(sent).hasSize(total);
      assertThat(sent.values()).as("nothing sent twice").allMatch(n -> n == 1);
    }
  }

  @Test
  void aHardBounceStopsEveryKindOfMailToTheAddress() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      Jdbi jdbi = site.app().database().jdbi();
      java.time.Clock clock = java.time.Clock.systemUTC();
      try (Outbox outbox =
          new Outbox(
              jdbi,
              new SmtpTransport(mail(ServerSetupTest.SMTP.getPort(), Map.of()), clock),
              clock,
              "news.example.org")) {
        jdbi.useTransaction(h -> outbox.enqueue(h, message("bouncy@example.org", "first")));
        assertThat(outbox.deliverDue()).isEqualTo(1);
        long first = outbox.recent("sent", "bouncy@example.org", 1, 0).getFirst().id();
        String messageId = SMTP.getReceivedMessages()[0].getMessageID();
        assertThat(Outbox.rowOf(messageId)).contains(first);

        jdbi.useTransaction(h -> outbox.enqueue(h, message("bouncy@example.org", "queued-before")));
        Bounces bounces = new Bounces(jdbi, clock);
        Bounces.Outcome outcome =
            bounces.record(
                "Bouncy@Example.org", Bounces.Kind.HARD, messageId, "550 5.1.1 user unknown");
        assertThat(outcome.suppressed()).isTrue();
        jdbi.useTransaction(h -> outbox.enqueue(h, message("bouncy@example.org", "comment-reply")));
        assertThat(outbox.deliverDue()).isZero();
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        assertThat(row(jdbi, "queued-before").get("status")).isEqualTo("failed");
        assertThat(row(jdbi, "comment-reply").get("status")).isEqualTo("failed");
        assertThat((String) row(jdbi, "comment-reply").get("last_error")).contains("suppressed");
        assertThat(outbox.byId(first).orElseThrow().bounced()).isTrue();

        // Soft bounces suppress only when they repeat.
        assertThat(
                bounces
                    .record("full@example.org", Bounces.Kind.SOFT, null, "452 mailbox full")
                    .suppressed())
            .isFalse();
        bounces.record("full@example.org", Bounces.Kind.SOFT, null, "452 mailbox full");
        assertThat(bounces.record("full@example.org", Bounces.Kind.SOFT, null, "").suppressed())
            .isTrue();
      }
    }
  }

  @Test
  void dkimSignsWhenConfigured() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    Path key = temp.resolve("dkim.pem");
    Files.writeString(
        key,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      Jdbi jdbi = site.app().database().jdbi();
      java.time.Clock clock = java.time.Clock.systemUTC();
      Config config =
          mail(
              ServerSetupTest.SMTP.getPort(),
              Map.of(
                  "BROADSHEET_DKIM_DOMAIN", "news.example.org",
                  "BROADSHEET_DKIM_SELECTOR", "mail2026",
                  "BROADSHEET_DKIM_KEY_FILE", key.toString()));
      try (Outbox outbox =
          new Outbox(jdbi, new SmtpTransport(config, clock), clock, "news.example.org")) {
        jdbi.useTransaction(
            h ->
                outbox.enqueue(
                    h,
                    new MailMessage(
                        "reader@example.org",
                        "Подписка: новости недели",
                        "Текст.\n",
                        null,
                        "https://news.example.org/newsletter/unsubscribe?token=t",
                        "dkim")));
        assertThat(outbox.deliverDue()).isEqualTo(1);
      }
      MimeMessage received = SMTP.getReceivedMessages()[0];
      String header = received.getHeader("DKIM-Signature")[0].replaceAll("\\s+", "");
      assertThat(header)
          .contains("d=news.example.org", "s=mail2026", "a=rsa-sha256", "bh=")
          .containsIgnoringCase("list-unsubscribe");
      String b = header.substring(header.lastIndexOf("b=") + 2).replaceAll(";.*", "");
      assertThat(Base64.getDecoder().decode(b)).as("an RSA-2048 signature").hasSize(256);
      assertThat(received.getSubject()).isEqualTo("Подписка: новости недели");
    }
  }

  @Test
  void anUnreadableDkimKeyIsAClearConfigurationError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                mail(
                    25,
                    Map.of(
                        "BROADSHEET_DKIM_DOMAIN",
                        "news.example.org",
                        "BROADSHEET_DKIM_KEY_FILE",
                        temp.resolve("missing.pem").toString())))
        .hasMessageContaining("BROADSHEET_DKIM_KEY_FILE");
  }
}
