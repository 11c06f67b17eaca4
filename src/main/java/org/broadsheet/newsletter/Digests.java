package org.broadsheet.newsletter;

import java.time.Clock;
import java.time.DayOfWeek;
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
import org.broadsheet.site.Links;
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
  private final org.broadsheet.web.Templates templates;
  private final CampaignStore campaigns = new CampaignStore();
  private final Recipients recipients = new Recipients();

  public Digests(
      Jdbi jdbi,
      ArticleService articles,
      Subscriptions subscriptions,
      Outbox outbox,
      Links links,
      Clock clock,
      ZoneId zone,
      java.util.function.Supplier<String> siteTitle,
      org.broadsheet.web.Templates templates) {
    this.jdbi = jdbi;
    this.articles = articles;
    this.subscriptions = subscriptions;
    this.outbox = outbox;
    this.links = links;
    this.clock = clock;
    this.zone = zone;
    this.siteTitle = siteTitle;
    this.templates = templates;
  }

  /** Queues today's daily and (on Mondays) weekly digests once the send hour has come. */
  public int sendDue() {
    ZonedDateTime now = clock.instant().atZone(zone);
    if (now.getHour() < SEND_HOUR) {
      return 0;
    }
    LocalDate today = now.toLocalDate();
    // Editions run from send time to send time in the site's zone, so a daylight-saving change
    // neither drops nor repeats an hour's articles.
    Instant edition = today.atTime(SEND_HOUR, 0).atZone(zone).toInstant();
    Instant dayBefore = today.minusDays(1).atTime(SEND_HOUR, 0).atZone(zone).toInstant();
    int queued = send("daily", today.toString(), dayBefore, edition);
    if (today.getDayOfWeek() == DayOfWeek.MONDAY) {
      Instant weekBefore = today.minusWeeks(1).atTime(SEND_HOUR, 0).atZone(zone).toInstant();
      queued += send("weekly", today.toString(), weekBefore, edition);
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
    java.util.Map<Long, java.util.Set<String>> tags = new java.util.HashMap<>();
    for (ArticleSummary a : recent) {
      tags.put(
          a.id(),
          articles
              .byId(a.id())
              .map(
                  full ->
                      full.tags().stream()
                          .map(t -> t.slug())
                          .collect(java.util.stream.Collectors.toSet()))
              .orElse(java.util.Set.of()));
    }
    List<Newsletter> carriers =
        subscriptions.newsletters().open().stream()
            .filter(n -> n.cadence() == null || n.cadence().equals(frequency))
            .toList();
    String campaign = "digest:" + frequency + ":" + editionName;
    boolean finished = jdbi.withHandle(h -> campaigns.finished(h, campaign));
    if (finished) {
      return 0; // queued in full earlier today (on this node or another)
    }
    String heading =
        (frequency.equals("daily") ? "Today in " : "This week in ")
            + siteTitle.get()
            + ", "
            + editionName;
    jdbi.useTransaction(
        h ->
            Outbox.recordCampaign(
                h,
                campaign,
                "digest",
                (frequency.equals("daily") ? "Daily digest " : "Weekly digest ") + editionName,
                clock.millis()));
    int queued = 0;
    long after = 0;
    while (true) {
      long from0 = after;
      List<Recipients.Recipient> batch =
          jdbi.withHandle(
              h -> recipients.batch(h, carriers, frequency, null, Long.MAX_VALUE, from0, 500));
      if (batch.isEmpty()) {
        // Every reader has this edition queued: later rounds today skip it. An edition cut short
        // by a stop is not marked, so the next round completes it (the outbox keys drop repeats).
        jdbi.useTransaction(h -> campaigns.markFinished(h, campaign, clock.millis()));
        return queued;
      }
      after = batch.getLast().subscriber().id();
      List<MailMessage> messages = new java.util.ArrayList<>();
      for (Recipients.Recipient r : batch) {
        List<ArticleSummary> theirs =
            recent.stream()
                .filter(a -> r.follows(a.section().id()))
                .filter(
                    a ->
                        r.newsletters().stream()
                            .anyMatch(
                                n -> n.tagSlug() == null || tags.get(a.id()).contains(n.tagSlug())))
                .limit(MAX_ITEMS)
                .toList();
        if (!theirs.isEmpty()) {
          messages.add(message(r, frequency, editionName, heading, theirs));
        }
      }
      jdbi.useTransaction(
          h -> {
            for (MailMessage m : messages) {
              outbox.enqueue(h, m, campaign);
            }
          });
      queued += messages.size();
    }
  }

  private MailMessage message(
      Recipients.Recipient r,
      String frequency,
      String editionName,
      String heading,
      List<ArticleSummary> theirs) {
    Subscriber s = r.subscriber();
    String unsubscribe = subscriptions.unsubscribeUrl(s.id());
    MailViews.DigestMail mail =
        new MailViews.DigestMail(
            heading,
            theirs.stream()
                .map(
                    a ->
                        new MailViews.Item(
                            a.headline(),
                            a.deck(),
                            a.section().name(),
                            links.absolute(links.article(a))))
                .toList(),
            new MailViews.Footer(
                siteTitle.get(),
                r.newsletterNames(),
                subscriptions.preferencesUrl(s.id()),
                unsubscribe));
    String subject =
        (frequency.equals("daily") ? "Your daily " : "Your weekly ")
            + siteTitle.get()
            + ": "
            + theirs.size()
            + (theirs.size() == 1 ? " article" : " articles");
    return new MailMessage(
        s.email(),
        subject,
        mail.text(),
        templates.renderString("mail/digest.jte", mail),
        unsubscribe,
        "digest:" + frequency + ":" + editionName + ":" + s.id());
  }
}
