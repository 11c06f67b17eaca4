package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Cluster;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node killed with SIGKILL in the middle of a newsletter campaign that two nodes are sending:
 * every reader still gets the article, the only ones who get it twice are those whose message the
 * dead node had on the wire, and the dead node's claimed messages go out once its lease ends.
 */
class ClusterMailIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  static final int READERS = 300;
  static final int CONCURRENCY = 2;
  static final int LEASE_SECONDS = 5;

  @Test
  void aNodeKilledMidCampaignCostsAtMostTheMessagesItHadOnTheWire() throws Exception {
    try (Backend.TestDatabase database = Backend.POSTGRESQL.create()) {
      long article;
      try (Broadsheet app = Broadsheet.create(database.config(), Clock.systemUTC())) {
        app.articles().createSection("news", "News", "");
        app.articles().createAuthor("reporter", "Rita Reporter", "");
        article =
            app.articles()
                .create(
                    new ArticleDraft(
                        "",
                        "news",
                        "Night ferry returns",
                        "",
                        "Body.",
                        ArticleStatus.DRAFT,
                        null,
                        List.of("reporter"),
                        List.of(),
                        null))
                .id();
        app.database()
            .jdbi()
            .useHandle(
                h -> {
                  for (int i = 0; i < READERS; i++) {
                    long id =
                        h.createUpdate(
                                "INSERT INTO subscribers (email, status, frequency, created_at)"
                                    + " VALUES (:e, 'confirmed', 'each', 0)")
                            .bind("e", "reader" + i + "@example.org")
                            .executeAndReturnGeneratedKeys("id")
                            .mapTo(Long.class)
                            .one();
                    h.execute(
                        "INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id)"
                            + " SELECT ?, id FROM newsletters WHERE slug = 'news'",
                        id);
                  }
                });
      }
      Map<String, String> settings = new HashMap<>(TestApp.greenMail());
      settings.put("BROADSHEET_MAIL_CONCURRENCY", Integer.toString(CONCURRENCY));
      settings.put("BROADSHEET_MAIL_RATE", "40");
      settings.put("BROADSHEET_MAIL_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
      try (Cluster cluster = Cluster.start(2, database, settings)) {
        Cluster.Node doomed = cluster.node(0);
        Cluster.Node survivor = cluster.node(1);
        doomed.call("publish " + article);
        Eventually.until(
            "a fifth of the campaign has gone out",
            () -> SMTP.getReceivedMessages().length >= READERS / 5);
        doomed.kill();
        long killed = System.nanoTime();
        int atKill = SMTP.getReceivedMessages().length;

        Eventually.until(
            "every reader has the article",
            java.time.Duration.ofSeconds(60),
            () -> recipients().keySet().size() == READERS);
        long lastArrived = (System.nanoTime() - killed) / 1_000_000;
        Eventually.until(
            "the survivor has nothing left to send",
            () -> survivor.call("mail-idle").equals("true"));

        Map<String, List<String>> byReader = recipients();
        List<String> twice =
            byReader.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey)
                .toList();
        System.out.printf(
            "KILLED MID-CAMPAIGN readers=%d sent-before-kill=%d twice=%d (on the dead node's %d"
                + " connections) last-arrival=%d ms after the kill (lease %d s)%n",
            READERS, atKill, twice.size(), CONCURRENCY, lastArrived, LEASE_SECONDS);
        assertThat(twice.size())
            .as("readers mailed twice: only a message on one of the dead node's connections")
            .isLessThanOrEqualTo(CONCURRENCY);
        for (String reader : twice) {
          assertThat(byReader.get(reader).stream().distinct())
              .as("a repeat is the same message (same Message-ID)")
              .hasSize(1);
        }
        // Stranded messages wait out the lease (plus the two-batch allowance at this rate), then
        // the survivor's next delivery round (every 5 s) sends them.
        assertThat(lastArrived).isLessThan((LEASE_SECONDS + 1 + 5 + 5) * 1000L);
      }
    }
  }

  /** Each reader's received Message-IDs. */
  private static Map<String, List<String>> recipients() {
    Map<String, List<String>> byReader = new HashMap<>();
    try {
      for (MimeMessage m : SMTP.getReceivedMessages()) {
        byReader
            .computeIfAbsent(m.getAllRecipients()[0].toString(), k -> new java.util.ArrayList<>())
            .add(m.getMessageID());
      }
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
    return byReader;
  }
}
