package org.broadsheet.storage;

import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.LocalTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * SQLite allows one writer at a time. Left to itself, concurrent transactions that read and then
 * write fail with "database is locked" (a stale WAL snapshot cannot be upgraded) or spin in the
 * busy handler. This handler lets one transaction of this process run at a time, in arrival order,
 * so writes queue briefly in memory instead. Reads outside transactions are unaffected.
 * Thread-safe.
 */
final class SingleWriterTransactions extends DelegatingTransactionHandler {

  private final ReentrantLock writer = new ReentrantLock(true);

  SingleWriterTransactions() {
    super(LocalTransactionHandler.binding());
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
      throws X {
    writer.lock();
    try {
      return super.inTransaction(handle, callback);
    } finally {
      writer.unlock();
    }
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
    writer.lock();
    try {
      return super.inTransaction(handle, level, callback);
    } finally {
      writer.unlock();
    }
  }
}
