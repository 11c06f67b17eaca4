package org.broadsheet.captcha;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Solved challenges already used, in the database, so a replayed answer fails on every node that
 * shares it. Records are kept until their challenge expires and then purged. Thread-safe.
 */
public final class SpentChallenges {

  private final Jdbi jdbi;

  public SpentChallenges(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Marks a challenge used; false when it had been used before. */
  public boolean spend(String signature, Instant expiresAt) {
    return jdbi.inTransaction(
            h ->
                h.createUpdate(
                        "INSERT INTO human_check_spent (signature, expires_at) VALUES (:s, :e)"
                            + " ON CONFLICT (signature) DO NOTHING")
                    .bind("s", signature)
                    .bind("e", expiresAt)
                    .execute())
        == 1;
  }

  /** Marks a challenge used inside the caller's transaction; false when it had been used before. */
  public boolean spend(org.jdbi.v3.core.Handle h, String signature, Instant expiresAt) {
    return h.createUpdate(
                "INSERT INTO human_check_spent (signature, expires_at) VALUES (:s, :e)"
                    + " ON CONFLICT (signature) DO NOTHING")
            .bind("s", signature)
            .bind("e", expiresAt)
            .execute()
        == 1;
  }

  /** Deletes the records of challenges that expired before the given time; returns how many. */
  public int purgeExpired(Instant before) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM human_check_spent WHERE expires_at < :before")
                .bind("before", before)
                .execute());
  }

  public int count() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM human_check_spent").mapTo(Integer.class).one());
  }
}
