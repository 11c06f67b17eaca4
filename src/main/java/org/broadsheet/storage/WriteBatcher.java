package org.broadsheet.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for hot write paths (reader comments): concurrent writes are queued, and one writer
 * thread runs whatever has queued up in a single transaction, each write inside its own savepoint,
 * then commits once. A write that throws is rolled back to its savepoint alone; every caller
 * returns only after the commit, so an acknowledged write is durable (one fsync per batch instead
 * of one per write). The writer thread starts with the first write, so a command that never writes
 * this way starts none; {@link #stop} lets the queued writes commit first. Thread-safe.
 */
public final class WriteBatcher implements org.broadsheet.support.Managed {

  private static final Logger LOG = LoggerFactory.getLogger(WriteBatcher.class);
  private static final int MAX_BATCH = 128;

  /** One queued write. */
  @FunctionalInterface
  public interface Write<T> {
    T apply(Handle handle);
  }

  private record Job<T>(Write<T> write, CompletableFuture<T> result) {}

  private final Jdbi jdbi;
  private final Runnable afterCommit;
  private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
  private Thread worker;
  private volatile boolean running = true;

  public WriteBatcher(Jdbi jdbi, Runnable afterCommit) {
    this.jdbi = jdbi;
    this.afterCommit = afterCommit;
  }

  /** Nothing to do: the writer starts with the first write. */
  @Override
  public void start() {}

  private synchronized void ensureWriter() {
    if (worker == null && running) {
      worker = Thread.ofPlatform().name("write-batcher").daemon().start(this::run);
    }
  }

  /** Runs the write in the next batch and returns its result once the batch has committed. */
  public <T> T write(Write<T> write) {
    CompletableFuture<T> result = writeLater(write);
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /** Queues the write for the next batch; the future completes once the batch has committed. */
  public <T> CompletableFuture<T> writeLater(Write<T> write) {
    if (!running) {
      throw new IllegalStateException("The database writer has stopped");
    }
    ensureWriter();
    CompletableFuture<T> result = new CompletableFuture<>();
    queue.add(new Job<>(write, result));
    return result;
  }

  private void run() {
    while (running || !queue.isEmpty()) {
      List<Job<?>> batch = new ArrayList<>();
      try {
        Job<?> first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      commit(batch);
    }
  }

  private void commit(List<Job<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    try {
      jdbi.useTransaction(
          h -> {
            for (int i = 0; i < batch.size(); i++) {
              String savepoint = "w" + i;
              h.savepoint(savepoint);
              try {
                results.add(batch.get(i).write().apply(h));
                h.release(savepoint);
              } catch (RuntimeException e) {
                // Undoes this write alone; the batch's other writes stay.
                h.rollbackToSavepoint(savepoint);
                results.add(e);
              }
            }
          });
    } catch (RuntimeException commitFailure) {
      LOG.error("A batch of {} writes failed to commit", batch.size(), commitFailure);
      batch.forEach(job -> job.result().completeExceptionally(commitFailure));
      return;
    }
    try {
      afterCommit.run();
    } catch (RuntimeException e) {
      LOG.warn("After-commit work failed: {}", e.getMessage());
    }
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Job<T> job, Object outcome) {
    if (outcome instanceof RuntimeException failure) {
      job.result().completeExceptionally(failure);
    } else {
      job.result().complete((T) outcome);
    }
  }

  /** Commits what is queued, then ends the writer thread (no interrupts, nothing dropped). */
  @Override
  public void stop() {
    Thread writer;
    synchronized (this) {
      running = false;
      writer = worker;
    }
    if (writer != null) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Job<?>> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(
        job ->
            job.result()
                .completeExceptionally(
                    new IllegalStateException("The database writer has stopped")));
  }

  @Override
  public String name() {
    return "write batcher";
  }
}
