package org.broadsheet.captcha;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for the human check: the signing keys and the challenges already spent. Every method takes
 * the caller's handle. Stateless and thread-safe.
 */
final class ChallengeStore {

  private static final String KEY_COLUMNS = "id, secret, created_at, retired_at";

  private static final org.jdbi.v3.core.mapper.RowMapper<HumanCheckKeys.Key> KEY =
      org.jdbi.v3.core.mapper.reflect.ConstructorMapper.of(HumanCheckKeys.Key.class);

  Optional<HumanCheckKeys.Key> keyIfUsable(Handle h, long id, Instant retiredAfter) {
    return h.createQuery(
            "SELECT "
                + KEY_COLUMNS
                + " FROM human_check_keys WHERE id = :id"
                + " AND (retired_at IS NULL OR retired_at > :oldest)")
        .bind("id", id)
        .bind("oldest", retiredAfter)
        .map(KEY)
        .findOne();
  }

  Optional<HumanCheckKeys.Key> activeKey(Handle h) {
    return h.createQuery(
            "SELECT "
                + KEY_COLUMNS
                + " FROM human_check_keys WHERE retired_at IS NULL ORDER BY id LIMIT 1")
        .map(KEY)
        .findOne();
  }

  void retireActiveKeys(Handle h, Instant now) {
    h.createUpdate("UPDATE human_check_keys SET retired_at = :now WHERE retired_at IS NULL")
        .bind("now", now)
        .execute();
  }

  void insertKey(Handle h, String secret, Instant now) {
    h.createUpdate("INSERT INTO human_check_keys (secret, created_at) VALUES (:s, :at)")
        .bind("s", secret)
        .bind("at", now)
        .execute();
  }

  boolean spend(Handle h, String signature, Instant expiresAt) {
    return h.createUpdate(
                "INSERT INTO human_check_spent (signature, expires_at) VALUES (:s, :e)"
                    + " ON CONFLICT (signature) DO NOTHING")
            .bind("s", signature)
            .bind("e", expiresAt)
            .execute()
        == 1;
  }

  int purgeSpent(Handle h, Instant before) {
    return h.createUpdate("DELETE FROM human_check_spent WHERE expires_at < :before")
        .bind("before", before)
        .execute();
  }

  int countSpent(Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM human_check_spent").mapTo(Integer.class).one();
  }
}
