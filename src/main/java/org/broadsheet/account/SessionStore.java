package org.broadsheet.account;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for newsroom sessions. Every method takes the caller's handle. Stateless, thread-safe. */
final class SessionStore {

  /** A session row with its member. */
  record Row(User user, String csrf, Instant created, Instant seen) {}

  void insert(
      Handle h,
      String tokenHash,
      long userId,
      String csrf,
      Instant now,
      String ip,
      String userAgent) {
    h.createUpdate(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip,"
                + " user_agent) VALUES (:t, :u, :c, :now, :now, :ip, :ua)")
        .bind("t", tokenHash)
        .bind("u", userId)
        .bind("c", csrf)
        .bind("now", now)
        .bind("ip", ip)
        .bind("ua", userAgent)
        .execute();
  }

  Optional<Row> find(Handle h, String tokenHash) {
    return h.createQuery(
            "SELECT u.*, s.csrf_token, s.created_at AS s_created, s.last_seen_at"
                + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = :t")
        .bind("t", tokenHash)
        .map(
            (rs, c) ->
                new Row(
                    AccountStore.map(rs),
                    rs.getString("csrf_token"),
                    Instant.ofEpochMilli(rs.getLong("s_created")),
                    Instant.ofEpochMilli(rs.getLong("last_seen_at"))))
        .findOne();
  }

  void touch(Handle h, String tokenHash, Instant now) {
    h.createUpdate("UPDATE sessions SET last_seen_at = :now WHERE token_hash = :t")
        .bind("now", now)
        .bind("t", tokenHash)
        .execute();
  }

  void delete(Handle h, String tokenHash) {
    h.createUpdate("DELETE FROM sessions WHERE token_hash = :t").bind("t", tokenHash).execute();
  }

  void deleteAllOf(Handle h, long userId) {
    h.createUpdate("DELETE FROM sessions WHERE user_id = :u").bind("u", userId).execute();
  }

  void invalidateAllOf(Handle h, long userId, Instant now) {
    deleteAllOf(h, userId);
    h.createUpdate("UPDATE users SET sessions_valid_after = :now WHERE id = :u")
        .bind("now", now)
        .bind("u", userId)
        .execute();
  }

  void purge(Handle h, Instant idleBefore, Instant createdBefore) {
    h.createUpdate("DELETE FROM sessions WHERE last_seen_at < :idle OR created_at < :abs")
        .bind("idle", idleBefore)
        .bind("abs", createdBefore)
        .execute();
  }
}
