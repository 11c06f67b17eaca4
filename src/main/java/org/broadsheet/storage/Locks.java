package org.broadsheet.storage;

import org.jdbi.v3.core.Handle;

/**
 * Named locks held until the caller's transaction ends, the same on every node and both databases:
 * one row per name in {@code rate_locks}, made if missing and then updated, so the second
 * transaction to ask waits for the first to commit and then sees what it wrote. Take one as the
 * first write of a check-then-act transaction (a limit counted, a first admin made): on SQLite it
 * also takes the write lock before any read. Stateless.
 */
public final class Locks {

  private Locks() {}

  /** Waits for, then holds until commit or rollback, the lock called {@code name}. */
  public static void exclusive(Handle h, String name) {
    h.createUpdate("INSERT INTO rate_locks (scope) VALUES (:s) ON CONFLICT (scope) DO NOTHING")
        .bind("s", name)
        .execute();
    h.createUpdate("UPDATE rate_locks SET scope = scope WHERE scope = :s")
        .bind("s", name)
        .execute();
  }
}
