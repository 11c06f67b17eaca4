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
  private final BounceStore store = new BounceStore();
  private final SubscriberStore subscribers = new SubscriberStore();

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
          store.insertBounce(
              h, email, kind.name().toLowerCase(Locale.ROOT), detail, row.orElse(null), now);
          if (kind != Kind.COMPLAINT) {
            row.ifPresent(id -> store.markBounced(h, id, now));
          }
          boolean suppress =
              kind != Kind.SOFT
                  || store.softBounces(h, email, now - SOFT_WINDOW.toMillis()) >= SOFT_LIMIT;
          String reason = kind == Kind.COMPLAINT ? "complained" : "bounced";
          if (suppress) {
            store.suppress(h, email, reason, detail, now);
            // Anything still queued for the address will never go.
            store.failQueued(h, email, "suppressed: " + reason + " address, never mailed again");
          }
          int known =
              suppress
                  ? subscribers.markSuppressed(h, email, reason)
                  : subscribers.countByEmail(h, email);
          return new Outcome(email, kind, suppress, known > 0);
        });
  }

  /** The outbox row the report is about: by Message-ID when it names one to this address. */
  private Optional<Long> bouncedRow(Handle h, String email, String messageId) {
    Optional<Long> named = Outbox.rowOf(messageId).filter(id -> store.isTo(h, id, email));
    if (named.isPresent()) {
      return named;
    }
    return store.latestSentTo(h, email);
  }

  /** Lifts a suppression (the reader fixed their mailbox and asked again); not a subscription. */
  public boolean lift(String rawEmail) {
    String email = Subscriptions.address(rawEmail);
    return jdbi.inTransaction(h -> store.lift(h, email)) > 0;
  }
}
