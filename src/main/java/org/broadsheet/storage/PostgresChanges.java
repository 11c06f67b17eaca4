package org.broadsheet.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.LocalTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * How changes are written on PostgreSQL so that the feed's ids follow commit order. Ids come from a
 * sequence when a row is inserted, and PostgreSQL commits concurrent transactions in any order: a
 * transaction that took id 7 may commit after one that took id 8, and a reader that saw 8 and moved
 * its cursor past it would never see 7.
 *
 * <p>So a transaction's changes are held back until it is about to commit: then it takes one
 * advisory lock for the whole site, inserts them (taking their ids), asks for a notification, and
 * commits, which releases the lock. The next transaction with changes gets its ids only after this
 * one has committed, so ids are handed out in commit order and a change with a lower id is always
 * visible before one with a higher id. The lock is held only for those last statements, never while
 * the transaction waits on anything else, so it cannot take part in a deadlock. A savepoint that is
 * rolled back drops the changes recorded after it.
 *
 * <p>The notification (LISTEN/NOTIFY, delivered at commit, in commit order) wakes every node's feed
 * at once; polling stays as the safety net. Thread-safe.
 */
final class PostgresChanges extends DelegatingTransactionHandler {

  /** The advisory lock that orders commits with changes ("bschange"). */
  static final long LOCK = 0x6273_6368_616e_6765L;

  /** The notification channel. */
  static final String CHANNEL = "broadsheet_changes";

  /** A change waiting for its transaction's commit. */
  private record Row(String entity, long entityId, String kind, Instant at) {}

  /** One open transaction's changes and savepoints. */
  private static final class Pending {
    final List<Row> rows = new ArrayList<>();
    final Map<String, Integer> savepoints = new HashMap<>();
  }

  private final Map<Handle, Pending> open = new ConcurrentHashMap<>();
  private final ConnectionFactory listenerConnections;

  /** Opens a connection outside the pool, for LISTEN. */
  @FunctionalInterface
  interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  PostgresChanges(ConnectionFactory listenerConnections) {
    super(LocalTransactionHandler.binding());
    this.listenerConnections = listenerConnections;
  }

  /** A connection of its own for waiting on notifications. */
  Connection openListener() throws SQLException {
    return listenerConnections.open();
  }

  /**
   * Records a change: held until the handle's transaction commits, or written in a transaction of
   * its own when the handle is not in one.
   */
  void record(Handle handle, Change.Entity entity, long entityId, Change.Kind kind, Instant at) {
    Row row = new Row(entity.dbValue(), entityId, kind.dbValue(), at);
    if (handle.isInTransaction()) {
      open.computeIfAbsent(handle, h -> new Pending()).rows.add(row);
    } else {
      handle.useTransaction(h -> open.computeIfAbsent(h, x -> new Pending()).rows.add(row));
    }
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
      throws X {
    if (handle.isInTransaction()) {
      return super.inTransaction(handle, callback);
    }
    try {
      return super.inTransaction(handle, withChanges(callback));
    } finally {
      open.remove(handle);
    }
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
    if (handle.isInTransaction()) {
      return super.inTransaction(handle, level, callback);
    }
    try {
      return super.inTransaction(handle, level, withChanges(callback));
    } finally {
      open.remove(handle);
    }
  }

  private <R, X extends Exception> HandleCallback<R, X> withChanges(HandleCallback<R, X> callback) {
    return h -> {
      R result = callback.withHandle(h);
      Pending pending = open.remove(h);
      if (pending != null && !pending.rows.isEmpty()) {
        write(h, pending.rows);
      }
      return result;
    };
  }

  private static void write(Handle h, List<Row> rows) {
    h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
        .bind("key", LOCK)
        .mapTo(Integer.class)
        .one();
    var batch =
        h.prepareBatch(
            "INSERT INTO changes (entity, entity_id, kind, at) VALUES (:entity, :entityId, :kind, :at)");
    for (Row r : rows) {
      batch
          .bind("entity", r.entity())
          .bind("entityId", r.entityId())
          .bind("kind", r.kind())
          .bind("at", r.at())
          .add();
    }
    batch.execute();
    h.createQuery("SELECT 1 FROM (SELECT pg_notify(:channel, '')) AS notified")
        .bind("channel", CHANNEL)
        .mapTo(Integer.class)
        .one();
  }

  @Override
  public void savepoint(Handle handle, String name) {
    super.savepoint(handle, name);
    Pending pending = open.computeIfAbsent(handle, h -> new Pending());
    pending.savepoints.put(name, pending.rows.size());
  }

  @Override
  public void rollbackToSavepoint(Handle handle, String name) {
    super.rollbackToSavepoint(handle, name);
    Pending pending = open.get(handle);
    if (pending != null) {
      Integer size = pending.savepoints.get(name);
      if (size != null && size < pending.rows.size()) {
        pending.rows.subList(size, pending.rows.size()).clear();
      }
    }
  }

  @Override
  public void rollback(Handle handle) {
    open.remove(handle);
    super.rollback(handle);
  }
}
