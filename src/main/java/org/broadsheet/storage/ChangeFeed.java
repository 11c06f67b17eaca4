package org.broadsheet.storage;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed and the in-process event bus fed from it. Writers {@link #record} a change in the
 * same transaction as the content change, then call {@link #pump} after commit; a background poll
 * also pumps, so changes written by other nodes reach this node's listeners too. Listeners see each
 * change once, in id order, on one thread at a time. Thread-safe.
 */
public final class ChangeFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final int BATCH = 500;

  private final Jdbi jdbi;
  private final Clock clock;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final Object pumpLock = new Object();
  private long lastDispatched;
  private ScheduledExecutorService poller;

  public ChangeFeed(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.lastDispatched = latestId();
  }

  /** Records a change inside the caller's transaction. */
  public void record(Handle handle, String entity, long entityId, String kind) {
    handle
        .createUpdate(
            "INSERT INTO changes (entity, entity_id, kind, at) VALUES (:entity, :entityId, :kind, :at)")
        .bind("entity", entity)
        .bind("entityId", entityId)
        .bind("kind", kind)
        .bind("at", clock.instant())
        .execute();
  }

  /** Adds a listener for changes recorded from now on. */
  public void subscribe(Consumer<Change> listener) {
    listeners.add(listener);
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
                            rs.getString("entity"),
                            rs.getLong("entity_id"),
                            rs.getString("kind"),
                            java.time.Instant.ofEpochMilli(rs.getLong("at"))))
                .list());
  }

  /** Delivers every change not yet delivered to the listeners; returns how many were delivered. */
  public int pump() {
    synchronized (pumpLock) {
      int delivered = 0;
      while (true) {
        List<Change> batch = since(lastDispatched, BATCH);
        for (Change change : batch) {
          for (Consumer<Change> listener : listeners) {
            try {
              listener.accept(change);
            } catch (RuntimeException e) {
              LOG.error("Change listener failed on change {}", change, e);
            }
          }
          lastDispatched = change.id();
          delivered++;
        }
        if (batch.size() < BATCH) {
          return delivered;
        }
      }
    }
  }

  /** Starts polling the feed for changes written by other nodes. */
  public void startPolling(long intervalMillis) {
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
        intervalMillis,
        intervalMillis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (poller != null) {
      // Listeners may be writing (the search index breaks for good if interrupted): let the
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
}
