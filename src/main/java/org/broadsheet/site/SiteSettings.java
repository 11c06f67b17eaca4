package org.broadsheet.site;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.broadsheet.storage.ChangeFeed;
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
  private final Map<String, Optional<String>> cache = new ConcurrentHashMap<>();

  public SiteSettings(Jdbi jdbi, ChangeFeed changes) {
    this.jdbi = jdbi;
    this.changes = changes;
  }

  /** Change-feed listener: settings changed somewhere, so they are read again. */
  public void onChange(org.broadsheet.storage.Change change) {
    if (change.entity().equals("settings")) {
      cache.clear();
    }
  }

  public Optional<String> get(String name) {
    return cache.computeIfAbsent(
        name,
        key ->
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT value FROM settings WHERE name = :name")
                        .bind("name", key)
                        .mapTo(String.class)
                        .findOne()));
  }

  public String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  public void put(String name, String value) {
    jdbi.useTransaction(
        h -> {
          int updated =
              h.createUpdate("UPDATE settings SET value = :value WHERE name = :name")
                  .bind("name", name)
                  .bind("value", value)
                  .execute();
          if (updated == 0) {
            h.createUpdate("INSERT INTO settings (name, value) VALUES (:name, :value)")
                .bind("name", name)
                .bind("value", value)
                .execute();
          }
          changes.record(h, "settings", 0, "updated");
        });
    changes.pump();
  }
}
