package org.broadsheet.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.broadsheet.support.Managed;
import org.broadsheet.support.OperatorNotices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily backups of the embedded database and the media: an online copy of SQLite (one consistent
 * snapshot while the site keeps writing), checked as a restore would open it before it counts, the
 * media folder mirrored beside it (new files only: stored images never change), and old copies
 * pruned to the newest of each of the last days and weeks. A failure raises an operator notice; the
 * last result is kept for the dashboard and metrics. Thread-safe.
 */
public final class Backups implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss");
  private static final Pattern FILE =
      Pattern.compile("broadsheet-(\\d{4}-\\d{2}-\\d{2}T\\d{6})\\.db");
  private static final String NOTICE = "backup";

  /**
   * What a backup did: its file (null when it failed), size, time taken, and the problem if any.
   */
  public record Result(
      Instant at, Path file, long bytes, Duration took, int mediaCopied, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /** The schedule and retention. {@code at} null: no scheduled backups (still on demand). */
  public record Plan(Path folder, LocalTime at, ZoneId zone, int keepDaily, int keepWeekly) {}

  private final Database database;
  private final Path mediaDir;
  private final Plan plan;
  private final Clock clock;
  private final OperatorNotices notices;
  private volatile Result last;
  private ScheduledExecutorService timer;

  public Backups(
      Database database, Path mediaDir, Plan plan, Clock clock, OperatorNotices notices) {
    this.database = database;
    this.mediaDir = mediaDir;
    this.plan = plan;
    this.clock = clock;
    this.notices = notices;
  }

  /**
   * The last backup this node took, or else the newest one in the folder (only checked copies get
   * their final name there), so the figure survives a restart; empty when there is none.
   */
  public Optional<Result> last() {
    Result r = last;
    if (r != null) {
      return Optional.of(r);
    }
    try {
      return list().stream()
          .findFirst()
          .map(
              file -> {
                try {
                  return new Result(
                      timeOf(file).atZone(plan.zone()).toInstant(),
                      file,
                      Files.size(file),
                      Duration.ZERO,
                      0,
                      null);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** Whether this node takes backups itself (an embedded database with a schedule). */
  public boolean scheduled() {
    return plan.at() != null && database.sqliteFile() != null;
  }

  /** Whether the site runs on the embedded database, whose backups this takes. */
  public boolean embedded() {
    return database.sqliteFile() != null;
  }

  public Plan plan() {
    return plan;
  }

  /** Takes a backup now: copy, check, mirror media, prune. Never throws; see the result. */
  public synchronized Result run() {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    Path part = null;
    try {
      Files.createDirectories(plan.folder());
      String stamp = NAME.format(LocalDateTime.ofInstant(started, plan.zone()));
      Path target = plan.folder().resolve("broadsheet-" + stamp + ".db");
      part = plan.folder().resolve("broadsheet-" + stamp + ".db.part");
      Files.deleteIfExists(part);
      database.backupTo(part);
      Database.CopyCheck check = Database.checkCopy(part);
      if (!check.whole()) {
        throw new IllegalStateException("the copy failed its check: " + check.problem());
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      int media = mirrorMedia(plan.folder().resolve("media"));
      prune();
      Result r =
          new Result(
              started,
              target,
              Files.size(target),
              Duration.ofNanos(System.nanoTime() - t0),
              media,
              null);
      last = r;
      notices.clear(NOTICE);
      LOG.info(
          "Backup {} written and checked ({} bytes, schema V{}, {} new media files) in {} ms",
          target.getFileName(),
          r.bytes(),
          check.schemaVersion(),
          media,
          r.took().toMillis());
      return r;
    } catch (IOException | RuntimeException e) {
      if (part != null) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException ignored) {
          // left for the next run to replace
        }
      }
      String problem = e.getMessage() == null ? e.toString() : e.getMessage();
      Result r = new Result(started, null, 0, Duration.ofNanos(System.nanoTime() - t0), 0, problem);
      last = r;
      notices.raise(
          NOTICE,
          "The last backup failed ("
              + problem
              + "). Check free space and permissions of "
              + plan.folder()
              + ".");
      LOG.error("Backup failed: {}", problem, e);
      return r;
    }
  }

  private int mirrorMedia(Path target) throws IOException {
    if (mediaDir == null || !Files.isDirectory(mediaDir)) {
      return 0;
    }
    int copied = 0;
    try (Stream<Path> files = Files.walk(mediaDir)) {
      for (Path source : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path copy = target.resolve(mediaDir.relativize(source).toString());
        if (!Files.exists(copy) || Files.size(copy) != Files.size(source)) {
          Files.createDirectories(copy.getParent());
          Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
          copied++;
        }
      }
    }
    return copied;
  }

  /** The backups in the folder, newest first. */
  public List<Path> list() {
    if (!Files.isDirectory(plan.folder())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(plan.folder())) {
      return files
          .filter(p -> FILE.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void prune() throws IOException {
    List<Path> all = list();
    List<LocalDateTime> times = new ArrayList<>();
    for (Path p : all) {
      times.add(timeOf(p));
    }
    Set<LocalDateTime> keep = keep(times, plan.keepDaily(), plan.keepWeekly());
    for (Path p : all) {
      if (!keep.contains(timeOf(p))) {
        Files.deleteIfExists(p);
        LOG.info("Backup {} removed (retention)", p.getFileName());
      }
    }
  }

  private static LocalDateTime timeOf(Path file) {
    Matcher m = FILE.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(file.toString());
    }
    return LocalDateTime.parse(m.group(1), NAME);
  }

  /**
   * Which backups to keep: the newest of each of the last {@code daily} days that have one, and the
   * newest of each of the last {@code weekly} ISO weeks that have one (counted apart, so a week is
   * still covered when its days have left the daily set). Pure.
   */
  public static Set<LocalDateTime> keep(List<LocalDateTime> backups, int daily, int weekly) {
    List<LocalDateTime> newestFirst = backups.stream().sorted(Comparator.reverseOrder()).toList();
    Set<LocalDateTime> keep = new LinkedHashSet<>();
    Set<LocalDate> days = new HashSet<>();
    for (LocalDateTime t : newestFirst) {
      if (days.size() < daily && days.add(t.toLocalDate())) {
        keep.add(t);
      }
    }
    Set<String> weeks = new HashSet<>();
    for (LocalDateTime t : newestFirst) {
      String week =
          t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      if (weeks.size() < weekly && weeks.add(week)) {
        keep.add(t);
      }
    }
    return keep;
  }

  /** How long until the next scheduled run. */
  Duration untilNext() {
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), plan.zone());
    ZonedDateTime next = now.with(plan.at()).withSecond(0).withNano(0);
    if (!next.isAfter(now)) {
      next = next.plusDays(1);
    }
    return Duration.between(now, next);
  }

  @Override
  public synchronized void start() {
    if (plan.at() == null || database.sqliteFile() == null || timer != null) {
      return;
    }
    java.util.concurrent.ScheduledThreadPoolExecutor t =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("backups").daemon().factory());
    // Stopping drops the next night's run instead of waiting for it; a run under way finishes.
    t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer = t;
    scheduleNext();
  }

  private void scheduleNext() {
    ScheduledExecutorService t = timer;
    if (t == null || t.isShutdown()) {
      return;
    }
    t.schedule(
        () -> {
          run();
          scheduleNext();
        },
        untilNext().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Lets a backup in progress finish. */
  @Override
  public void stop() {
    ScheduledExecutorService t;
    synchronized (this) {
      t = timer;
      timer = null;
    }
    if (t != null) {
      t.shutdown();
      try {
        t.awaitTermination(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String name() {
    return "backups";
  }
}
