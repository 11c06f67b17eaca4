package org.broadsheet.newsletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Mailbox;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Daily and weekly digests: at their hour in the site's time zone, the right articles, once. */
class DigestIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  @Test
  void digestsGoOutAtTheirHourWithThePastDaysArticlesOnce() throws Exception {
    java.time.ZoneId zone = java.time.ZoneId.of("Europe/Oslo");
    // Monday 30 November 2026, 06:00 in Oslo: an hour before digests go out.
    MutableClock clock =
        new MutableClock(LocalDateTime.of(2026, 11, 30, 6, 0).atZone(zone).toInstant());
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            true,
            TestApp.greenMail("BROADSHEET_TIME_ZONE", "Europe/Oslo"),
            clock)) {
      long sport = site.app().articles().section("sport").orElseThrow().id();
      site.app()
          .database()
          .jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "INSERT INTO subscribers (email, status, frequency, created_at) VALUES ('daily@example.org', 'confirmed', 'daily', 0)");
                h.execute(
                    "INSERT INTO subscribers (email, status, frequency, section_id, created_at) VALUES ('sport@example.org', 'confirmed', 'daily', ?, 0)",
                    sport);
                h.execute(
                    "INSERT INTO subscribers (email, status, frequency, created_at) VALUES ('weekly@example.org', 'confirmed', 'weekly', 0)");
                h.execute(
                    "INSERT INTO subscribers (email, status, frequency, created_at) VALUES ('pending@example.org', 'pending', 'daily', 0)");
                h.execute(
                    "INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id)"
                        + " SELECT s.id, n.id FROM subscribers s, newsletters n WHERE n.slug = 'news'");
                h.execute(
                    "INSERT INTO subscriber_sections (subscriber_id, section_id)"
                        + " SELECT id, section_id FROM subscribers WHERE section_id IS NOT NULL");
              });
      for (String[] a :
          new String[][] {
            {"Ferry strike ends overnight", "2026-11-29T20:00"},
            {"Old news from last week", "2026-11-25T09:00"}
          }) {
        site.app()
            .articles()
            .create(
                new ArticleDraft(
                    "",
                    "city",
                    a[0],
                    "",
                    "Body.",
                    ArticleStatus.PUBLISHED,
                    LocalDateTime.parse(a[1]).atZone(zone).toInstant(),
                    List.of("ines-varga"),
                    List.of(),
                    null));
      }
      assertThat(site.app().digests().sendDue()).as("not before 07:00").isZero();
      clock.advance(Duration.ofMinutes(90));
      assertThat(site.app().digests().sendDue())
          .as("daily for one reader, weekly for one")
          .isEqualTo(2);
      assertThat(site.app().digests().sendDue())
          .as("a finished edition is not built again in later rounds")
          .isZero();
      MimeMessage[] mails = Mailbox.settled(site, SMTP).toArray(MimeMessage[]::new);
      assertThat(mails).as("each edition once").hasSize(2);
      for (MimeMessage mail : mails) {
        String to = mail.getAllRecipients()[0].toString();
        String body = GreenMailUtil.getBody(mail);
        assertThat(mail.getHeader("List-Unsubscribe")).isNotNull();
        if (to.equals("daily@example.org")) {
          assertThat(mail.getSubject()).startsWith("Your daily");
          assertThat(body)
              .contains("Ferry strike ends overnight")
              .doesNotContain("Old news from last week");
        } else {
          assertThat(to).isEqualTo("weekly@example.org");
          assertThat(mail.getSubject()).startsWith("Your weekly");
          assertThat(body).contains("Ferry strike ends overnight", "Old news from last week");
        }
      }
    }
  }
}
