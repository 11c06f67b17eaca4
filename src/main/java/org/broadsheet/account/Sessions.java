package org.broadsheet.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Server-side sessions in the database, so any node can serve a signed-in member. The browser holds
 * only a random token; the database keeps its SHA-256, the member, a CSRF token and when it was
 * last used. Sessions end after {@link #IDLE} without use or {@link #ABSOLUTE} after sign-in, at
 * sign-out, at "sign out everywhere", deactivation or a password reset. Starting and ending one is
 * a transaction with its audit entry. Thread-safe.
 */
public final class Sessions {

  public static final Duration IDLE = Duration.ofHours(12);
  public static final Duration ABSOLUTE = Duration.ofDays(14);
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** A new session: the token for the cookie and the CSRF token for forms. */
  public record Created(String token, String csrf) {}

  /** A live session: who, their CSRF token, and the token's hash (its id). */
  public record Current(User user, String csrf, String tokenHash) {}

  private final Jdbi jdbi;
  private final SecureRandom random;
  private final Clock clock;
  private final Audit audit;
  private final SessionStore store = new SessionStore();

  public Sessions(Jdbi jdbi, SecureRandom random, Clock clock, Audit audit) {
    this.jdbi = jdbi;
    this.random = random;
    this.clock = clock;
    this.audit = audit;
  }

  private String token() {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return Accounts.Base64Url.encode(raw);
  }

  /**
   * Signs the member in: a session the browser already had (its token) is ended, so the id always
   * changes at sign-in; the new session and the audit entry are one transaction.
   */
  public Created start(
      User user, String previousToken, String ip, String userAgent, String action) {
    String token = token();
    String csrf = token();
    Instant now = clock.instant();
    String agent =
        userAgent == null ? "" : userAgent.substring(0, Math.min(300, userAgent.length()));
    jdbi.useTransaction(
        h -> {
          if (previousToken != null && previousToken.length() <= 100) {
            store.delete(h, Accounts.sha256(previousToken));
          }
          store.insert(
              h, Accounts.sha256(token), user.id(), csrf, now, ip == null ? "" : ip, agent);
          audit.record(h, Actor.of(user, ip), action, user.email(), "");
        });
    return new Created(token, csrf);
  }

  /** The live session for a cookie token, if any; refreshes its last use now and then. */
  public Optional<Current> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Optional.empty();
    }
    String hash = Accounts.sha256(token);
    Instant now = clock.instant();
    Optional<SessionStore.Row> row = jdbi.withHandle(h -> store.find(h, hash));
    if (row.isEmpty()) {
      return Optional.empty();
    }
    SessionStore.Row r = row.get();
    boolean expired =
        Duration.between(r.seen(), now).compareTo(IDLE) > 0
            || Duration.between(r.created(), now).compareTo(ABSOLUTE) > 0
            || r.created().isBefore(r.user().sessionsValidAfter())
            || !r.user().active();
    if (expired) {
      jdbi.useTransaction(h -> store.delete(h, hash));
      return Optional.empty();
    }
    if (Duration.between(r.seen(), now).compareTo(TOUCH_EVERY) > 0) {
      jdbi.useTransaction(h -> store.touch(h, hash, now));
    }
    return Optional.of(new Current(r.user(), r.csrf(), hash));
  }

  /** Ends this browser's session (sign-out), with its audit entry. */
  public void end(String token, Actor actor) {
    jdbi.useTransaction(
        h -> {
          if (token != null && token.length() <= 100) {
            store.delete(h, Accounts.sha256(token));
          }
          audit.record(h, actor, "user.sign-out", actor.email(), "");
        });
  }

  /** Ends every session of the member, on every device and node, with its audit entry. */
  public void endAll(Actor actor) {
    jdbi.useTransaction(
        h -> {
          store.invalidateAllOf(h, actor.userId(), clock.instant());
          audit.record(h, actor, "user.sign-out-everywhere", actor.email(), "");
        });
  }

  /** Removes sessions past their limits. */
  public void purge() {
    Instant now = clock.instant();
    jdbi.useTransaction(h -> store.purge(h, now.minus(IDLE), now.minus(ABSOLUTE)));
  }
}
