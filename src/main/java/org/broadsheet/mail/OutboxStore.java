package org.broadsheet.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * SQL for the outbox, the shared bodies of campaigns and the mailings' history. Every method takes
 * the caller's handle, so the message is queued in the transaction of the change that caused it.
 * Stateless and thread-safe.
 */
final class OutboxStore {

  /** An outbox row as stored; a campaign's copy holds its body's key and the reader's values. */
  record Row(
      long id,
      String idempotencyKey,
      String recipient,
      String subject,
      String textBody,
      String htmlBody,
      String listUnsubscribe,
      String status,
      int attempts,
      String lastError,
      String campaignKey,
      Instant createdAt,
      Instant sentAt,
      boolean bounced,
      String bodyKey,
      String bodyVars) {}

  /** A row due now, and why its address is suppressed (null: it is not). */
  record Due(Row row, String suppressed) {}

  /** A reader's copy of a shared body, its values already as JSON. */
  record SharedCopy(String recipient, String varsJson, String listUnsubscribe, String key) {}

  private static final RowMapper<Row> ROW = (rs, ctx) -> row(rs);

  private static Row row(ResultSet rs) throws SQLException {
    long sent = rs.getLong("sent_at");
    Instant sentAt = rs.wasNull() ? null : Instant.ofEpochMilli(sent);
    rs.getLong("bounced_at");
    boolean bounced = !rs.wasNull();
    return new Row(
        rs.getLong("id"),
        rs.getString("idempotency_key"),
        rs.getString("recipient"),
        rs.getString("subject"),
        rs.getString("text_body"),
        rs.getString("html_body"),
        rs.getString("list_unsubscribe"),
        rs.getString("status"),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getString("campaign_key"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        sentAt,
        bounced,
        rs.getString("body_key"),
        rs.getString("body_vars"));
  }

  /** A campaign's shared body: text, then HTML (may be null). */
  String[] body(Handle h, String key) {
    return h.createQuery("SELECT text_body, html_body FROM mail_bodies WHERE body_key = :k")
        .bind("k", key)
        .map((rs, c) -> new String[] {rs.getString(1), rs.getString(2)})
        .one();
  }

  void insert(Handle h, MailMessage m, String campaign, Instant now) {
    h.createUpdate(
            "INSERT INTO mail_outbox (idempotency_key, recipient, subject, text_body, html_body, list_unsubscribe,"
                + " status, attempts, next_attempt_at, created_at, campaign_key) VALUES (:key, :to, :subject, :text,"
                + " :html, :unsub, 'queued', 0, :now, :now, :campaign) ON CONFLICT (idempotency_key) DO NOTHING")
        .bind("key", m.idempotencyKey())
        .bind("to", m.recipient())
        .bind("subject", m.subject())
        .bind("text", m.text())
        .bind("html", m.html())
        .bind("unsub", m.listUnsubscribe())
        .bind("now", now)
        .bind("campaign", campaign)
        .execute();
  }

  void insertCampaign(Handle h, String key, String kind, String title, long now) {
    h.createUpdate(
            "INSERT INTO mail_campaigns (campaign_key, kind, title, created_at) VALUES (:k, :kind, :t, :now)"
                + " ON CONFLICT (campaign_key) DO NOTHING")
        .bind("k", key)
        .bind("kind", kind)
        .bind("t", title)
        .bind("now", now)
        .execute();
  }

  /** Queued messages no attempt has been made to send yet (some may be on the wire). */
  long untried(Handle h) {
    return h.createQuery(
            "SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued' AND attempts = 0")
        .mapTo(Long.class)
        .one();
  }

  /**
   * The earliest time a queued message is due (its first try, a retry, or the end of a lease); read
   * from the index the senders use, so cheap with a large campaign queued.
   */
  Optional<Instant> earliestDue(Handle h) {
    return h.createQuery("SELECT MIN(next_attempt_at) FROM mail_outbox WHERE status = 'queued'")
        .mapTo(Long.class)
        .findOne()
        .map(Instant::ofEpochMilli);
  }

  /** Queued rows due now, oldest first, each with its address's suppression if it has one. */
  List<Due> due(Handle h, Instant now, int limit) {
    return h.createQuery(
            "SELECT o.*, (SELECT reason FROM mail_suppressions s WHERE s.email = LOWER(o.recipient)"
                + " AND s.reason IN ('bounced', 'complained')) AS suppressed"
                + " FROM mail_outbox o WHERE o.status = 'queued' AND o.next_attempt_at <= :now"
                + " ORDER BY o.next_attempt_at, o.id LIMIT :n")
        .bind("now", now)
        .bind("n", limit)
        .map((rs, ctx) -> new Due(row(rs), rs.getString("suppressed")))
        .list();
  }

  /**
   * Moves each row's next attempt to {@code lease} if it is still queued and due; returns, for each
   * id in order, how many rows changed (1: the row is ours).
   */
  int[] lease(Handle h, List<Long> ids, Instant lease, Instant now) {
    var batch =
        h.prepareBatch(
            "UPDATE mail_outbox SET next_attempt_at = :lease WHERE id = :id AND status = 'queued'"
                + " AND next_attempt_at <= :now");
    for (long id : ids) {
      batch.bind("lease", lease).bind("id", id).bind("now", now).add();
    }
    return batch.execute();
  }

  /**
   * Moves the lease of each row still held under {@code held} to {@code renewed}; returns, for each
   * id in order, how many rows changed (0: the row is no longer ours).
   */
  int[] renew(Handle h, List<Long> ids, Instant held, Instant renewed) {
    if (ids.isEmpty()) {
      return new int[0];
    }
    var batch =
        h.prepareBatch(
            "UPDATE mail_outbox SET next_attempt_at = :renewed WHERE id = :id AND status = 'queued'"
                + " AND next_attempt_at = :held");
    for (long id : ids) {
      batch.bind("renewed", renewed).bind("id", id).bind("held", held).add();
    }
    return batch.execute();
  }

  void fail(Handle h, long id, String error) {
    h.createUpdate("UPDATE mail_outbox SET status = 'failed', last_error = :e WHERE id = :id")
        .bind("e", error)
        .bind("id", id)
        .execute();
  }

  void insertBody(Handle h, String key, String text, String html, long now) {
    h.createUpdate(
            "INSERT INTO mail_bodies (body_key, text_body, html_body, created_at) VALUES (:k, :t, :h, :now)"
                + " ON CONFLICT (body_key) DO NOTHING")
        .bind("k", key)
        .bind("t", text)
        .bind("h", html)
        .bind("now", now)
        .execute();
  }

  void insertShared(
      Handle h,
      String subject,
      String bodyKey,
      String campaign,
      List<SharedCopy> copies,
      long now) {
    var batch =
        h.prepareBatch(
            "INSERT INTO mail_outbox (idempotency_key, recipient, subject, text_body, html_body, list_unsubscribe,"
                + " status, attempts, next_attempt_at, created_at, campaign_key, body_key, body_vars) VALUES"
                + " (:key, :to, :subject, '', NULL, :unsub, 'queued', 0, :now, :now, :campaign, :body, :vars)"
                + " ON CONFLICT (idempotency_key) DO NOTHING");
    for (SharedCopy c : copies) {
      batch
          .bind("key", c.key())
          .bind("to", c.recipient())
          .bind("subject", subject)
          .bind("unsub", c.listUnsubscribe())
          .bind("now", now)
          .bind("campaign", campaign)
          .bind("body", bodyKey)
          .bind("vars", c.varsJson())
          .add();
    }
    if (!copies.isEmpty()) {
      batch.execute();
    }
  }

  void markSent(Handle h, List<Long> ids, Instant now) {
    h.createUpdate(
            "UPDATE mail_outbox SET status = 'sent', sent_at = :now, attempts = attempts + 1,"
                + " last_error = NULL WHERE id IN (<ids>)")
        .bind("now", now)
        .bindList("ids", ids)
        .execute();
  }

  void reschedule(Handle h, long id, String status, int attempts, Instant next, String error) {
    h.createUpdate(
            "UPDATE mail_outbox SET status = :status, attempts = :attempts, next_attempt_at = :next,"
                + " last_error = :error WHERE id = :id")
        .bind("status", status)
        .bind("attempts", attempts)
        .bind("next", next)
        .bind("error", error)
        .bind("id", id)
        .execute();
  }

  List<Row> recent(
      Handle h, String status, String recipient, boolean mailingsOnly, int limit, int offset) {
    return h.createQuery(
            "SELECT * FROM mail_outbox WHERE (:status = '' OR status = :status)"
                + " AND (:to = '' OR recipient = :to)"
                + (mailingsOnly ? " AND campaign_key IS NOT NULL" : "")
                + " ORDER BY id DESC LIMIT :n OFFSET :o")
        .bind("status", status)
        .bind("to", recipient)
        .bind("n", limit)
        .bind("o", offset)
        .map(ROW)
        .list();
  }

  Optional<Row> byId(Handle h, long id) {
    return h.createQuery("SELECT * FROM mail_outbox WHERE id = :id")
        .bind("id", id)
        .map(ROW)
        .findOne();
  }

  List<Outbox.Campaign> campaigns(Handle h, int limit, int offset) {
    return h.createQuery(
            "SELECT c.campaign_key, c.kind, c.title, c.created_at,"
                + " COALESCE(SUM(CASE WHEN o.status = 'queued' THEN 1 ELSE 0 END), 0) AS queued,"
                + " COALESCE(SUM(CASE WHEN o.status = 'sent' THEN 1 ELSE 0 END), 0) AS sent,"
                + " COALESCE(SUM(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,"
                + " COALESCE(SUM(CASE WHEN o.bounced_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS bounced"
                + " FROM mail_campaigns c LEFT JOIN mail_outbox o ON o.campaign_key = c.campaign_key"
                + " GROUP BY c.campaign_key, c.kind, c.title, c.created_at"
                + " ORDER BY c.created_at DESC, c.campaign_key DESC LIMIT :n OFFSET :o")
        .bind("n", limit)
        .bind("o", offset)
        .map(
            (rs, c) ->
                new Outbox.Campaign(
                    rs.getString("campaign_key"),
                    rs.getString("kind"),
                    rs.getString("title"),
                    Instant.ofEpochMilli(rs.getLong("created_at")),
                    rs.getInt("queued"),
                    rs.getInt("sent"),
                    rs.getInt("failed"),
                    rs.getInt("bounced")))
        .list();
  }
}
