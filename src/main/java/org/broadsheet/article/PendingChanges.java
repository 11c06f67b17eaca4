package org.broadsheet.article;

import java.time.Instant;
import java.util.Map;

/**
 * Changes to a live story kept for later: the editor's fields as typed (by name), who kept them and
 * when. Readers see the published version until they go live.
 */
public record PendingChanges(Map<String, String> fields, String savedBy, Instant savedAt) {

  public PendingChanges {
    fields = Map.copyOf(fields);
  }
}
