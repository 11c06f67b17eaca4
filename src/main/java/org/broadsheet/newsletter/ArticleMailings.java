package org.broadsheet.newsletter;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleService;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.site.Links;
import org.broadsheet.storage.Change;
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
public final class ArticleMailings implements org.broadsheet.support.Managed {

  private static final Logger LOG = LoggerFactory.getLogger(ArticleMailings.class);

  private final Jdbi jdbi;
  private final ArticleService articles;
  private final Subscriptions subscriptions;
  private final Outbox outbox;
  private final Links links;
  private final Clock clock;
  private final java.util.function.Supplier<String> siteTitle;
  private final int batchSize;
  private final org.broadsheet.web.Templates templates;
  private final Audit audit;
  private final java.util.function.Function<String, org.broadsheet.site.Picture> pictures;
  private final CampaignStore campaigns = new CampaignStore();
  private final Recipients recipients = new Recipients();

  public ArticleMailings(
      Jdbi jdbi,
      ArticleService articles,
      Subscriptions subscriptions,
      Outbox outbox,
      Links links,
      Clock clock,
      java.util.function.Supplier<String> siteTitle,
      org.broadsheet.web.Templates templates,
      Audit audit,
      int batchSize,
      java.util.function.Function<String, org.broadsheet.site.Picture> pictures) {
    this.pictures = pictures;
    this.jdbi = jdbi;
    this.articles = articles;
    this.subscriptions = subscriptions;
    this.outbox = outbox;
    this.links = links;
    this.clock = clock;
    this.siteTitle = siteTitle;
    this.batchSize = batchSize;
    this.templates = templates;
    this.audit = audit;
  }

  public Subscriptions subscriptions() {
    return subscriptions;
  }

  /** The same mailings queuing {@code size} subscribers per batch (for tests of resuming). */
  public ArticleMailings withBatchSize(int size) {
    return new ArticleMailings(
        jdbi,
        articles,
        subscriptions,
        outbox,
        links,
        clock,
        siteTitle,
        templates,
        audit,
        size,
        pictures);
  }

  /** Articles published longer ago than this (imported, backdated) are not mailed. */
  public static final java.time.Duration NEWS_WINDOW = java.time.Duration.ofHours(24);

  /**
   * Change-feed listener: a newly published article starts its campaign, queued in the background
   * so publishing never waits for a large list. An article whose publication date is more than
   * {@link #NEWS_WINDOW} old (a WordPress import, a backdated entry) is not news: nobody is mailed.
   */
  public void onChange(Change change) {
    if (change.is(Change.Entity.ARTICLE) && change.kind() == Change.Kind.PUBLISHED) {
      submit(
          () -> {
            try {
              Optional<Article> article = articles.byId(change.entityId());
              if (article.isPresent()
                  && article.get().publishedAt() != null
                  && article.get().publishedAt().isBefore(clock.instant().minus(NEWS_WINDOW))) {
                LOG.debug("Article {} is not mailed: published long ago", change.entityId());
                return;
              }
              if (start(change.entityId())) {
                long began = System.nanoTime();
                int queued = run(change.entityId(), Integer.MAX_VALUE);
                (queued > 0 ? LOG.atInfo() : LOG.atDebug())
                    .log(
                        "Queued article {} for {} subscribers in {} ms",
                        change.entityId(),
                        queued,
                        (System.nanoTime() - began) / 1_000_000);
              }
            } catch (RuntimeException e) {
              LOG.error(
                  "Mailing article {} failed; it resumes at the next start", change.entityId(), e);
            }
          });
    }
  }

  private java.util.concurrent.ScheduledExecutorService worker;
  // Set when the node stops: a campaign being queued stops after the batch in progress, and any
  // node picks it up (see resumeStalled).
  private volatile boolean stopping;

  /** A queuing campaign nobody has moved on for this long is taken over by any node. */
  static final java.time.Duration STALLED = java.time.Duration.ofMinutes(2);

