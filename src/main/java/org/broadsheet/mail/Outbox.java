package org.broadsheet.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail outbox: messages are queued in the database in the same transaction as the change that
 * caused them, then a worker delivers them with retries and exponential backoff. A message is
 * claimed with a lease before sending, so two nodes never send the same row; a permanent failure
 * (5xx, bad address) or too many attempts marks it failed. Thread-safe.
 */
public final class Outbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  static final int MAX_ATTEMPTS = 8;
  static final Duration LEASE = Duration.ofMinutes(5);

  /** A queued message as stored. */
  public record Queued(
      long id, MailMessage message, String status, int attempts, String lastError) {}

  private final Jdbi jdbi;
  private final MailTransport transport;
  private final Clock clock;
  private final String messageIdDomain;
  private ScheduledExecutorService worker;

  public Outbox(Jdbi jdbi, MailTransport transport, Clock clock, String messageIdDomain) {
    this.jdbi = jdbi;
    this.transport = transport;
    this.clock = clock;
    this.messageIdDomain = messageIdDomain;
  }

  /** Queues a message inside the caller's transaction; a repeated idempotency key is ignored. */
  public void enqueue(Handle h, MailMessage m) {
    Instant now = clock.instant();
    h.createUpdate(
            "INSERT INTO mail_outbox (idempotency_key, recipient, subject, text_body, html_body, list_unsubscribe,"
                + " status, attempts, next_attempt_at, created_at) VALUES (:key, :to, :subject, :text, :html, :unsub,"
                + " 'queued', 0, :now, :now) ON CONFLICT (idempotency_key) DO NOTHING")
        .bind("key", m.idempotencyKey())
        .bind("to", m.recipient())
        .bind("subject", m.subject())
        .bind("text", m.text())
        .bind("html", m.html())
        .bind("unsub", m.listUnsubscribe())
        .bind("now", now)
        .execute();
  }

  /** Delivers every message that is due now; returns how many were sent. */
  public int deliverDue() {
    int sent = 0;
    while (true) {
      Instant now = clock.instant();
      List<Queued> due =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT * FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= :now"
                              + " ORDER BY id LIMIT 50")
                      .bind("now", now)
                      .map((rs, ctx) -> queued(rs))
                      .list());
      if (due.isEmpty()) {
        return sent;
      }
      int claimedAny = 0;
      for (Queued q : due) {
        if (!claim(q.id(), now)) {
          continue;
        }
        claimedAny++;
        String messageId =
            "<"
                + q.id()
                + "."
                + q.message().idempotencyKey().hashCode()
                + "@"
                + messageIdDomain
                + ">";
        try {
          transport.send(q.message(), messageId);
          jdbi.useHandle(
              h ->
                  h.createUpdate(
                          "UPDATE mail_outbox SET status = 'sent', sent_at = :now, attempts = attempts + 1,"
                              + " last_error = NULL WHERE id = :id")
                      .bind("now", clock.instant())
                      .bind("id", q.id())
                      .execute());
          sent++;
        } catch (MailTransport.MailFailure failure) {
          recordFailure(q, failure);
        }
      }
      if (claimedAny == 0) {
        return sent;
      }
    }
  }

  private boolean claim(long id, Instant now) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE mail_outbox SET next_attempt_at = :lease WHERE id = :id AND status = 'queued'"
                            + " AND next_attempt_at <= :now")
                    .bind("lease", now.plus(LEASE))
                    .bind("id", id)
                    .bind("now", now)
                    .execute())
        == 1;
  }

  private void recordFailure(Queued q, MailTransport.MailFailure failure) {
    int attempts = q.attempts() + 1;
    boolean giveUp = failure.permanent() || attempts >= MAX_ATTEMPTS;
    Duration backoff = Duration.ofSeconds(Math.min(3600, 30L << Math.min(attempts - 1, 10)));
    LOG.warn(
        "Mail {} to outbox row {} {}: {}",
        giveUp ? "failed for good" : "will be retried",
        q.id(),
        giveUp ? "" : "in " + backoff.toSeconds() + " s",
        failure.getMessage());
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE mail_outbox SET status = :status, attempts = :attempts, next_attempt_at = :next,"
                        + " last_error = :error WHERE id = :id")
                .bind("status", giveUp ? "failed" : "queued")
                .bind("attempts", attempts)
                .bind("next", clock.instant().plus(backoff))
                .bind(
                    "error",
                    failure.getMessage().length() > 500
                        ? failure.getMessage().substring(0, 500)
                        : failure.getMessage())
                .bind("id", q.id())
                .execute());
  }

  private static Queued queued(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Queued(
        rs.getLong("id"),
        new MailMessage(
            rs.getString("recipient"),
            rs.getString("subject"),
            rs.getString("text_body"),
            rs.getString("html_body"),
            rs.getString("list_unsubscribe"),
            rs.getString("idempotency_key")),
        rs.getString("status"),
        rs.getInt("attempts"),
        rs.getString("last_error"));
  }

  /** Starts delivering in the background every few seconds. */
  public void start(Duration interval) {
    worker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mail-outbox").daemon().factory());
    worker.scheduleWithFixedDelay(
        () -> {
          try {
            deliverDue();
          } catch (RuntimeException e) {
            LOG.warn("Mail delivery round failed: {}", e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.shutdownNow();
    }
  }
}
