package org.broadsheet.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Rendered pages in memory, keyed by path and variant. Entries are evicted exactly when content
 * they show changes ({@link #evict}); a render that overlapped an eviction is served but not kept,
 * so a stale page never outlives the change that made it stale. Disabled, it renders every time.
 * Thread-safe.
 */
public final class PageCache {

  private final boolean enabled;
  private final Cache<String, CachedPage> pages;
  private final AtomicLong evictions = new AtomicLong();

  public PageCache(boolean enabled, int maxEntries) {
    this.enabled = enabled;
    this.pages = Caffeine.newBuilder().maximumSize(maxEntries).build();
  }

  /** The cached page for the key, rendering and keeping it when absent. */
  public CachedPage get(String key, Supplier<CachedPage> render) {
    if (!enabled) {
      misses.increment();
      return render.get();
    }
    CachedPage cached = pages.getIfPresent(key);
    if (cached != null) {
      hits.increment();
      return cached;
    }
    misses.increment();
    long before = evictions.get();
    CachedPage rendered = render.get();
    synchronized (evictions) {
      if (evictions.get() == before) {
        pages.put(key, rendered);
      }
    }
    return rendered;
  }

  /** The cached page for exactly this key, or null; never renders. */
  public CachedPage peek(String key) {
    CachedPage page = enabled ? pages.getIfPresent(key) : null;
    if (page != null) {
      hits.increment();
    }
    return page;
  }

  private final java.util.concurrent.atomic.LongAdder hits =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder misses =
      new java.util.concurrent.atomic.LongAdder();

  /** Answers served from memory (the fast path's and the handlers'). */
  public long hits() {
    return hits.sum();
  }

  /** Answers that had to be rendered. */
  public long misses() {
    return misses.sum();
  }

  /** The cache key of a page: its path, plus the page number after the first page. */
  public static String key(String path, int page) {
    return page > 1 ? path + "?page=" + page : path;
  }

  /** Evicts every page that shows any of the given content. */
  public void evict(Collection<CacheTag> keys) {
    synchronized (evictions) {
      evictions.incrementAndGet();
      pages.asMap().values().removeIf(page -> page.dependsOn().stream().anyMatch(keys::contains));
    }
  }

  public void clear() {
    synchronized (evictions) {
      evictions.incrementAndGet();
      pages.invalidateAll();
    }
  }

  public long size() {
    pages.cleanUp();
    return pages.estimatedSize();
  }

  public boolean contains(String key) {
    return pages.getIfPresent(key) != null;
  }

  public boolean enabled() {
    return enabled;
  }
}
