package org.broadsheet.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether this node can write: its data folder (the embedded database, media, the search index)
 * and, after a write failed for lack of space, its database. A failed write that was a full disk
 * raises an operator notice and makes the node not ready; each readiness check then tries a small
 * write, and the first that succeeds clears both. Checks are cached for a second. Thread-safe.
 */
public final class DiskHealth {

  /** What a readiness check found. */
  public record Status(boolean writable, String detail) {}

  public static final String NOTICE = "disk-full";

  private static final Duration CACHE = Duration.ofSeconds(1);
  private static final byte[] PROBE = new byte[4096];

  private final Path dataDir;
  private final Runnable databaseWrite;
  private final OperatorNotices notices;
  private final Clock clock;
  private volatile Instant fullSince;
  private volatile Status last;
  private volatile Instant checkedAt = Instant.EPOCH;

  /**
   * @param databaseWrite a small write to the database that throws when it cannot be made
   */
  public DiskHealth(Path dataDir, Runnable databaseWrite, OperatorNotices notices, Clock clock) {
    this.dataDir = dataDir;
    this.databaseWrite = databaseWrite;
    this.notices = notices;
    this.clock = clock;
  }

  /** True when the failure, or one of its causes, is a full disk (or a full database quota). */
  public static boolean isDiskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql
          && ("53100".equals(sql.getSQLState()) // PostgreSQL: disk_full
              || (sql.getErrorCode() == 13 && String.valueOf(sql.getMessage()).contains("FULL")))) {
        return true; // SQLite: SQLITE_FULL
      }
      String message = String.valueOf(t.getMessage());
      if ((t instanceof IOException || t instanceof SQLException)
          && (message.contains("No space left on device")
              || message.contains("database or disk is full"))) {
        return true;
      }
    }
    return false;
  }

  /** Notes a failed write; returns true when it was a full disk (the node is then not ready). */
  public boolean failed(Throwable failure) {
    if (!isDiskFull(failure)) {
      return false;
    }
    if (fullSince == null) {
      fullSince = clock.instant();
      checkedAt = Instant.EPOCH;
      notices.raise(
          NOTICE,
          "A write failed because the disk is full. Readers still get pages, but comments,"
              + " sign-ups and newsroom changes are refused (nothing half-saved) until space is"
              + " freed: on the data folder "
              + dataDir.toAbsolutePath()
              + " or on the database server.");
    }
    return true;
  }

  /** Whether this node can write now (cached for a second). */
  public Status check() {
    Instant now = clock.instant();
    Status cached = last;
    if (cached != null && Duration.between(checkedAt, now).compareTo(CACHE) < 0) {
      return cached;
    }
    Status status = probe();
    last = status;
    checkedAt = now;
    return status;
  }

  private Status probe() {
    try {
      Files.createDirectories(dataDir);
      Path probe = dataDir.resolve(".write-probe");
      Files.write(
          probe,
          PROBE,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
      Files.deleteIfExists(probe);
    } catch (IOException e) {
      return new Status(false, "data folder not writable: " + e.getMessage());
    }
    if (fullSince != null) {
      try {
        databaseWrite.run();
      } catch (RuntimeException e) {
        return new Status(false, isDiskFull(e) ? "database disk full" : "database not writable");
      }
      fullSince = null;
      notices.clear(NOTICE);
    }
    return new Status(true, "ok");
  }
}
