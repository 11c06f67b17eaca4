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

  private final ChallengeStore store = new ChallengeStore();

  /** Marks a challenge used; false when it had been used before. */
  public boolean spend(String signature, Instant expiresAt) {
    return jdbi.inTransaction(h -> store.spend(h, signature, expiresAt));
  }

  /** Marks a challenge used inside the caller's transaction; false when it had been used before. */
  public boolean spend(org.jdbi.v3.core.Handle h, String signature, Instant expiresAt) {
    return store.spend(h, signature, expiresAt);
  }

  /** Deletes the records of challenges that expired before the given time; returns how many. */
  public int purgeExpired(Instant before) {
    return jdbi.inTransaction(h -> store.purgeSpent(h, before));
  }

  public int count() {
    return jdbi.withHandle(store::countSpent);
  }
}
