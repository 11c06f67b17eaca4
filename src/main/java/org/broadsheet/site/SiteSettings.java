package org.broadsheet.site;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Site-wide settings kept in the database (title, tagline, ...), read through a small in-memory
 * copy that follows the change feed, so every node shows the same values. Thread-safe.
 */
public final class SiteSettings {

  public static final String TITLE = "site.title";
  public static final String TAGLINE = "site.tagline";
  public static final String LOGO = "site.logo";

  private final Jdbi jdbi;
  private final ChangeFeed changes;
  private final SettingsStore store = new SettingsStore();
  private final Map<String, Optional<String>> cache = new ConcurrentHashMap<>();

  public SiteSettings(Jdbi jdbi, ChangeFeed changes) {
    this.jdbi = jdbi;
    this.changes = changes;
  }

  /** Change-feed listener: settings changed somewhere, so they are read again. */
  public void onChange(Change change) {
    if (change.is(Change.Entity.SETTINGS)) {
      cache.clear();
    }
  }

  public Optional<String> get(String name) {
    return cache.computeIfAbsent(name, key -> jdbi.withHandle(h -> store.get(h, key)));
  }

  /** A value read inside the caller's transaction, bypassing the cache. */
  public Optional<String> get(Handle h, String name) {
    return store.get(h, name);
  }

  public String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  /**
   * The stored value of {@code name}, setting it to {@code value} first if it has none: when
   * several nodes start at once on a new database, all of them end up with the first one's value.
   */
  public String putIfAbsent(String name, String value) {
    boolean set =
        jdbi.inTransaction(
            h -> {
              boolean inserted = store.putIfAbsent(h, name, value);
              if (inserted) {
                changes.record(h, Change.Entity.SETTINGS, 0, Change.Kind.UPDATED);
              }
              return inserted;
            });
    if (set) {
      changes.pump();
    }
    return jdbi.withHandle(h -> store.get(h, name)).orElseThrow();
  }

  /** Sets one value in its own transaction. */
  public void put(String name, String value) {
    jdbi.useTransaction(h -> put(h, name, value));
    changes.pump();
  }

  /**
   * Sets a value inside the caller's transaction, with its change-feed row; the caller pumps the
   * feed after committing.
   */
  public void put(Handle h, String name, String value) {
    store.put(h, name, value);
    changes.record(h, Change.Entity.SETTINGS, 0, Change.Kind.UPDATED);
  }
}
