package org.broadsheet.newsletter;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for bounce reports, the suppression list, and what they do to an address's mail in the
 * outbox: the message that bounced is marked, mail still queued is failed or cancelled, and erasing
 * an address removes its mail. Every method takes the caller's handle. Stateless and thread-safe.
 */
final class BounceStore {

  // ---- bounce reports

  void insertBounce(Handle h, String email, String kind, String detail, Long outboxId, long now) {
    h.createUpdate(
            "INSERT INTO mail_bounces (email, kind, detail, outbox_id, created_at) VALUES (:e, :k, :d, :o, :now)")
        .bind("e", email)
        .bind("k", kind)
        .bind("d", detail)
        .bind("o", outboxId)
        .bind("now", now)
        .execute();
  }

  /** How many soft bounces the address had after {@code since} (epoch millis). */
  int softBounces(Handle h, String email, long since) {
    return h.createQuery(
            "SELECT COUNT(*) FROM mail_bounces WHERE email = :e AND kind = 'soft' AND created_at > :since")
        .bind("e", email)
        .bind("since", since)
        .mapTo(Integer.class)
        .one();
  }

  // ---- the suppression list

  /** Adds the address with a reason (bounced, complained, unsubscribed) unless it is listed. */
  void suppress(Handle h, String email, String reason, String detail, long now) {
    h.createUpdate(
            "INSERT INTO mail_suppressions (email, reason, detail, created_at) VALUES (:e, :r, :d, :now)"
                + " ON CONFLICT (email) DO NOTHING")
        .bind("e", email)
        .bind("r", reason)
        .bind("d", detail)
        .bind("now", now)
        .execute();
  }

  /** Whether the address bounced or complained (an unsubscribed opt-out does not count). */
  boolean bouncedOrComplained(Handle h, String email) {
    return h.createQuery(
                "SELECT COUNT(*) FROM mail_suppressions WHERE email = :e AND reason IN ('bounced', 'complained')")
            .bind("e", email)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /** Removes the address from the list; returns how many rows went. */
  int lift(Handle h, String email) {
    return h.createUpdate("DELETE FROM mail_suppressions WHERE email = :e")
        .bind("e", email)
        .execute();
  }

  // ---- the address's mail in the outbox

  /** Whether outbox row {@code id} went to the address. */
  boolean isTo(Handle h, long id, String email) {
    return h.createQuery("SELECT COUNT(*) FROM mail_outbox WHERE id = :id AND recipient = :e")
            .bind("id", id)
            .bind("e", email)
            .mapTo(Integer.class)
            .one()
        == 1;
  }

  /** The latest message sent to the address. */
  Optional<Long> latestSentTo(Handle h, String email) {
    return h.createQuery(
            "SELECT id FROM mail_outbox WHERE recipient = :e AND status = 'sent' ORDER BY id DESC LIMIT 1")
        .bind("e", email)
        .mapTo(Long.class)
        .findOne();
  }

  /** Marks a message bounced, once. */
  void markBounced(Handle h, long id, long now) {
    h.createUpdate("UPDATE mail_outbox SET bounced_at = :now WHERE id = :id AND bounced_at IS NULL")
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  /** Fails every message still queued for the address (any case), whatever it is. */
  void failQueued(Handle h, String email, String why) {
    h.createUpdate(
            "UPDATE mail_outbox SET status = 'failed', last_error = :why WHERE LOWER(recipient) = :e AND status = 'queued'")
        .bind("why", why)
        .bind("e", email)
        .execute();
  }

  /**
   * Fails the newsletter mail still queued for the address (any case); account mail and test sends
   * still go.
   */
  void cancelQueuedMailings(Handle h, String email, String why) {
    h.createUpdate(
            "UPDATE mail_outbox SET status = 'failed', last_error = :why WHERE LOWER(recipient) = :e"
                + " AND status = 'queued' AND campaign_key IS NOT NULL AND campaign_key NOT LIKE 'test:%'")
        .bind("why", why)
        .bind("e", email)
        .execute();
  }

  // ---- erasure

  void deleteMailTo(Handle h, String email) {
    h.createUpdate("DELETE FROM mail_outbox WHERE recipient = :e").bind("e", email).execute();
  }

  void deleteBounces(Handle h, String email) {
    h.createUpdate("DELETE FROM mail_bounces WHERE email = :e").bind("e", email).execute();
  }

  void deleteSuppression(Handle h, String email) {
    h.createUpdate("DELETE FROM mail_suppressions WHERE email = :e").bind("e", email).execute();
  }
}
