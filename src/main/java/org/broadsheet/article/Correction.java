package org.broadsheet.article;

import java.time.Instant;

/**
 * A timestamped note appended to a published article: a correction of an error or an update with
 * new facts. Shown under the article in time order.
 */
public record Correction(long id, Kind kind, String note, Instant createdAt) {

  /** Whether the note corrects an error or adds news. */
  public enum Kind {
    CORRECTION("Correction"),
    UPDATE("Update");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public String dbValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Kind fromDb(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
