package org.broadsheet.support;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Things the operator should fix that the site noticed while running on this node (a reverse proxy
 * it does not trust, a base URL that disagrees with where it listens, a full disk): each is logged
 * as a warning once when raised and listed on the newsroom dashboard for admins until cleared.
 * Thread-safe.
 */
public final class OperatorNotices {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorNotices.class);

  /** At most this many notices are kept; more keys than this are a bug, not news. */
  private static final int MAX = 32;

  /** One notice: a stable key, what to do about it, and when it was first raised. */
  public record Notice(String key, String message, Instant since) {}

  private final Map<String, Notice> notices = new ConcurrentHashMap<>();
  private final Clock clock;

  public OperatorNotices(Clock clock) {
    this.clock = clock;
  }

  /** Raises a notice; the first time for a key it is logged as a warning. */
  public void raise(String key, String message) {
    if (notices.containsKey(key) || notices.size() >= MAX) {
      return;
    }
    if (notices.putIfAbsent(key, new Notice(key, message, clock.instant())) == null) {
      LOG.warn(message);
    }
  }

  /** Clears a notice once its cause is gone; logged when there was one. */
  public void clear(String key) {
    if (notices.remove(key) != null) {
      LOG.info("Resolved: {}", key);
    }
  }

  public boolean isRaised(String key) {
    return notices.containsKey(key);
  }

  /** The current notices, oldest first. */
  public List<Notice> current() {
    List<Notice> list = new ArrayList<>(notices.values());
    list.sort(Comparator.comparing(Notice::since).thenComparing(Notice::key));
    return list;
  }
}
