package org.broadsheet.app;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Sessions;
import org.broadsheet.article.ArticleService;
import org.broadsheet.captcha.SpentChallenges;
import org.broadsheet.comment.CommentService;
import org.broadsheet.newsletter.Digests;
import org.broadsheet.search.Indexer;
import org.broadsheet.support.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work that runs on a timer while the site serves: scheduled publishing (every 10 s and right
 * at start, exactly once across nodes), digests (every 5 minutes; each edition goes out once),
 * taking over a rebuilt search index (every 2 s), and housekeeping (every 10 minutes). Each job
 * logs a failure and runs again at its next turn. Thread-safe.
 */
final class Jobs implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private final Clock clock;
  private final ArticleService articles;
  private final Digests digests;
  private final Indexer indexer;
  private final SpentChallenges spentChallenges;
  private final CommentService comments;
  private final Sessions sessions;
  private final Accounts accounts;
  private final org.broadsheet.newsletter.Subscriptions subscriptions;
  private final org.broadsheet.storage.RateBuckets rateBuckets;
  private ScheduledExecutorService timer;

  Jobs(
      Clock clock,
      ArticleService articles,
      Digests digests,
      Indexer indexer,
      SpentChallenges spentChallenges,
      CommentService comments,
      Sessions sessions,
      Accounts accounts,
      org.broadsheet.newsletter.Subscriptions subscriptions,
      org.broadsheet.storage.RateBuckets rateBuckets) {
    this.subscriptions = subscriptions;
    this.rateBuckets = rateBuckets;
    this.clock = clock;
    this.articles = articles;
    this.digests = digests;
    this.indexer = indexer;
    this.spentChallenges = spentChallenges;
    this.comments = comments;
    this.sessions = sessions;
    this.accounts = accounts;
  }

  @Override
  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jobs").daemon().factory());
    timer.scheduleWithFixedDelay(this::maintain, 1, 10, TimeUnit.MINUTES);
    timer.scheduleWithFixedDelay(this::followRebuiltIndex, 2, 2, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::publishScheduled, 0, 10, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::sendDigests, 1, 5, TimeUnit.MINUTES);
  }

  /** Lets the job in progress finish (no interrupts: the search index breaks if interrupted). */
  @Override
  public void stop() {
    if (timer == null) {
      return;
    }
    timer.shutdown();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Background work did not finish within 30 s of stopping");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return "jobs";
  }

  /** Publishes scheduled articles whose time has come. */
  void publishScheduled() {
    try {
      for (Long id : articles.publishDue()) {
        LOG.info("Published scheduled article {}", id);
      }
    } catch (RuntimeException e) {
      LOG.error("Publishing scheduled articles failed; retrying in 10 s", e);
    }
  }

  private void sendDigests() {
    try {
      int queued = digests.sendDue();
      if (queued > 0) {
        LOG.info("Queued {} digests", queued);
      }
    } catch (RuntimeException e) {
      LOG.error("Sending digests failed; retrying in 5 minutes", e);
    }
  }

  private void followRebuiltIndex() {
    try {
      indexer.followGeneration();
    } catch (RuntimeException e) {
      LOG.error("Could not switch to the rebuilt search index; still serving the old one", e);
    }
  }

  /**
   * Spent challenges past expiry, old commenters' addresses, ended sessions, old sign-in failures
   * and sign-up counts, full rate-limit buckets.
   */
  void maintain() {
    try {
      spentChallenges.purgeExpired(clock.instant().minus(Duration.ofMinutes(1)));
      comments.applyRetention();
      sessions.purge();
      accounts.purge();
      subscriptions.purgeRequests();
      rateBuckets.purge();
    } catch (RuntimeException e) {
      LOG.warn("Maintenance round failed: {}", e.getMessage());
    }
  }
}
