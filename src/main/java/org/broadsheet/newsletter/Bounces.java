package org.broadsheet.newsletter;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.mail.Outbox;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Bounce and complaint reports, from the provider's webhook or the {@code bounce} command. A hard
 * bounce or a complaint suppresses the address at once: no mail of any kind goes to it again, and
 * its subscription is marked bounced or complained. Soft bounces (a full mailbox) suppress only
 * after {@link #SOFT_LIMIT} within {@link #SOFT_WINDOW}. The message bounced is marked in the
 * outbox (found by its Message-ID, or the latest sent to the address) for the campaign counts.
 * Thread-safe.
 */
public final class Bounces {

  public static final int SOFT_LIMIT = 3;
  public static final Duration SOFT_WINDOW = Duration.ofDays(30);

  /** What the provider reported. */
  public enum Kind {
    HARD,
    SOFT,
    COMPLAINT;

    /** Parses hard, soft or complaint (also the common synonyms permanent, transient, spam). */
    public static Kind parse(String raw) {
      return switch (raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT)) {
        case "hard", "permanent", "bounce", "bounced" -> HARD;
        case "soft", "transient", "temporary" -> SOFT;
        case "complaint", "complained", "spam", "abuse" -> COMPLAINT;
        default ->
            throw new ValidationException(
                Map.of("type", "The type must be hard, soft or complaint, not '" + raw + "'."));
      };
    }
  }

  /** What a report did. */
  public record Outcome(String email, Kind kind, boolean suppressed, boolean knownSubscriber) {}

  private final Jdbi jdbi;
  private final Clock clock;

  public Bounces(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public Outcome record(String rawEmail, Kind kind, String messageId, String rawDetail) {
    String email;
    try {
      email = Subscriptions.address(rawEmail);
    } catch (ValidationException e) {
      throw new ValidationException(Map.of("email", "Not an email address: '" + rawEmail + "'."));
    }
    String cleaned = rawDetail == null ? "" : rawDetail.replaceAll("\\p{Cntrl}", " ").strip();
    String detail = cleaned.length() > 500 ? cleaned.substring(0, 500) : cleaned;
    long now = clock.millis();
    return jdbi.inTransaction(
        h -> {
          Optional<Long> row = bouncedRow(h, email, messageId);
          h.createUpdate(
                  "INSERT INTO mail_bounces (email, kind, detail, outbox_id, created_at) VALUES (:e, :k, :d, :o, :now)")
              .bind("e", email)
              .bind("k", kind.name().toLowerCase(Locale.ROOT))
              .bind("d", detail)
              .bind("o", row.orElse(null))
              .bind("now", now)
              .execute();
          if (kind != Kind.COMPLAINT) {
            row.ifPresent(
                id ->
                    h.createUpdate(
                            "UPDATE mail_outbox SET bounced_at = :now WHERE id = :id AND bounced_at IS NULL")
                        .bind("now", now)
                        .bind("id", id)
                        .execute());
          }
          boolean suppress =
              kind != Kind.SOFT
                  || h.createQuery(
                              "SELECT COUNT(*) FROM mail_bounces WHERE email = :e AND kind = 'soft' AND created_at > :since")
                          .bind("e", email)
                          .bind("since", now - SOFT_WINDOW.toMillis())
                          .mapTo(Integer.class)
                          .one()
                      >= SOFT_LIMIT;
          String reason = kind == Kind.COMPLAINT ? "complained" : "bounced";
          if (suppress) {
            h.createUpdate(
                    "INSERT INTO mail_suppressions (email, reason, detail, created_at) VALUES (:e, :r, :d, :now)"
                        + " ON CONFLICT (email) DO NOTHING")
                .bind("e", email)
                .bind("r", reason)
                .bind("d", detail)
                .bind("now", now)
                .execute();
            // Anything still queued for the address will never go.
            h.createUpdate(
                    "UPDATE mail_outbox SET status = 'failed', last_error = :why WHERE LOWER(recipient) = :e AND status = 'queued'")
                .bind("why", "suppressed: " + reason + " address, never mailed again")
                .bind("e", email)
                .execute();
          }
          int known =
              suppress
                  ? h.createUpdate(
                          "UPDATE subscribers SET status = :r WHERE email = :e AND status <> 'complained'")
                      .bind("r", reason)
                      .bind("e", email)
                      .execute()
                  : h.createQuery("SELECT COUNT(*) FROM subscribers WHERE email = :e")
                      .bind("e", email)
                      .mapTo(Integer.class)
                      .one();
          return new Outcome(email, kind, suppress, known > 0);
        });
  }

  /** The outbox row the report is about: by Message-ID when it names one to this address. */
  private static Optional<Long> bouncedRow(Handle h, String email, String messageId) {
    Optional<Long> named =
        Outbox.rowOf(messageId)
            .filter(
                id ->
                    h.createQuery(
                                "SELECT COUNT(*) FROM mail_outbox WHERE id = :id AND recipient = :e")
                            .bind("id", id)
                            .bind("e", email)
                            .mapTo(Integer.class)
                            .one()
                        == 1);
    if (named.isPresent()) {
      return named;
    }
    return h.createQuery(
            "SELECT id FROM mail_outbox WHERE recipient = :e AND status = 'sent' ORDER BY id DESC LIMIT 1")
        .bind("e", email)
        .mapTo(Long.class)
        .findOne();
  }

  /** Lifts a suppression (the reader fixed their mailbox and asked again); not a subscription. */
  public boolean lift(String rawEmail) {
    String email = Subscriptions.address(rawEmail);
    return jdbi.inTransaction(
            h ->
                h.createUpdate("DELETE FROM mail_suppressions WHERE email = :e")
                    .bind("e", email)
                    .execute())
        > 0;
  }
}