  /**
   * Starts the thread that queues campaigns and resumes those a stop cut short; from now on a
   * published article starts its campaign.
   */
  @Override
  public synchronized void start() {
    stopping = false;
    worker =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform()
                .name("article-mailings")
                .daemon()
                .priority(Thread.MIN_PRIORITY)
                .factory());
    resumeUnfinished();
    worker.scheduleWithFixedDelay(
        () -> {
          try {
            resumeStalled();
          } catch (RuntimeException e) {
            LOG.warn("Looking for stalled mailings failed: {}", e.getMessage());
          }
        },
        1,
        1,
        java.util.concurrent.TimeUnit.MINUTES);
  }

  /**
   * Lets the campaign batch in progress commit, then stops; the rest is queued by whichever node
   * sees the campaign stalled first, or at the next start.
   */
  @Override
  public void stop() {
    stopping = true;
    java.util.concurrent.ExecutorService running;
    synchronized (this) {
      running = worker;
      worker = null;
    }
    if (running != null) {
      running.shutdown();
      try {
        if (!running.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
          LOG.warn("Queuing a campaign did not finish within 60 s of stopping");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String name() {
    return "article mailings";
  }

  private synchronized void submit(Runnable task) {
    if (worker == null) {
      // Not serving (a command line run): the campaign starts when the site next starts.
      LOG.debug("Not serving: the campaign waits for the next start");
      return;
    }
    pending.incrementAndGet();
    try {
      worker.execute(
          () -> {
            try {
              task.run();
            } finally {
              pending.decrementAndGet();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pending.decrementAndGet();
      throw e;
    }
  }

  private final java.util.concurrent.atomic.AtomicInteger pending =
      new java.util.concurrent.atomic.AtomicInteger();

  /** True when no campaign is waiting to be queued or being queued on this node. */
  public boolean idle() {
    return pending.get() == 0;
  }

  /** Claims the article's campaign; false when another node (or an earlier run) has it. */
  boolean start(long articleId) {
    String title = articles.byId(articleId).map(Article::headline).orElse("Article " + articleId);
    return jdbi.inTransaction(
            h -> {
              int claimed = campaigns.claim(h, articleId, clock.millis());
              if (claimed == 1) {
                Outbox.recordCampaign(h, "article:" + articleId, "article", title, clock.millis());
                audit.record(
                    h,
                    org.broadsheet.account.Actor.system("newsletter"),
                    "newsletter.article-campaign",
                    "article:" + articleId + " " + title,
                    "");
              }
              return claimed;
            })
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
    List<Newsletter> carriers =
        Recipients.carriersOf(
            subscriptions.newsletters().open(),
            article.tags().stream().map(t -> t.slug()).toList());
    // Readers who confirmed after the campaign began (it may be resumed much later) are not sent
    // an old article.
    long cutoff = jdbi.withHandle(h -> campaigns.createdAt(h, articleId).orElse(clock.millis()));
    // Rendered once for the whole campaign; each reader's links are filled in when sent.
    String bodyKey = "article:" + article.id();
    MailMessage shared =
        message(
            article,
            url,
            Outbox.placeholder("newsletters"),
            Outbox.placeholder("preferences"),
            Outbox.placeholder("unsubscribe"),
            "",
            "");
    String[] body = {shared.text(), shared.html()};
    int queued = 0;
    for (int batch = 0; batch < maxBatches; batch++) {
      if (stopping) {
        LOG.info(
            "Stopping: the mailing of article {} is left for another node or the next start",
            articleId);
        break;
      }
      // Read the next batch and build its messages outside any write transaction (rendering and
      // signing take time); then queue them and move the campaign on in one short transaction,
      // only if no one else moved it meanwhile.
      Optional<Long> resumeAfter = jdbi.withHandle(h -> campaigns.lastQueued(h, articleId));
      if (resumeAfter.isEmpty()) {
        break;
      }
      long after = resumeAfter.get();
      List<Recipients.Recipient> next =
          jdbi.withHandle(
              h ->
                  recipients.batch(
                      h, carriers, "each", article.section().id(), cutoff, after, batchSize));
      List<Outbox.Copy> copies = copies(next, "article:" + article.id());
      long last = next.isEmpty() ? after : next.getLast().subscriber().id();
      boolean finished = next.size() < batchSize;
      boolean mine =
          jdbi.inTransaction(
              h -> {
                int moved =
                    campaigns.advance(
                        h, articleId, after, last, next.size(), finished, clock.millis());
                if (moved == 1) {
                  outbox.storeBody(h, bodyKey, body[0], body[1]);
                  outbox.enqueueShared(
                      h, article.headline(), bodyKey, "article:" + article.id(), copies);
                }
                return moved == 1;
              });
      outbox.nudge(); // start delivering while the rest is queued
      if (mine) {
        queued += next.size();
      }
      if (finished && mine) {
        break;
      }
    }
    return queued;
  }

  /**
   * Queues one article's mail, exactly as subscribers get it, to one address (a draft too, to check
   * it before publishing), with its audit entry, and starts delivering. Its links work if the
   * address is a subscriber's.
   */
  public void sendTest(long articleId, String rawTo, Actor actor) {
    String to = Subscriptions.address(rawTo);
    Article article =
        articles
            .byId(articleId)
            .orElseThrow(
                () ->
                    new org.broadsheet.support.ValidationException(
                        java.util.Map.of("article", "That article no longer exists.")));
    Subscriber reader =
        subscriptions
            .byEmail(to)
            .orElse(new Subscriber(0, to, "", "confirmed", "each", clock.instant(), null));
    List<Newsletter> carriers =
        Recipients.carriersOf(
            subscriptions.newsletters().open(),
            article.tags().stream().map(t -> t.slug()).toList());
    long now = clock.millis();
    String campaign = "test:" + articleId + ":" + now;
    MailMessage real =
        message(
            article,
            links.absolute(links.article(article)),
            new Recipients.Recipient(reader, carriers, java.util.Set.of()));
    jdbi.useTransaction(
        h -> {
          Outbox.recordCampaign(h, campaign, "test", "Test: " + article.headline(), now);
          outbox.enqueue(
              h,
              new MailMessage(
                  to,
                  "[Test] " + real.subject(),
                  real.text(),
                  real.html(),
                  real.listUnsubscribe(),
                  campaign + ":" + to),
              campaign);
          audit.record(h, actor, "newsletter.test", "article:" + articleId, rawTo);
        });
    outbox.nudge();
  }

  /**
   * A live story's update marked as a key event: mailed at once to the subscribers of the
   * newsletters that follow one of the story's tags (such as "Breaking"), each reader once however
   * often it is marked or on however many nodes (the outbox keeps one message per key). Queued in
   * the background; general newsletters (no tag) are not mailed every key event.
   */
  public void keyEvent(long articleId, org.broadsheet.live.LiveUpdate update) {
    submit(
        () -> {
          try {
            mailKeyEvent(articleId, update);
          } catch (RuntimeException e) {
            LOG.error("Mailing key event {} failed", update.id(), e);
          }
        });
  }

  private void mailKeyEvent(long articleId, org.broadsheet.live.LiveUpdate update) {
    Article article = articles.byId(articleId).filter(Article::isPublic).orElse(null);
    if (article == null) {
      return;
    }
    List<String> tags = article.tags().stream().map(t -> t.slug()).toList();
    List<Newsletter> carriers =
        subscriptions.newsletters().open().stream()
            .filter(n -> n.tagSlug() != null && tags.contains(n.tagSlug()))
            .toList();
    if (carriers.isEmpty()) {
      return;
    }
    String url = links.absolute(links.article(article)) + "#" + update.anchor();
    String title = update.headline().isEmpty() ? article.headline() : update.headline();
    String text = org.jsoup.Jsoup.parse(update.bodyHtml()).text();
    if (text.length() > 600) {
      text = text.substring(0, 597).strip() + "…";
    }
    MailViews.ArticleMail mail =
        new MailViews.ArticleMail(
            title,
            text,
            update.author(),
            "Live · " + article.headline(),
            url,
            MailViews.MailImage.NONE,
            new MailViews.Footer(
                siteTitle.get(),
                Outbox.placeholder("newsletters"),
                Outbox.placeholder("preferences"),
                Outbox.placeholder("unsubscribe")));
    String campaign = "live:" + update.id();
    String bodyKey = campaign;
    String[] body = {mail.text(), templates.renderString("mail/article.jte", mail)};
    long now = clock.millis();
    jdbi.useTransaction(
        h -> Outbox.recordCampaign(h, campaign, "article", "Key event: " + title, now));
    long after = 0;
    while (true) {
      long from = after;
      List<Recipients.Recipient> next =
          jdbi.withHandle(
              h ->
                  recipients.batch(
                      h, carriers, "each", article.section().id(), now, from, batchSize));
      if (next.isEmpty()) {
        break;
      }
      List<Outbox.Copy> copies = copies(next, campaign);
      jdbi.useTransaction(
          h -> {
            outbox.storeBody(h, bodyKey, body[0], body[1]);
            outbox.enqueueShared(h, "Key event: " + title, bodyKey, campaign, copies);
          });
      outbox.nudge();
      after = next.getLast().subscriber().id();
      if (next.size() < batchSize) {
        break;
      }
    }
  }

  /** Each reader's copy of a shared message: their links, keyed once per reader and campaign. */
  private List<Outbox.Copy> copies(List<Recipients.Recipient> readers, String campaign) {
    List<Outbox.Copy> copies = new java.util.ArrayList<>(readers.size());
    for (Recipients.Recipient r : readers) {
      long id = r.subscriber().id();
      String unsubscribe = subscriptions.unsubscribeUrl(id);
      copies.add(
          new Outbox.Copy(
              r.subscriber().email(),
              Map.of(
                  "unsubscribe",
                  unsubscribe,
                  "preferences",
                  subscriptions.preferencesUrl(id),
                  "newsletters",
                  r.newsletterNames()),
              unsubscribe,
              campaign + ":" + id));
    }
    return copies;
  }

  /** Campaigns a stopped node left half-queued: called at start. */
  public void resumeUnfinished() {
    List<Long> open = jdbi.withHandle(campaigns::unfinished);
    for (Long articleId : open) {
      LOG.info("Resuming the mailing of article {}", articleId);
      run(articleId, Integer.MAX_VALUE);
    }
  }

  /**
   * Campaigns still queuing that nobody has moved on for {@link #STALLED} (the node queuing them
   * stopped or died): this node carries on where they were left. Runs every minute on every node; a
   * campaign that is moving is left to its node.
   */
  public void resumeStalled() {
    long before = clock.instant().minus(STALLED).toEpochMilli();
    for (Long articleId : jdbi.withHandle(h -> campaigns.stalled(h, before))) {
      if (stopping) {
        return;
      }
      LOG.info("Taking over the stalled mailing of article {}", articleId);
      run(articleId, Integer.MAX_VALUE);
    }
  }

  private void finish(long articleId) {
    jdbi.useTransaction(h -> campaigns.finish(h, articleId, clock.millis()));
  }

  /**
   * The story's featured picture for the mail: one copy at about twice the mail's 600 px column
   * (mail programs ignore srcset), its absolute address and its size; none for an outside image.
   */
  private MailViews.MailImage mailImage(Article article) {
    var image = article.image();
    if (image == null || image.url().isEmpty() || !image.url().startsWith("/media/")) {
      return MailViews.MailImage.NONE;
    }
    org.broadsheet.site.Picture picture = pictures.apply(image.url());
    int height = picture.width() > 0 ? Math.round(600f * picture.height() / picture.width()) : 0;
    return new MailViews.MailImage(links.absolute(picture.atLeast(1200)), image.alt(), 600, height);
  }

  private MailMessage message(Article article, String url, Recipients.Recipient r) {
    Subscriber s = r.subscriber();
    return message(
        article,
        url,
        r.newsletterNames(),
        subscriptions.preferencesUrl(s.id()),
        subscriptions.unsubscribeUrl(s.id()),
        s.email(),
        "article:" + article.id() + ":" + s.id());
  }

  private MailMessage message(
      Article article,
      String url,
      String newsletters,
      String preferences,
      String unsubscribe,
      String to,
      String key) {
    MailViews.ArticleMail mail =
        new MailViews.ArticleMail(
            article.headline(),
            article.deck(),
            String.join(", ", article.authors().stream().map(a -> a.name()).toList()),
            article.section().name(),
            url,
            mailImage(article),
            new MailViews.Footer(siteTitle.get(), newsletters, preferences, unsubscribe));
    return new MailMessage(
        to,
        article.headline(),
        mail.text(),
        templates.renderString("mail/article.jte", mail),
        unsubscribe,
        key);
  }
}
