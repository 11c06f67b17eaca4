package org.broadsheet.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.broadsheet.account.Actor;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Readers of the "Breaking" newsletter (which follows the tag breaking) get a key event of a live
 * story tagged breaking as it is marked, once each however often it is marked again; readers of the
 * general newsletter do not get every key event.
 */
class LiveMailingIT {

  private static void subscriber(Jdbi jdbi, String email, String newsletter) {
    jdbi.useHandle(
        h -> {
          long id =
              h.createUpdate(
                      "INSERT INTO subscribers (email, status, frequency, created_at)"
                          + " VALUES (:e, 'confirmed', 'daily', 0)")
                  .bind("e", email)
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          h.execute(
              "INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id)"
                  + " SELECT ?, id FROM newsletters WHERE slug = ?",
              id,
              newsletter);
        });
  }

  private static List<String> keyEventMails(Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT recipient || ' ' || subject FROM mail_outbox"
                        + " WHERE idempotency_key LIKE 'live:%' ORDER BY id")
                .mapTo(String.class)
                .list());
  }

  @Test
  void aKeyEventIsMailedToBreakingReadersOnce() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Actor desk = Actor.system("live desk");
      Jdbi jdbi = site.app().database().jdbi();
      site.app()
          .subscriptions()
          .newsletters()
          .create("Breaking", "breaking", "Big news as it happens.", "breaking", "each", desk);
      subscriber(jdbi, "breaking.reader@example.org", "breaking");
      subscriber(jdbi, "general.reader@example.org", "news");
      Article story =
          site.app()
              .articles()
              .create(
                  new ArticleDraft(
                      "",
                      "city",
                      "Storm reaches the coast",
                      "",
                      "The storm reached the coast at dawn.",
                      ArticleStatus.PUBLISHED,
                      null,
                      List.of("ines-varga"),
                      List.of("Breaking"),
                      null));
      LiveCoverage live = site.app().liveCoverage();
      live.start(story.id(), desk);
      long update =
          live.post(story.id(), "Harbour wall breached", "Water is in the old town.", desk);
      long other = live.post(story.id(), "", "Shops are closing early.", desk);

      live.keyEvent(update, true, desk);
      live.keyEvent(update, false, desk);
      live.keyEvent(update, true, desk);
      List<String> mails =
          Eventually.value(
              "the key event's mail",
              () -> {
                List<String> now = keyEventMails(jdbi);
                return now.isEmpty() ? null : now;
              });
      Eventually.until("the mailings are idle", () -> site.app().mailings().idle());
      assertThat(keyEventMails(jdbi))
          .containsExactly("breaking.reader@example.org Key event: Harbour wall breached");
      assertThat(mails).isNotEmpty();
      // An update that is not a key event is not mailed.
      assertThat(String.join(" ", keyEventMails(jdbi))).doesNotContain("Shops");
      assertThat(other).isPositive();
    }
  }
}
