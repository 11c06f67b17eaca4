package org.broadsheet.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Server-side sessions in the database, so any node can serve a signed-in member. The browser holds
 * only a random token; the database keeps its SHA-256, the member, a CSRF token and when it was
 * last used. Sessions end after {@link #IDLE} without use or {@link #ABSOLUTE} after sign-in, at
 * sign-out, at "sign out everywhere", deactivation or a password reset. Thread-safe.
 */
public final class Sessions {

  public static final Duration IDLE = Duration.ofHours(12);
  public static final Duration ABSOLUTE = Duration.ofDays(14);
  private static final long TOUCH_EVERY_MS = 60_000;

  /** A new session: the token for the cookie and the CSRF token for forms. */
  public record Created(String token, String csrf) {}

  /** A live session: who, their CSRF token, and the token's hash (its id). */
  public record Current(User user, String csrf, String tokenHash) {}

  private final Jdbi jdbi;
  private final SecureRandom random;
  private final Clock clock;

  public Sessions(Jdbi jdbi, SecureRandom random, Clock clock) {
    this.jdbi = jdbi;
    this.random = random;
    this.clock = clock;
  }

  private String token() {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return Accounts.Base64Url.encode(raw);
  }

  /**
   * Starts a session for the member. A session the browser already had (its token) is ended, so the
   * id always changes at sign-in.
   */
  public Created start(long userId, String previousToken, String ip, String userAgent) {
    if (previousToken != null) {
      end(previousToken);
    }
    String token = token();
    String csrf = token();
    long now = clock.millis();
    jdbi.useTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)"
                        + " VALUES (:t, :u, :c, :now, :now, :ip, :ua)")
                .bind("t", Accounts.sha256(token))
                .bind("u", userId)
                .bind("c", csrf)
                .bind("now", now)
                .bind("ip", ip == null ? "" : ip)
                .bind(
                    "ua",
                    userAgent == null
                        ? ""
                        : userAgent.substring(0, Math.min(300, userAgent.length())))
                .execute());
    return new Created(token, csrf);
  }

  /** The live session for a cookie token, if any; refreshes its last use now and then. */
  public Optional<Current> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Optional.empty();
    }
    String hash = Accounts.sha256(token);
    long now = clock.millis();
    record Row(User user, String csrf, long created, long seen) {}
    Optional<Row> row =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT u.*, s.csrf_token, s.created_at AS s_created, s.last_seen_at"
                            + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = :t")
                    .bind("t", hash)
                    .map(
                        (rs, c) ->
                            new Row(
                                Accounts.map(rs),
                                rs.getString("csrf_token"),
                                rs.getLong("s_created"),
                                rs.getLong("last_seen_at")))
                    .findOne());
    if (row.isEmpty()) {
      return Optional.empty();
    }
    Row r = row.get();
    boolean expired =
        now - r.seen() > IDLE.toMillis()
            || now - r.created() > ABSOLUTE.toMillis()
            || r.created() < r.user().sessionsValidAfter().toEpochMilli()
            || !r.user().active();
    if (expired) {
      end(token);
      return Optional.empty();
    }
    if (now - r.seen() > TOUCH_EVERY_MS) {
      jdbi.useTransaction(
          h ->
              h.createUpdate("UPDATE sessions SET last_seen_at = :now WHERE token_hash = :t")
                  .bind("now", now)
                  .bind("t", hash)
                  .execute());
    }
    return Optional.of(new Current(r.user(), r.csrf(), hash));
  }

  public void end(String token) {
    jdbi.useTransaction(
        h ->
            h.createUpdate("DELETE FROM sessions WHERE token_hash = :t")
                .bind("t", Accounts.sha256(token))
                .execute());
  }

  /** Ends every session of the member, on every device and node. */
  public void endAll(long userId) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM sessions WHERE user_id = :u").bind("u", userId).execute();
          h.createUpdate("UPDATE users SET sessions_valid_after = :now WHERE id = :u")
              .bind("now", clock.millis())
              .bind("u", userId)
              .execute();
        });
  }

  /** Removes sessions past their limits. */
  public void purge() {
    long now = clock.millis();
    jdbi.useTransaction(
        h ->
            h.createUpdate("DELETE FROM sessions WHERE last_seen_at < :idle OR created_at < :abs")
                .bind("idle", now - IDLE.toMillis())
                .bind("abs", now - ABSOLUTE.toMillis())
                .execute());
  }
}
