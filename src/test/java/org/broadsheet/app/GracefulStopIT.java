package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.CommentPosters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server ({@code broadsheet serve} in its own JVM) gets SIGTERM while readers post
 * comments: it stops accepting, finishes what it acknowledged, releases what it held and exits;
 * every comment it answered 201 for is in the database, and no delivery lease is left behind: mail
 * it had claimed from a mailing in progress (sent through a slow provider) is due again, and every
 * message the provider accepted is recorded as sent exactly once.
 */
class GracefulStopIT {

  @org.junit.jupiter.api.extension.RegisterExtension
  static final com.icegreen.greenmail.junit5.GreenMailExtension SMTP =
      new com.icegreen.greenmail.junit5.GreenMailExtension(
          com.icegreen.greenmail.util.ServerSetupTest.SMTP);

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sigtermDuringCommentPostsLosesNothingAcknowledged(@TempDir Path dataDir) throws Exception {
    // A slow mail provider, so the outbox has messages on the wire and claimed when the signal
    // comes.
    org.broadsheet.testing.FaultySmtpProxy slowSmtp =
        new org.broadsheet.testing.FaultySmtpProxy(
            com.icegreen.greenmail.util.ServerSetupTest.SMTP.getPort());
    slowSmtp.slowDown(Duration.ofMillis(40));
    org.broadsheet.testing.ServeProcess server =
        org.broadsheet.testing.ServeProcess.thisBuild(
            dataDir,
            java.util.Map.of(
                "BROADSHEET_SMTP_HOST", "127.0.0.1",
                "BROADSHEET_SMTP_PORT", Integer.toString(slowSmtp.port()),
                "BROADSHEET_SMTP_SECURITY", "none",
                "BROADSHEET_MAIL_FROM", "newsroom@news.example.org"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = server.base();
    long articleId =
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create(base + "/api/v1/articles?limit=1&fields=id"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("items")
            .path(0)
            .path("id")
            .asLong();
    assertThat(articleId).isPositive();
    CommentPosters posters = new CommentPosters(base, articleId, 6, "outlives a graceful stop.");
    Set<String> acknowledged = posters.acknowledged;
    // A mailing waits in the outbox (queued from outside, as another node would).
    int mails = 2000;
    try (Database database = Database.open(Backend.baseConfig(dataDir));
        org.broadsheet.mail.Outbox queue =
            new org.broadsheet.mail.Outbox(
                database.jdbi(), (m, id) -> {}, java.time.Clock.systemUTC(), "example.org")) {
      database
          .jdbi()
          .useTransaction(
              h -> {
                for (int i = 0; i < mails; i++) {
                  queue.enqueue(
                      h,
                      new org.broadsheet.mail.MailMessage(
                          "reader" + i + "@example.org",
                          "Stop test " + i,
                          "Text.\n",
                          null,
                          null,
                          "stop-test-" + i));
                }
              });
    }
    posters.awaitAcknowledged(100, Duration.ofSeconds(60));
    org.broadsheet.testing.Eventually.until(
        "mail flowing", Duration.ofSeconds(60), () -> SMTP.getReceivedMessages().length >= 10);
    assertThat(server.stop()).as("stopped within a minute of SIGTERM").isTrue();
    assertThat(posters.stop()).isTrue();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(100);
    assertThat(server.output())
        .as("a clean stop: no errors logged")
        .noneMatch(l -> l.contains(" ERROR "))
        .as("the log says the stop began and ended")
        .anyMatch(l -> l.contains("Stopping: no new requests"))
        .anyMatch(l -> l.contains("Stopped cleanly in"));
    // The figure for bench/RESULTS.md: how long the stop took with posts and a mailing under way.
    server.output().stream()
        .filter(l -> l.contains("Stopped cleanly in") || l.contains("handed back"))
        .forEach(l -> System.out.println("GracefulStopIT: " + l));
    long stoppedAt = System.currentTimeMillis();
    slowSmtp.close();
    List<String> delivered = new java.util.ArrayList<>();
    for (jakarta.mail.internet.MimeMessage m : SMTP.getReceivedMessages()) {
      delivered.add(m.getSubject());
    }

    try (Database database = Database.open(Backend.baseConfig(dataDir))) {
      database
          .jdbi()
          .useHandle(
              h -> {
                assertThat(h.createQuery("PRAGMA integrity_check").mapTo(String.class).one())
                    .isEqualTo("ok");
                List<String> stored =
                    h.createQuery("SELECT body FROM comments WHERE article_id = :a")
                        .bind("a", articleId)
                        .mapTo(String.class)
                        .list();
                assertThat(stored).containsAll(acknowledged);
                assertThat(
                        h.createQuery(
                                "SELECT COUNT(*) FROM webhook_deliveries WHERE lease_until IS NOT NULL")
                            .mapTo(Integer.class)
                            .one())
                    .as("no webhook lease held")
                    .isZero();
                assertThat(
                        h.createQuery(
                                "SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued'"
                                    + " AND next_attempt_at > :stopped")
                            .bind("stopped", stoppedAt)
                            .mapTo(Integer.class)
                            .one())
                    .as("no mail lease held: what was claimed and not sent is due again")
                    .isZero();
                List<String> recordedSent =
                    h.createQuery(
                            "SELECT subject FROM mail_outbox WHERE status = 'sent'"
                                + " AND subject LIKE 'Stop test %'")
                        .mapTo(String.class)
                        .list();
                assertThat(delivered)
                    .as("every message the provider accepted is recorded as sent, once")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(recordedSent);
                assertThat(recordedSent.size())
                    .as("the stop did not wait for the whole mailing")
                    .isLessThan(mails);
              });
    }
  }
}
