package org.broadsheet.newsletter;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.web.Links;
import org.jdbi.v3.core.Jdbi;

/**
 * Daily and weekly digests: from {@link #SEND_HOUR}:00 in the site's time zone (weekly ones on
 * Mondays), each confirmed digest subscriber gets the articles of the past day or week (in their
 * section, if they chose one). Each digest is keyed by its edition and subscriber, so running the
 * job again, on several nodes or after a restart, sends nobody a second copy; an edition with no
 * new articles sends nothing. Thread-safe.
 */
public final class Digests {

  public static final int SEND_HOUR = 7;
  private static final int MAX_ITEMS = 30;

  private final Jdbi jdbi;
  private final ArticleService articles;
  private final Subscriptions subscriptions;
  private final Outbox outbox;
  private final Links links;
  private final Clock clock;
  private final ZoneId zone;
  private final java.util.function.Supplier<String> siteTitle;

  public Digests(
      Jdbi jdbi,
      ArticleService articles,
      Subscriptions subscriptions,
      Outbox outbox,
      Links links,
      Clock clock,
      ZoneId zone,
      java.util.function.Supplier<String> siteTitle) {
    this.jdbi = jdbi;
    this.articles = articles;
    this.subscriptions = subscriptions;
    this.outbox = outbox;
    this.links = links;
    this.clock = clock;
    this.zone = zone;
    this.siteTitle = siteTitle;
  }

  /** Queues today's daily and (on Mondays) weekly digests once the send hour has come. */
  public int sendDue() {
    ZonedDateTime now = clock.instant().atZone(zone);
    if (now.getHour() < SEND_HOUR) {
      return 0;
    }
    LocalDate today = now.toLocalDate();
    Instant edition = today.atTime(SEND_HOUR, 0).atZone(zone).toInstant();
    int queued = send("daily", today.toString(), edition.minus(Duration.ofDays(1)), edition);
    if (today.getDayOfWeek() == DayOfWeek.MONDAY) {
      queued += send("weekly", today.toString(), edition.minus(Duration.ofDays(7)), edition);
    }
    return queued;
  }

  private int send(String frequency, String editionName, Instant from, Instant until) {
    List<ArticleSummary> recent =
        articles.latest(ArticleFilter.ALL, 500, 0).stream()
            .filter(a -> !a.publishedAt().isBefore(from) && a.publishedAt().isBefore(until))
            .toList();
    if (recent.isEmpty()) {
      return 0;
    }
    List<Subscriber> readers =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT * FROM subscribers WHERE status = 'confirmed' AND frequency = :f ORDER BY id")
                    .bind("f", frequency)
                    .map((rs, c) -> Subscriptions.map(rs))
                    .list());
    int queued = 0;
    for (Subscriber s : readers) {
      List<ArticleSummary> theirs =
          recent.stream()
              .filter(a -> s.sectionId() == null || a.section().id() == s.sectionId())
              .limit(MAX_ITEMS)
              .toList();
      if (theirs.isEmpty()) {
        continue;
      }
      String unsubscribe = subscriptions.unsubscribeUrl(s.id());
      StringBuilder text = new StringBuilder();
      StringBuilder html =
          new StringBuilder("<!DOCTYPE html><html><body><h1>" + esc(siteTitle.get()) + "</h1><ul>");
      for (ArticleSummary a : theirs) {
        String url = links.absolute(links.article(a));
        text.append("- ").append(a.headline()).append("\n  ").append(url).append("\n");
        html.append("<li><a href=\"")
            .append(esc(url))
            .append("\">")
            .append(esc(a.headline()))
            .append("</a>");
        if (!a.deck().isEmpty()) {
          html.append("<br>").append(esc(a.deck()));
        }
        html.append("</li>");
      }
      text.append("\nUnsubscribe with one click: ").append(unsubscribe).append("\n");
      html.append("</ul><p style=\"font-size:small\"><a href=\"")
          .append(esc(unsubscribe))
          .append("\">Unsubscribe</a></p></body></html>");
      String subject =
          (frequency.equals("daily") ? "Your daily " : "Your weekly ")
              + siteTitle.get()
              + ": "
              + theirs.size()
              + (theirs.size() == 1 ? " article" : " articles");
      MailMessage message =
          new MailMessage(
              s.email(),
              subject,
              text.toString(),
              html.toString(),
              unsubscribe,
              "digest:" + frequency + ":" + editionName + ":" + s.id());
      jdbi.useTransaction(h -> outbox.enqueue(h, message));
      queued++;
    }
    return queued;
  }

  private static String esc(String s) {
    return org.jsoup.nodes.Entities.escape(s == null ? "" : s);
  }
}
