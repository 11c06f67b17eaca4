package org.broadsheet.live;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.broadsheet.storage.Change;
import org.broadsheet.support.Managed;

/**
 * The readers connected to live stories on this node: each open page holds one subscription, and a
 * change to a story's coverage (from this node or, through the change feed, any other) wakes every
 * subscription to that story. Connections are capped per node; stopping wakes everyone so their
 * requests end. Thread-safe.
 */
public final class LiveEvents implements Managed {

  /** One open page: it waits for the version of the next change to its story. */
  public final class Subscription implements AutoCloseable {
    private final long articleId;
    private final BlockingQueue<Long> versions = new ArrayBlockingQueue<>(64);

    private Subscription(long articleId) {
      this.articleId = articleId;
    }

    /**
     * The next change's version, or 0 after the timeout (time for a heartbeat), or -1 when the node
     * is stopping.
     */
    public long next(long timeoutMillis) throws InterruptedException {
      Long version = versions.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (version == null) {
        return stopping ? -1 : 0;
      }
      // Several changes at once need one answer: the newest.
      Long more;
      while ((more = versions.poll()) != null) {
        version = Math.max(version, more);
      }
      return version;
    }

    @Override
    public void close() {
      Set<Subscription> set = byArticle.get(articleId);
      if (set != null && set.remove(this)) {
        open.decrementAndGet();
      }
    }
  }

  private final int capacity;
  private final Map<Long, Set<Subscription>> byArticle = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean stopping;

  public LiveEvents(int capacity) {
    this.capacity = capacity;
  }

  /** A subscription to a story, or null when this node holds as many as it may. */
  public Subscription subscribe(long articleId) {
    if (stopping || open.incrementAndGet() > capacity) {
      if (!stopping) {
        open.decrementAndGet();
      }
      return null;
    }
    Subscription s = new Subscription(articleId);
    byArticle.computeIfAbsent(articleId, id -> ConcurrentHashMap.newKeySet()).add(s);
    return s;
  }

  public int open() {
    return Math.max(0, open.get());
  }

  /** Follows the change feed: a story's coverage changed, so its readers are told. */
  public void onChange(Change change) {
    if (change.is(Change.Entity.ARTICLE)
        && (change.kind() == Change.Kind.LIVE || change.kind() == Change.Kind.ERASED)) {
      Set<Subscription> set = byArticle.get(change.entityId());
      if (set != null) {
        for (Subscription s : set) {
          s.versions.offer(change.id()); // a full queue already has a newer wake-up pending
        }
      }
    }
  }

  @Override
  public void start() {
    stopping = false;
  }

  @Override
  public void stop() {
    stopping = true;
    for (Set<Subscription> set : byArticle.values()) {
      for (Subscription s : set) {
        s.versions.offer(-1L);
      }
    }
  }

  @Override
  public String name() {
    return "live events";
  }
}
