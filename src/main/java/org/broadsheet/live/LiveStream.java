package org.broadsheet.live;

import java.time.Instant;
import java.util.List;

/**
 * A story's live coverage as readers get it: when it went live and (once closed) ended, its pinned
 * updates, the updates newest first, and the key events.
 */
public record LiveStream(long articleId, Instant since, Instant until, List<LiveUpdate> updates) {

  public boolean running() {
    return until == null;
  }

  public List<LiveUpdate> pinned() {
    return updates.stream().filter(LiveUpdate::pinned).toList();
  }

  /** Every update, newest first (pinned ones too: they also stay in their place in time). */
  public List<LiveUpdate> newestFirst() {
    return updates;
  }

  public List<LiveUpdate> keyEvents() {
    return updates.stream().filter(LiveUpdate::keyEvent).toList();
  }

  /** When the stream last changed: the newest post or edit, else when it went live. */
  public Instant lastChanged() {
    Instant last = since;
    for (LiveUpdate u : updates) {
      Instant at = u.editedAt() != null ? u.editedAt() : u.createdAt();
      if (at.isAfter(last)) {
        last = at;
      }
    }
    return until != null && until.isAfter(last) ? until : last;
  }
}
