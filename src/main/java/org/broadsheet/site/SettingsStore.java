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

  /** Sets a value (an upsert: two nodes setting one name at once both succeed, the later wins). */
  void put(Handle h, String name, String value) {
    h.createUpdate(
            "INSERT INTO settings (name, value) VALUES (:name, :value)"
                + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .bind("name", name)
        .bind("value", value)
        .execute();
  }

  /** Sets a value only if the name has none; true when this call set it. */
  boolean putIfAbsent(Handle h, String name, String value) {
    return h.createUpdate(
                "INSERT INTO settings (name, value) VALUES (:name, :value)"
                    + " ON CONFLICT (name) DO NOTHING")
            .bind("name", name)
            .bind("value", value)
            .execute()
        == 1;
  }
}
