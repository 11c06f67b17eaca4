package org.broadsheet.account;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit log: who did what to what, when and from where, for every newsroom action. A service
 * records its entry in the same transaction as the change it describes, so the log never tells of a
 * change that did not happen, nor misses one that did. Thread-safe.
 */
public final class Audit {

  /** One entry. */
  public record Entry(
      long id,
      String userEmail,
      String action,
      String target,
      String detail,
      String ip,
      Instant at) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditStore store = new AuditStore();

  public Audit(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Records an entry inside the caller's transaction. */
  public void record(Handle h, Actor actor, String action, String target, String detail) {
    store.insert(h, actor, action, target, detail, clock.instant());
  }

  /** Records an entry on its own, for an action that changes nothing else (an export, a view). */
  public void record(Actor actor, String action, String target, String detail) {
    jdbi.useTransaction(h -> record(h, actor, action, target, detail));
  }

  /** The newest entries first. */
  public List<Entry> latest(int limit, int offset) {
    return jdbi.withHandle(h -> store.latest(h, limit, offset));
  }
}
