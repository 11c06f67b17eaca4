package org.broadsheet.newsletter;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleService;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.storage.Change;
import org.broadsheet.web.Links;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Each new article" mail: when an article is published, one campaign queues a message for every
 * confirmed subscriber who wants each article (and its section, if they chose one). A campaign is
 * claimed by one node; messages are queued in batches in subscriber order, each keyed by article
 * and subscriber, and the campaign remembers the last subscriber queued, so a restart resumes it
 * without skipping or repeating anyone. The outbox then delivers with retries. Thread-safe.
 */
public final class ArticleMailings {

  private static final Logger LOG = LoggerFactory.getLogger(ArticleMailings.class);

  private final Jdbi jdbi;
  private final ArticleService articles;
  private final Subscriptions subscriptions;
  private final Outbox outbox;
  private final Links links;
  private final Clock clock;
  private final java.util.function.Supplier<String> siteTitle;
  private final int batchSize;

  public ArticleMailings(
      Jdbi jdbi,
      ArticleService articles,
      Subscriptions subscriptions,
      Outbox outbox,
      Links links,
      Clock clock,
      java.util.function.Supplier<String> siteTitle,
      int batchSize) {
    this.jdbi = jdbi;
    this.articles = articles;
    this.subscriptions = subscriptions;
    this.outbox = outbox;
    this.links = links;
    this.clock = clock;
    this.siteTitle = siteTitle;
    this.batchSize = batchSize;
  }

  /**
   * Change-feed listener: a newly published article starts its campaign, queued in the background
   * so publishing never waits for a large list.
   */
  public void onChange(Change change) {
    if (change.entity().equals("article") && change.kind().equals("published")) {
      worker.execute(
          () -> {
            try {
              if (start(change.entityId())) {
                run(change.entityId(), Integer.MAX_VALUE);
              }
            } catch (RuntimeException e) {
              LOG.error(
                  "Mailing article {} failed; it resumes at the next start", change.entityId(), e);
            }
          });
    }
  }

  private final java.util.concurrent.ExecutorService worker =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("article-mailings").daemon().factory());

  /** Claims the article's campaign; false when another node (or an earlier run) has it. */
  boolean start(long articleId) {
    return jdbi.inTransaction(
            h ->
                h.createUpdate(
                        "INSERT INTO campaigns (article_id, status, created_at) VALUES (:a, 'enqueuing', :now)"
                            + " ON CONFLICT (article_id) DO NOTHING")
                    .bind("a", articleId)
                    .bind("now", clock.millis())
                    .execute())
        == 1;
  }

  /** Queues up to {@code maxBatches} batches of the campaign; returns how many messages. */
  int run(long articleId, int maxBatches) {
    Optional<Article> found = articles.byId(articleId).filter(Article::isPublic);
    if (found.isEmpty()) {
      finish(articleId);
      return 0;
    }
    Article article = found.get();
    String url = links.absolute(links.article(article));
    int queued = 0;
    for (int batch = 0; batch < maxBatches; batch++) {
      int done =
          jdbi.inTransaction(
              h -> {
                long after =
                    h.createQuery(
                            "SELECT last_subscriber_id FROM campaigns WHERE article_id = :a AND status = 'enqueuing'")
                        .bind("a", articleId)
                        .mapTo(Long.class)
                        .findOne()
                        .orElse(-1L);
                if (after < 0) {
                  return -1;
                }
                List<Subscriber> next =
                    h.createQuery(
                            "SELECT * FROM subscribers WHERE status = 'confirmed' AND frequency = 'each'"
                                + " AND (section_id IS NULL OR section_id = :s) AND id > :after ORDER BY id LIMIT :n")
                        .bind("s", article.section().id())
                        .bind("after", after)
                        .bind("n", batchSize)
                        .map((rs, c) -> Subscriptions.map(rs))
                        .list();
                for (Subscriber s : next) {
                  outbox.enqueue(h, message(article, url, s));
                }
                long last = next.isEmpty() ? after : next.getLast().id();
                h.createUpdate(
                        "UPDATE campaigns SET last_subscriber_id = :last, queued = queued + :n"
                            + (next.size() < batchSize
                                ? ", status = 'done', finished_at = :now"
                                : "")
                            + " WHERE article_id = :a")
                    .bind("last", last)
                    .bind("n", next.size())
                    .bind("now", clock.millis())
                    .bind("a", articleId)
                    .execute();
                return next.size() < batchSize ? -1 - next.size() : next.size();
              });
      if (done < 0) {
        queued += -1 - done;
        break;
      }
      queued += done;
    }
    return queued;
  }

  /** Campaigns a stopped node left half-queued: called at start. */
  public void resumeUnfinished() {
    List<Long> open =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT article_id FROM campaigns WHERE status = 'enqueuing' ORDER BY article_id")
                    .mapTo(Long.class)
                    .list());
    for (Long articleId : open) {
      LOG.info("Resuming the mailing of article {}", articleId);
      run(articleId, Integer.MAX_VALUE);
    }
  }

  private void finish(long articleId) {
    jdbi.useTransaction(
        h ->
            h.createUpdate(
                    "UPDATE campaigns SET status = 'done', finished_at = :now WHERE article_id = :a")
                .bind("now", clock.millis())
                .bind("a", articleId)
                .execute());
  }

  private MailMessage message(Article article, String url, Subscriber s) {
    String unsubscribe = subscriptions.unsubscribeUrl(s.id());
    String byline = String.join(", ", article.authors().stream().map(a -> a.name()).toList());
    String text =
        article.headline()
            + "\n\n"
            + (article.deck().isEmpty() ? "" : article.deck() + "\n\n")
            + (byline.isEmpty() ? "" : "By " + byline + "\n\n")
            + "Read it: "
            + url
            + "\n\n"
            + "You get this because you subscribed to "
            + siteTitle.get()
            + ". Unsubscribe with one click: "
            + unsubscribe
            + "\n";
    String html =
        "<!DOCTYPE html><html><body>"
            + "<h1><a href=\""
            + esc(url)
            + "\">"
            + esc(article.headline())
            + "</a></h1>"
            + (article.deck().isEmpty() ? "" : "<p>" + esc(article.deck()) + "</p>")
            + (byline.isEmpty() ? "" : "<p>By " + esc(byline) + "</p>")
            + "<p><a href=\""
            + esc(url)
            + "\">Read the article</a></p>"
            + "<p style=\"font-size:small\">You get this because you subscribed to "
            + esc(siteTitle.get())
            + ". <a href=\""
            + esc(unsubscribe)
            + "\">Unsubscribe</a></p></body></html>";
    return new MailMessage(
        s.email(),
        article.headline(),
        text,
        html,
        unsubscribe,
        "article:" + article.id() + ":" + s.id());
  }

  private static String esc(String s) {
    return org.jsoup.nodes.Entities.escape(s == null ? "" : s);
  }
}
