package org.broadsheet.site;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for the site's settings (name and value). Stateless and thread-safe. */
final class SettingsStore {

  Optional<String> get(Handle h, String name) {
    return h.createQuery("SELECT value FROM settings WHERE name = :name")
        .bind("name", name)
        .mapTo(String.class)
        .findOne();
  }

  void put(Handle h, String name, String value) {
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
  }
}
