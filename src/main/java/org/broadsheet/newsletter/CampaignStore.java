package org.broadsheet.newsletter;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for the progress of mailings: an article's campaign (claimed by one node, moved on batch by
 * batch) and whether a digest edition was queued in full. Every method takes the caller's handle.
 * Stateless and thread-safe.
 */
final class CampaignStore {

  // ---- article campaigns

  /** Claims the article's campaign; returns 1 if this call made it, 0 if it existed. */
  int claim(Handle h, long articleId, long now) {
    return h.createUpdate(
            "INSERT INTO campaigns (article_id, status, created_at) VALUES (:a, 'enqueuing', :now)"
                + " ON CONFLICT (article_id) DO NOTHING")
        .bind("a", articleId)
        .bind("now", now)
        .execute();
  }

  /** When the article's campaign began (epoch millis). */
  Optional<Long> createdAt(Handle h, long articleId) {
    return h.createQuery("SELECT created_at FROM campaigns WHERE article_id = :a")
        .bind("a", articleId)
        .mapTo(Long.class)
        .findOne();
  }

  /** The last subscriber queued, while the campaign is still queuing. */
  Optional<Long> lastQueued(Handle h, long articleId) {
    return h.createQuery(
            "SELECT last_subscriber_id FROM campaigns WHERE article_id = :a AND status = 'enqueuing'")
        .bind("a", articleId)
        .mapTo(Long.class)
        .findOne();
  }

  /**
   * Moves a queuing campaign from subscriber {@code after} to {@code last}, counting {@code n} more
   * messages, and marks it done if {@code finished}; returns 0 when someone else moved it first.
   */
  int advance(Handle h, long articleId, long after, long last, int n, boolean finished, long now) {
    return h.createUpdate(
            "UPDATE campaigns SET last_subscriber_id = :last, queued = queued + :n"
                + (finished ? ", status = 'done', finished_at = :now" : "")
                + " WHERE article_id = :a AND status = 'enqueuing'"
                + " AND last_subscriber_id = :after")
        .bind("last", last)
        .bind("n", n)
        .bind("now", now)
        .bind("a", articleId)
        .bind("after", after)
        .execute();
  }

  void finish(Handle h, long articleId, long now) {
    h.createUpdate("UPDATE campaigns SET status = 'done', finished_at = :now WHERE article_id = :a")
        .bind("now", now)
        .bind("a", articleId)
        .execute();
  }

  /** Articles whose campaigns are still queuing. */
  List<Long> unfinished(Handle h) {
    return h.createQuery(
            "SELECT article_id FROM campaigns WHERE status = 'enqueuing' ORDER BY article_id")
        .mapTo(Long.class)
        .list();
  }

  /**
   * Articles whose campaigns are still queuing and have not moved since {@code before}: begun
   * before it, with no message queued for them since.
   */
  List<Long> stalled(Handle h, long before) {
    return h.createQuery(
            "SELECT c.article_id FROM campaigns c WHERE c.status = 'enqueuing'"
                + " AND c.created_at < :before AND NOT EXISTS (SELECT 1 FROM mail_outbox o"
                + " WHERE o.campaign_key = 'article:' || c.article_id AND o.created_at >= :before)"
                + " ORDER BY c.article_id")
        .bind("before", before)
        .mapTo(Long.class)
        .list();
  }

  // ---- digest editions (mailings in the outbox's history)

  /** Whether the mailing was queued in full. */
  boolean finished(Handle h, String campaignKey) {
    return h.createQuery(
                "SELECT COUNT(*) FROM mail_campaigns WHERE campaign_key = :k AND finished_at IS NOT NULL")
            .bind("k", campaignKey)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  void markFinished(Handle h, String campaignKey, long now) {
    h.createUpdate("UPDATE mail_campaigns SET finished_at = :now WHERE campaign_key = :k")
        .bind("now", now)
        .bind("k", campaignKey)
        .execute();
  }
}
