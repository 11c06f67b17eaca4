package org.broadsheet.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.broadsheet.support.Managed;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed and the in-process event bus fed from it. Writers {@link #record} a change in the
 * same transaction as the content change, then call {@link #pump} after commit; a background poll
 * also pumps, so changes written by other nodes reach this node's followers too.
 *
 * <p>Each follower keeps its own cursor and sees every change once, in id order; followers get a
 * change in the order they started following, so caches below the page cache are emptied before the
 * pages above them. A follower that fails on a change stays on that change and is retried with
 * back-off (1 s doubling to a minute) until it succeeds; it never skips it, and the others go on
 * meanwhile. Thread-safe.
 */
public final class ChangeFeed implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final int BATCH = 500;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);

  /** One follower: its name (for logs), its listener, its cursor and its retry state. */
  private static final class Follower {
    final String name;
    final Consumer<Change> listener;
    long cursor;
    int failures;
    long retryAtNanos;
    boolean waiting;

    Follower(String name, Consumer<Change> listener, long cursor) {
      this.name = name;
      this.listener = listener;
      this.cursor = cursor;
    }
  }

  private final Jdbi jdbi;
  private final Clock clock;
  private final java.util.function.LongSupplier nanoTime;
  private final long pollMillis;
  private final List<Follower> followers = new CopyOnWriteArrayList<>();
  private final Object pumpLock = new Object();
  private final PostgresChanges postgres;
  private final java.util.concurrent.atomic.AtomicBoolean wakeQueued =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean running;
  private ScheduledExecutorService poller;
  private Thread listener;

  public ChangeFeed(Jdbi jdbi, Clock clock, Duration pollInterval) {
    this(jdbi, clock, pollInterval, System::nanoTime);
  }

  /**
   * {@code nanoTime} times the retries (a monotonic clock: the site's clock says when things
   * happened, this one how long to wait).
   */
  ChangeFeed(
      Jdbi jdbi, Clock clock, Duration pollInterval, java.util.function.LongSupplier nanoTime) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.pollMillis = pollInterval.toMillis();
    this.postgres =
        jdbi.getTransactionHandler() instanceof PostgresChanges changes ? changes : null;
  }

  /**
   * Records a change inside the caller's transaction. On PostgreSQL it is written just before the
   * transaction commits, so that ids follow commit order (see {@link PostgresChanges}).
   */
  public void record(Handle handle, Change.Entity entity, long entityId, Change.Kind kind) {
    if (postgres != null) {
      postgres.record(handle, entity, entityId, kind, clock.instant());
      return;
    }
    handle
        .createUpdate(
            "INSERT INTO changes (entity, entity_id, kind, at) VALUES (:entity, :entityId, :kind, :at)")
        .bind("entity", entity.dbValue())
        .bind("entityId", entityId)
        .bind("kind", kind.dbValue())
        .bind("at", clock.instant())
        .execute();
  }

  /** Follows the changes recorded from now on. */
  public void follow(String name, Consumer<Change> listener) {
    follow(name, listener, latestId());
  }

  /** Follows the changes after {@code afterId} (a follower that remembers where it was). */
  public void follow(String name, Consumer<Change> listener, long afterId) {
    synchronized (pumpLock) {
      followers.add(new Follower(name, listener, afterId));
    }
  }

  /** The id of the newest change in the feed, 0 when it is empty. */
  public long latestId() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM changes").mapTo(Long.class).one());
  }

  /** Changes after the given id, oldest first, at most {@code limit}. */
  public List<Change> since(long afterId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, entity, entity_id, kind, at FROM changes WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId)
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new Change(
                            rs.getLong("id"),
                            Change.Entity.fromDb(rs.getString("entity")),
                            rs.getLong("entity_id"),
                            Change.Kind.fromDb(rs.getString("kind")),
                            Instant.ofEpochMilli(rs.getLong("at"))))
                .list());
  }

  /**
   * Delivers to every follower the changes it has not had yet, except to followers waiting to
   * retry; returns how many deliveries succeeded.
   */
  public int pump() {
    synchronized (pumpLock) {
      int delivered = 0;
      while (true) {
        long now = nanoTime.getAsLong();
        long from = Long.MAX_VALUE;
        for (Follower f : followers) {
          if (due(f, now)) {
            from = Math.min(from, f.cursor);
          }
        }
        if (from == Long.MAX_VALUE) {
          return delivered;
        }
        List<Change> batch = since(from, BATCH);
        for (Change change : batch) {
          for (Follower f : followers) {
            if (change.id() > f.cursor && due(f, now) && deliver(f, change, now)) {
              delivered++;
            }
          }
        }
        if (batch.size() < BATCH) {
          return delivered;
        }
      }
    }
  }

  private static boolean due(Follower f, long now) {
    return !f.waiting || now - f.retryAtNanos >= 0;
  }

  private boolean deliver(Follower f, Change change, long now) {
    try {
      f.listener.accept(change);
    } catch (RuntimeException e) {
      f.failures++;
      long backoff =
          Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(f.failures - 1, 16));
      f.waiting = true;
      f.retryAtNanos = now + backoff * 1_000_000;
      LOG.error(
          "{} failed on change {} (attempt {}); retrying it in {} ms",
          f.name,
          change,
          f.failures,
          backoff,
          e);
      return false;
    }
    if (f.failures > 0) {
      LOG.info("{} applied change {} after {} failed attempts", f.name, change.id(), f.failures);
    }
    f.failures = 0;
    f.waiting = false;
    f.cursor = change.id();
    return true;
  }

  /** Where each follower is: its name and the id of the last change it applied. */
  public java.util.Map<String, Long> cursors() {
    java.util.Map<String, Long> cursors = new java.util.LinkedHashMap<>();
    for (Follower f : followers) {
      cursors.put(f.name, f.cursor);
    }
    return cursors;
  }

  /**
   * True when every follower has applied every change in the feed (none is behind or waiting to
   * retry).
   */
  public boolean caughtUp() {
    long latest = latestId();
    synchronized (pumpLock) {
      for (Follower f : followers) {
        if (f.waiting || f.cursor < latest) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Starts polling the feed for changes written by other nodes (and for retries) and, on
   * PostgreSQL, listening for the notification each commit with changes sends, which wakes the feed
   * at once.
   */
  @Override
  public void start() {
    running = true;
    poller =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("change-feed").daemon().factory());
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            pump();
          } catch (RuntimeException e) {
            LOG.warn("Polling the change feed failed: {}", e.getMessage());
          }
        },
        pollMillis,
        pollMillis,
        TimeUnit.MILLISECONDS);
    if (postgres != null) {
      listener = Thread.ofPlatform().name("change-listener").daemon().start(this::listen);
    }
  }

  /** Pumps on the poll thread as soon as it is free (several wake-ups in a row make one pump). */
  void wake() {
    ScheduledExecutorService p = poller;
    if (p != null && wakeQueued.compareAndSet(false, true)) {
      try {
        p.execute(
            () -> {
              wakeQueued.set(false);
              try {
                pump();
              } catch (RuntimeException e) {
                LOG.warn("Reading the change feed failed: {}", e.getMessage());
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        wakeQueued.set(false);
      }
    }
  }

  /** Waits for notifications on a connection of its own; reconnects after a failure. */
  private void listen() {
    boolean warned = false;
    while (running) {
      try (java.sql.Connection c = postgres.openListener()) {
        try (java.sql.Statement s = c.createStatement()) {
          s.execute("LISTEN " + PostgresChanges.CHANNEL);
        }
        org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
        if (warned) {
          LOG.info("Listening for changes from other nodes again");
          warned = false;
        }
        wake(); // whatever was committed while nobody listened
        while (running) {
          org.postgresql.PGNotification[] notes = pg.getNotifications(500);
          if (notes != null && notes.length > 0) {
            wake();
          }
        }
      } catch (java.sql.SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        if (!warned) {
          LOG.warn(
              "Cannot listen for changes from other nodes ({}); polling every {} ms meanwhile",
              e.getMessage(),
              pollMillis);
          warned = true;
        }
        try {
          Thread.sleep(Math.max(1000, pollMillis));
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    if (listener != null) {
      try {
        listener.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (poller != null) {
      // Followers may be writing (the search index breaks for good if interrupted): let the
      // current round finish instead of interrupting it.
      poller.shutdown();
      try {
        if (!poller.awaitTermination(30, TimeUnit.SECONDS)) {
          LOG.warn("The change feed poll did not finish within 30 s of stopping");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String name() {
    return "change feed";
  }
}
