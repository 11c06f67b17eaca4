package org.broadsheet.integration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** The SQL of webhooks and their deliveries. Takes the caller's handle. */
final class WebhookStore {

  private static final String WEBHOOK =
      "SELECT id, name, url, events, secret, created_at, failures, disabled_at, disabled_reason"
          + " FROM webhooks";
  private static final String DELIVERY =
      "SELECT id, webhook_id, event_type, payload, status, attempts, next_attempt_at,"
          + " last_status, last_error, created_at, delivered_at FROM webhook_deliveries";

  long insert(
      Handle h, String name, String url, Set<String> events, String secret, Long by, Instant now) {
    return h.createUpdate(
            "INSERT INTO webhooks (name, url, events, secret, created_by, created_at)"
                + " VALUES (:name, :url, :events, :secret, :by, :now)")
        .bind("name", name)
        .bind("url", url)
        .bind("events", String.join(",", events))
        .bind("secret", secret)
        .bind("by", by)
        .bind("now", now)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  void update(Handle h, long id, String name, String url, Set<String> events) {
    h.createUpdate("UPDATE webhooks SET name = :name, url = :url, events = :events WHERE id = :id")
        .bind("name", name)
        .bind("url", url)
        .bind("events", String.join(",", events))
        .bind("id", id)
        .execute();
  }

  List<Webhook> all(Handle h) {
    return h.createQuery(WEBHOOK + " ORDER BY id").map((rs, ctx) -> webhook(rs)).list();
  }

  Optional<Webhook> byId(Handle h, long id) {
    return h.createQuery(WEBHOOK + " WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> webhook(rs))
        .findOne();
  }

  void delete(Handle h, long id) {
    h.createUpdate("DELETE FROM webhooks WHERE id = :id").bind("id", id).execute();
  }

  void enable(Handle h, long id) {
    h.createUpdate(
            "UPDATE webhooks SET disabled_at = NULL, disabled_reason = NULL, failures = 0"
                + " WHERE id = :id")
        .bind("id", id)
        .execute();
    // What failed while it was off gets another round of tries.
    h.createUpdate(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, lease_until = NULL"
                + " WHERE webhook_id = :id AND status = 'failed' AND delivered_at IS NULL")
        .bind("id", id)
        .execute();
  }

  void disable(Handle h, long id, Instant now, String reason) {
    h.createUpdate(
            "UPDATE webhooks SET disabled_at = :now, disabled_reason = :reason"
                + " WHERE id = :id AND disabled_at IS NULL")
        .bind("now", now)
        .bind("reason", reason)
        .bind("id", id)
        .execute();
  }

  void setFailures(Handle h, long id, int failures) {
    h.createUpdate("UPDATE webhooks SET failures = :f WHERE id = :id")
        .bind("f", failures)
        .bind("id", id)
        .execute();
  }

  // ---- deliveries

  /** Adds one event for one endpoint, unless it is there already (another node added it). */
  boolean enqueue(
      Handle h, long webhookId, String eventKey, String type, String payload, Instant now) {
    return h.createUpdate(
                "INSERT INTO webhook_deliveries (webhook_id, event_key, event_type, payload,"
                    + " status, next_attempt_at, created_at) VALUES (:w, :key, :type, :payload,"
                    + " 'pending', :now, :now) ON CONFLICT (webhook_id, event_key) DO NOTHING")
            .bind("w", webhookId)
            .bind("key", eventKey)
            .bind("type", type)
            .bind("payload", payload)
            .bind("now", now)
            .execute()
        == 1;
  }

  /** Pending deliveries of enabled endpoints whose time has come and that nobody holds. */
  List<Long> due(Handle h, Instant now, int limit) {
    return h.createQuery(
            "SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                + " WHERE d.status = 'pending' AND d.next_attempt_at <= :now"
                + " AND (d.lease_until IS NULL OR d.lease_until < :now) AND w.disabled_at IS NULL"
                + " ORDER BY d.id LIMIT :limit")
        .bind("now", now)
        .bind("limit", limit)
        .mapTo(Long.class)
        .list();
  }

  /** Takes a delivery for one try; false when another node took it first. */
  boolean lease(Handle h, long id, Instant now, Instant until) {
    return h.createUpdate(
                "UPDATE webhook_deliveries SET lease_until = :until WHERE id = :id"
                    + " AND status = 'pending' AND (lease_until IS NULL OR lease_until < :now)")
            .bind("until", until)
            .bind("id", id)
            .bind("now", now)
            .execute()
        == 1;
  }

  Optional<WebhookDelivery> delivery(Handle h, long id) {
    return h.createQuery(DELIVERY + " WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> delivery(rs))
        .findOne();
  }

  List<WebhookDelivery> recent(Handle h, long webhookId, int limit) {
    return h.createQuery(DELIVERY + " WHERE webhook_id = :w ORDER BY id DESC LIMIT :limit")
        .bind("w", webhookId)
        .bind("limit", limit)
        .map((rs, ctx) -> delivery(rs))
        .list();
  }

  List<WebhookDelivery.Attempt> attempts(Handle h, long deliveryId) {
    return h.createQuery(
            "SELECT at, status, error, millis FROM webhook_attempts WHERE delivery_id = :d"
                + " ORDER BY id")
        .bind("d", deliveryId)
        .map(
            (rs, ctx) -> {
              int status = rs.getInt("status");
              Integer code = rs.wasNull() ? null : status;
              return new WebhookDelivery.Attempt(
                  instant(rs, "at"), code, rs.getString("error"), rs.getInt("millis"));
            })
        .list();
  }

  void recordAttempt(
      Handle h, long deliveryId, Instant at, Integer status, String error, int millis) {
    h.createUpdate(
            "INSERT INTO webhook_attempts (delivery_id, at, status, error, millis)"
                + " VALUES (:d, :at, :status, :error, :millis)")
        .bind("d", deliveryId)
        .bind("at", at)
        .bind("status", status)
        .bind("error", error)
        .bind("millis", millis)
        .execute();
  }

  void delivered(Handle h, long id, int attempts, int status, Instant now) {
    h.createUpdate(
            "UPDATE webhook_deliveries SET status = 'delivered', attempts = :a, last_status = :s,"
                + " last_error = NULL, delivered_at = :now, lease_until = NULL WHERE id = :id")
        .bind("a", attempts)
        .bind("s", status)
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  void failedTry(
      Handle h, long id, int attempts, Integer status, String error, Instant next, boolean last) {
    h.createUpdate(
            "UPDATE webhook_deliveries SET status = :st, attempts = :a, last_status = :s,"
                + " last_error = :e, next_attempt_at = :next, lease_until = NULL WHERE id = :id")
        .bind("st", last ? "failed" : "pending")
        .bind("a", attempts)
        .bind("s", status)
        .bind("e", error)
        .bind("next", next)
        .bind("id", id)
        .execute();
  }

  int purgeBefore(Handle h, Instant before) {
    return h.createUpdate(
            "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < :before")
        .bind("before", before)
        .execute();
  }

  // ---- how far the change feed was turned into events

  Optional<Long> cursor(Handle h) {
    return h.createQuery("SELECT change_id FROM webhook_cursor WHERE id = 1")
        .mapTo(Long.class)
        .findOne();
  }

  void advance(Handle h, long changeId) {
    int updated =
        h.createUpdate("UPDATE webhook_cursor SET change_id = :c WHERE id = 1 AND change_id < :c")
            .bind("c", changeId)
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO webhook_cursor (id, change_id) VALUES (1, :c) ON CONFLICT (id) DO NOTHING")
          .bind("c", changeId)
          .execute();
    }
  }

  private static Webhook webhook(ResultSet rs) throws SQLException {
    Set<String> events =
        new LinkedHashSet<>(
            Arrays.stream(rs.getString("events").split(","))
                .map(String::strip)
                .filter(e -> !e.isEmpty())
                .toList());
    return new Webhook(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("url"),
        events,
        rs.getString("secret"),
        instant(rs, "created_at"),
        rs.getInt("failures"),
        instant(rs, "disabled_at"),
        rs.getString("disabled_reason"));
  }

  private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
    int last = rs.getInt("last_status");
    Integer lastStatus = rs.wasNull() ? null : last;
    return new WebhookDelivery(
        rs.getLong("id"),
        rs.getLong("webhook_id"),
        rs.getString("event_type"),
        rs.getString("payload"),
        rs.getString("status"),
        rs.getInt("attempts"),
        instant(rs, "next_attempt_at"),
        lastStatus,
        rs.getString("last_error"),
        instant(rs, "created_at"),
        instant(rs, "delivered_at"),
        List.of());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
