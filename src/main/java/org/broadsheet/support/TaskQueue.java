package org.broadsheet.support;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work done after the answer: one background thread runs tasks in order, so a request can answer
 * before (and regardless of) what the task finds — a password reset answers the same, as fast, for
 * a member's address and a stranger's. Before {@link #start} (a command-line run) tasks run at once
 * on the caller's thread. A failing task is logged. Thread-safe.
 */
public final class TaskQueue implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);

  private final String name;
  private final AtomicInteger pending = new AtomicInteger();
  private ExecutorService worker;

  public TaskQueue(String name) {
    this.name = name;
  }

  /** Runs the task in the background (or now, when not started). */
  public void submit(Runnable task) {
    ExecutorService running;
    synchronized (this) {
      running = worker;
    }
    if (running == null) {
      run(task);
      return;
    }
    pending.incrementAndGet();
    try {
      running.execute(
          () -> {
            try {
              run(task);
            } finally {
              pending.decrementAndGet();
            }
          });
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      run(task); // stopping: do it now rather than lose it
    }
  }

  private void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("A background task of the {} failed", name, e);
    }
  }

  /** True when no task is waiting or running. */
  public boolean idle() {
    return pending.get() == 0;
  }

  @Override
  public synchronized void start() {
    worker =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name(name.replace(' ', '-')).daemon().factory());
  }

  /** Lets the queued tasks finish (up to 30 s), then stops. */
  @Override
  public void stop() {
    ExecutorService running;
    synchronized (this) {
      running = worker;
      worker = null;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("The {} did not finish its tasks within 30 s of stopping", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return name;
  }
}
