package org.broadsheet.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** The SQL of API keys and idempotent requests. Takes the caller's handle. */
final class ApiKeyStore {

  private static final String COLUMNS =
      "k.id, k.name, k.prefix, k.secret_hash, k.scopes, k.owner_id, u.name AS owner_name,"
          + " k.created_at, k.last_used_at, k.revoked_at FROM api_keys k JOIN users u ON u.id ="
          + " k.owner_id";

  long insert(
      Handle h,
      String name,
      String prefix,
      String hash,
      Set<Role.Permission> scopes,
      long owner,
      Instant now) {
    return h.createUpdate(
            "INSERT INTO api_keys (name, prefix, secret_hash, scopes, owner_id, created_at)"
                + " VALUES (:name, :prefix, :hash, :scopes, :owner, :now)")
        .bind("name", name)
        .bind("prefix", prefix)
        .bind("hash", hash)
        .bind("scopes", scopesText(scopes))
        .bind("owner", owner)
        .bind("now", now)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** The key with this prefix and its secret's hash. */
  Optional<Stored> byPrefix(Handle h, String prefix) {
    return h.createQuery("SELECT " + COLUMNS + " WHERE k.prefix = :prefix")
        .bind("prefix", prefix)
        .map((rs, ctx) -> new Stored(key(rs), rs.getString("secret_hash")))
        .findOne();
  }

  record Stored(ApiKey key, String secretHash) {}

  Optional<ApiKey> byId(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " WHERE k.id = :id")
        .bind("id", id)
        .map((rs, ctx) -> key(rs))
        .findOne();
  }

  List<ApiKey> all(Handle h) {
    return h.createQuery("SELECT " + COLUMNS + " ORDER BY k.revoked_at IS NOT NULL, k.id DESC")
        .map((rs, ctx) -> key(rs))
        .list();
  }

  void touch(Handle h, long id, Instant now) {
    h.createUpdate("UPDATE api_keys SET last_used_at = :now WHERE id = :id")
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  boolean revoke(Handle h, long id, Instant now) {
    return h.createUpdate(
                "UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
            .bind("now", now)
            .bind("id", id)
            .execute()
        == 1;
  }

  // ---- idempotent requests

  /** Claims an Idempotency-Key for a request; false when it was claimed before. */
  boolean claim(Handle h, long keyId, String idemKey, String requestHash, Instant now) {
    return h.createUpdate(
                "INSERT INTO api_idempotency (key_id, idem_key, request_hash, status, created_at)"
                    + " VALUES (:key, :idem, :hash, 0, :now) ON CONFLICT DO NOTHING")
            .bind("key", keyId)
            .bind("idem", idemKey)
            .bind("hash", requestHash)
            .bind("now", now)
            .execute()
        == 1;
  }

  Optional<ApiKeys.Remembered> remembered(Handle h, long keyId, String idemKey) {
    return h.createQuery(
            "SELECT request_hash, status, response FROM api_idempotency"
                + " WHERE key_id = :key AND idem_key = :idem")
        .bind("key", keyId)
        .bind("idem", idemKey)
        .map(
            (rs, ctx) ->
                new ApiKeys.Remembered(
                    rs.getString("request_hash"), rs.getInt("status"), rs.getString("response")))
        .findOne();
  }

  void remember(Handle h, long keyId, String idemKey, int status, String response) {
    h.createUpdate(
            "UPDATE api_idempotency SET status = :status, response = :response"
                + " WHERE key_id = :key AND idem_key = :idem")
        .bind("status", status)
        .bind("response", response)
        .bind("key", keyId)
        .bind("idem", idemKey)
        .execute();
  }

  void forget(Handle h, long keyId, String idemKey) {
    h.createUpdate("DELETE FROM api_idempotency WHERE key_id = :key AND idem_key = :idem")
        .bind("key", keyId)
        .bind("idem", idemKey)
        .execute();
  }

  int forgetBefore(Handle h, Instant before) {
    return h.createUpdate("DELETE FROM api_idempotency WHERE created_at < :before")
        .bind("before", before)
        .execute();
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    return new ApiKey(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("prefix"),
        parseScopes(rs.getString("scopes")),
        rs.getLong("owner_id"),
        rs.getString("owner_name"),
        instant(rs, "created_at"),
        instant(rs, "last_used_at"),
        instant(rs, "revoked_at"));
  }

  static String scopesText(Set<Role.Permission> scopes) {
    return scopes.stream()
        .map(p -> p.name().toLowerCase(Locale.ROOT))
        .sorted()
        .collect(Collectors.joining(","));
  }

  static Set<Role.Permission> parseScopes(String text) {
    Set<Role.Permission> scopes = EnumSet.noneOf(Role.Permission.class);
    Arrays.stream(text.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(
            s -> {
              try {
                scopes.add(Role.Permission.valueOf(s.toUpperCase(Locale.ROOT)));
              } catch (IllegalArgumentException newer) {
                // A scope of a newer version: not granted here.
              }
            });
    return scopes;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
