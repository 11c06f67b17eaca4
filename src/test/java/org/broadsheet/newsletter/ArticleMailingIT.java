package org.broadsheet.newsletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Mailbox;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "Each new article" mail: the right people, once each, also when a campaign is resumed. */
class ArticleMailingIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  private static TestApp start() {
    return TestApp.start(Backend.SQLITE, true, TestApp.greenMail());
  }

  private static void subscriber(
      TestApp site, String email, String status, String frequency, Long sectionId) {
    site.app()
        .database()
        .jdbi()
        .useHandle(
            h -> {
              long id =
                  h.createUpdate(
                          "INSERT INTO subscribers (email, status, frequency, created_at) VALUES (:e, :s, :f, 0)")
                      .bind("e", email)
                      .bind("s", status)
                      .bind("f", frequency)
                      .executeAndReturnGeneratedKeys("id")
                      .mapTo(Long.class)
                      .one();
              h.execute(
                  "INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id)"
                      + " SELECT ?, id FROM newsletters WHERE slug = 'news'",
                  id);
              if (sectionId != null) {
                h.execute(
                    "INSERT INTO subscriber_sections (subscriber_id, section_id) VALUES (?, ?)",
                    id,
                    sectionId);
              }
            });
  }

  /** Everyone mailed, once the site has nothing left to mail. */
  private static List<String> recipients(TestApp site) throws Exception {
    List<String> to = new ArrayList<>();
    for (MimeMessage m : Mailbox.settled(site, SMTP)) {
      to.add(m.getAllRecipients()[0].toString());
    }
    Collections.sort(to);
    return to;
  }

  private static Article publish(TestApp site, String section, String headline) {
    return site.app()
        .articles()
        .create(
            new ArticleDraft(
                "",
                section,
                headline,
                "A deck for the mail.",
                "Body.",
                ArticleStatus.PUBLISHED,
                null,
                List.of("ines-varga"),
                List.of(),
                null));
  }

  @Test
  void eachNewArticleGoesToConfirmedSubscribersWhoWantItOnce() throws Exception {
    try (TestApp site = start()) {
      long city = site.app().articles().section("city").orElseThrow().id();
      long sport = site.app().articles().section("sport").orElseThrow().id();
      subscriber(site, "all@example.org", "confirmed", "each", null);
      subscriber(site, "city@example.org", "confirmed", "each", city);
      subscriber(site, "sport@example.org", "confirmed", "each", sport);
      subscriber(site, "digest@example.org", "confirmed", "daily", null);
      subscriber(site, "pending@example.org", "pending", "each", null);
      subscriber(site, "gone@example.org", "unsubscribed", "each", null);
      subscriber(site, "bounced@example.org", "bounced", "each", null);

      Article article = publish(site, "city", "Harbour ferry \r\nBcc: victim@example.org returns");
      assertThat(recipients(site)).containsExactly("all@example.org", "city@example.org");
      MimeMessage mail = SMTP.getReceivedMessages()[0];
      assertThat(mail.getHeader("Bcc")).as("no injected header").isNull();
      assertThat(mail.getHeader("List-Unsubscribe-Post")[0])
          .isEqualTo("List-Unsubscribe=One-Click");
      assertThat(mail.getSubject()).contains("Harbour ferry");

      // Saving the published article again sends nothing more.
      site.app()
          .articles()
          .update(
              article.id(),
              new ArticleDraft(
                  article.slug(),
                  "city",
                  "Harbour ferry returns",
                  article.deck(),
                  "Body, corrected.",
                  ArticleStatus.PUBLISHED,
                  null,
                  List.of("ines-varga"),
                  List.of(),
                  null));
      assertThat(recipients(site)).hasSize(2);
    }
  }

  @Test
  void theMailShowsTheFeaturedPictureAtTwiceItsColumnWidth() throws Exception {
    try (TestApp site = start()) {
      subscriber(site, "all@example.org", "confirmed", "each", null);
      org.broadsheet.media.Media photo =
          site.app()
              .media()
              .upload(
                  "quay.jpg",
                  new java.io.ByteArrayInputStream(
                      org.broadsheet.media.TestImages.jpeg(2000, 1200)),
                  "The quay at low tide",
                  "Photo: Test Desk",
                  null);
      site.app()
          .articles()
          .create(
              new ArticleDraft(
                  "",
                  "city",
                  "The quay at low tide",
                  "A deck for the mail.",
                  "Body.",
                  ArticleStatus.PUBLISHED,
                  null,
                  List.of("ines-varga"),
                  List.of(),
                  new org.broadsheet.article.Image(photo.url(), "The quay at low tide", "")));
      MimeMessage mail = Mailbox.nth(site, SMTP, 1);
      StringBuilder html = new StringBuilder();
      var parts = (jakarta.mail.internet.MimeMultipart) mail.getContent();
      for (int i = 0; i < parts.getCount(); i++) {
        if (parts.getBodyPart(i).isMimeType("text/html")) {
          html.append(parts.getBodyPart(i).getContent());
        }
      }
      org.jsoup.nodes.Element img = org.jsoup.Jsoup.parse(html.toString()).selectFirst("img");
      assertThat(img).as("the picture in %s", html).isNotNull();
      assertThat(img.attr("src"))
          .startsWith("https://")
          .endsWith(photo.url().replace(".jpg", "-1200w.jpg"));
      assertThat(img.attr("width")).isEqualTo("600");
      assertThat(img.attr("height")).isEqualTo("360");
      assertThat(img.attr("alt")).isEqualTo("The quay at low tide");
    }
  }

  /**
   * A published story whose campaign the test drives: published directly in the database so the
   * site's own listener does not start it.
   */
  private static Article quietlyPublished(TestApp site) {
    return quietlyPublished(site, "Quiet draft", 1);
  }

  private static Article quietlyPublished(TestApp site, String headline, long publishedAt) {
    Article article =
        site.app()
            .articles()
            .create(
                new ArticleDraft(
                    "",
                    "city",
                    headline,
                    "",
                    "Body.",
                    ArticleStatus.DRAFT,
                    null,
                    List.of("ines-varga"),
                    List.of(),
                    null));
    site.app()
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE articles SET status = 'published', published_at = :at WHERE id = :id")
                    .bind("at", publishedAt)
                    .bind("id", article.id())
                    .execute());
    site.app().articles().forgetCachedPages();
    return article;
  }

  @Test
  void aCampaignResumedAfterAStopMailsEveryoneExactlyOnce() throws Exception {
    try (TestApp site = start()) {
      for (int i = 0; i < 7; i++) {
        subscriber(site, "reader" + i + "@example.org", "confirmed", "each", null);
      }
      Article article = quietlyPublished(site);
      ArticleMailings small = site.app().mailings().withBatchSize(3);
      assertThat(small.start(article.id())).isTrue();
      assertThat(small.start(article.id())).as("a second node does not claim it").isFalse();
      assertThat(small.run(article.id(), 1)).as("stopped after the first batch").isEqualTo(3);
      small.resumeUnfinished();
      small.resumeUnfinished();
      List<String> to = recipients(site);
      assertThat(to).hasSize(7).doesNotHaveDuplicates();
    }
  }

  /**
   * A node that stops halfway through queuing a campaign leaves it; another node that keeps serving
   * takes it over once nobody has moved it on for two minutes, and not before.
   */
  @Test
  void aCampaignAStoppedNodeLeftIsTakenOverByAnotherOnceStalled() throws Exception {
    org.broadsheet.testing.MutableClock clock =
        new org.broadsheet.testing.MutableClock(java.time.Instant.now());
    try (TestApp site = TestApp.start(Backend.SQLITE, true, TestApp.greenMail(), clock)) {
      for (int i = 0; i < 7; i++) {
        subscriber(site, "reader" + i + "@example.org", "confirmed", "each", null);
      }
      Article article = quietlyPublished(site);
      ArticleMailings stopped = site.app().mailings().withBatchSize(3);
      ArticleMailings other = site.app().mailings().withBatchSize(3);
      assertThat(stopped.start(article.id())).isTrue();
      assertThat(stopped.run(article.id(), 1)).as("stopped after the first batch").isEqualTo(3);
      clock.advance(Duration.ofMinutes(1));
      other.resumeStalled();
      assertThat(recipients(site)).as("moved on a minute ago: left to its node").hasSize(3);
      clock.advance(Duration.ofMinutes(2));
      other.resumeStalled();
      assertThat(recipients(site)).hasSize(7).doesNotHaveDuplicates();
    }
  }

  @Test
  void oldArticlesAndLateSubscribersAreNotMailed() throws Exception {
    try (TestApp site = start()) {
      subscriber(site, "early@example.org", "confirmed", "each", null);
      // An imported or backdated article is not news.
      site.app()
          .articles()
          .create(
              new ArticleDraft(
                  "",
                  "city",
                  "From the archive: the 2019 harbour fire",
                  "",
                  "Body.",
                  ArticleStatus.PUBLISHED,
                  java.time.Instant.now().minus(Duration.ofDays(3)),
                  List.of("ines-varga"),
                  List.of(),
                  null));
      assertThat(Mailbox.settled(site, SMTP)).isEmpty();

      // A campaign resumed later does not reach readers who confirmed after it began.
      Article article = quietlyPublished(site, "Quiet draft two", System.currentTimeMillis());
      ArticleMailings mailings = site.app().mailings();
      assertThat(mailings.start(article.id())).isTrue();
      subscriber(site, "late@example.org", "confirmed", "each", null);
      site.app()
          .database()
          .jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "UPDATE subscribers SET confirmed_at = ? WHERE email = 'late@example.org'",
                      System.currentTimeMillis() + 60_000));
      mailings.resumeUnfinished();
      assertThat(recipients(site)).containsExactly("early@example.org");
    }
  }
}
