package org.broadsheet.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for members, sign-in failures and password resets. Every method takes the caller's handle, so
 * a service can group writes in one transaction. Stateless and thread-safe.
 */
final class AccountStore {

  static User map(ResultSet rs) throws SQLException {
    long author = rs.getLong("author_id");
    Long authorId = rs.wasNull() ? null : author;
    return new User(
        rs.getLong("id"),
        rs.getString("email"),
        rs.getString("name"),
        Role.parse(rs.getString("role")),
        authorId,
        rs.getBoolean("active"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("sessions_valid_after")));
  }

  int count(Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one();
  }

  List<User> all(Handle h) {
    return h.createQuery("SELECT * FROM users ORDER BY name, id").map((rs, c) -> map(rs)).list();
  }

  Optional<User> byId(Handle h, long id) {
    return h.createQuery("SELECT * FROM users WHERE id = :id")
        .bind("id", id)
        .map((rs, c) -> map(rs))
        .findOne();
  }

  Optional<User> byEmail(Handle h, String email) {
    return h.createQuery("SELECT * FROM users WHERE email = :e")
        .bind("e", email)
        .map((rs, c) -> map(rs))
        .findOne();
  }

  long insert(
      Handle h, String email, String name, String hash, Role role, Long authorId, Instant at) {
    return h.createUpdate(
            "INSERT INTO users (email, name, password_hash, role, author_id, active, created_at)"
                + " VALUES (:e, :n, :p, :r, :a, TRUE, :at)")
        .bind("e", email)
        .bind("n", name)
        .bind("p", hash)
        .bind("r", role.id())
        .bind("a", authorId)
        .bind("at", at)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  Optional<String> passwordHash(Handle h, long userId) {
    return h.createQuery("SELECT password_hash FROM users WHERE id = :id")
        .bind("id", userId)
        .mapTo(String.class)
        .findOne();
  }

  void setPassword(Handle h, long userId, String hash, Instant sessionsValidAfter) {
    h.createUpdate(
            "UPDATE users SET password_hash = :p, sessions_valid_after = :now WHERE id = :id")
        .bind("p", hash)
        .bind("now", sessionsValidAfter)
        .bind("id", userId)
        .execute();
  }

  void linkAuthor(Handle h, long userId, long authorId) {
    h.createUpdate("UPDATE users SET author_id = :a WHERE id = :id")
        .bind("a", authorId)
        .bind("id", userId)
        .execute();
  }

  boolean linkAuthorIfNone(Handle h, long userId, long authorId) {
    return h.createUpdate("UPDATE users SET author_id = :a WHERE id = :id AND author_id IS NULL")
            .bind("a", authorId)
            .bind("id", userId)
            .execute()
        == 1;
  }

  void setRole(Handle h, long userId, Role role) {
    h.createUpdate("UPDATE users SET role = :r WHERE id = :id")
        .bind("r", role.id())
        .bind("id", userId)
        .execute();
  }

  void setActive(Handle h, long userId, boolean active) {
    h.createUpdate("UPDATE users SET active = :a WHERE id = :id")
        .bind("a", active)
        .bind("id", userId)
        .execute();
  }

  // ---- sign-in failures and other counted attempts

  int attempts(Handle h, String scope, Instant since) {
    return h.createQuery("SELECT COUNT(*) FROM sign_in_failures WHERE scope = :s AND at > :since")
        .bind("s", scope)
        .bind("since", since)
        .mapTo(Integer.class)
        .one();
  }

  long addAttempt(Handle h, String scope, Instant at) {
    return h.createUpdate("INSERT INTO sign_in_failures (scope, at) VALUES (:s, :at)")
        .bind("s", scope)
        .bind("at", at)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  void removeAttempt(Handle h, long id) {
    h.createUpdate("DELETE FROM sign_in_failures WHERE id = :id").bind("id", id).execute();
  }

  void clearAttempts(Handle h, String scope) {
    h.createUpdate("DELETE FROM sign_in_failures WHERE scope = :s").bind("s", scope).execute();
  }

  void purgeAttempts(Handle h, Instant before) {
    h.createUpdate("DELETE FROM sign_in_failures WHERE at <= :t").bind("t", before).execute();
  }

  // ---- password resets

  /**
   * Members who have never chosen a password (invited, not yet accepted), each with the time their
   * latest unused link expires (absent: every link used or lapsed).
   */
  java.util.Map<Long, Instant> invitations(Handle h) {
    java.util.Map<Long, Instant> found = new java.util.HashMap<>();
    h.createQuery(
            "SELECT u.id, (SELECT MAX(r.expires_at) FROM password_resets r WHERE r.user_id = u.id"
                + " AND r.used_at IS NULL) AS expires FROM users u WHERE u.password_hash IS NULL")
        .map(
            (rs, ctx) -> {
              long expires = rs.getLong("expires");
              found.put(
                  rs.getLong("id"), rs.wasNull() ? Instant.EPOCH : Instant.ofEpochMilli(expires));
              return 0;
            })
        .list();
    return found;
  }

  void insertReset(Handle h, String tokenHash, long userId, Instant expires) {
    h.createUpdate(
            "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (:t, :u, :x)")
        .bind("t", tokenHash)
        .bind("u", userId)
        .bind("x", expires)
        .execute();
  }

  Optional<Long> resetUser(Handle h, String tokenHash, Instant now) {
    return h.createQuery(
            "SELECT user_id FROM password_resets WHERE token_hash = :t AND used_at IS NULL"
                + " AND expires_at > :now")
        .bind("t", tokenHash)
        .bind("now", now)
        .mapTo(Long.class)
        .findOne();
  }

  /** Ends every unused reset link of the member (a reset was used, or the password changed). */
  void endResets(Handle h, long userId, Instant now) {
    h.createUpdate(
            "UPDATE password_resets SET used_at = :now WHERE user_id = :u AND used_at IS NULL")
        .bind("now", now)
        .bind("u", userId)
        .execute();
  }

  boolean claimReset(Handle h, String tokenHash, Instant now) {
    return h.createUpdate(
                "UPDATE password_resets SET used_at = :now WHERE token_hash = :t AND used_at IS NULL")
            .bind("now", now)
            .bind("t", tokenHash)
            .execute()
        == 1;
  }
}
