package org.broadsheet.app;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.mail.Outbox;
import org.broadsheet.newsroom.Navigation;
import org.broadsheet.storage.Backups;

/**
 * The site's health on the newsroom's dashboard, for those who may change settings: when the last
 * good backup was taken (or that PostgreSQL's are taken outside the site), and how the mail is
 * flowing. Problems also raise operator notices; these lines say that all is well, too.
 */
final class OperationsNavigation implements Navigation {

  /** A backup older than this (a day and a half) needs attention. */
  static final Duration BACKUP_TOO_OLD = Duration.ofHours(36);

  /** Mail due this long ago and not sent needs attention. */
  static final Duration MAIL_STUCK = Duration.ofMinutes(15);

  private final Backups backups;
  private final Outbox outbox;
  private final Clock clock;

  OperationsNavigation(Backups backups, Outbox outbox, Clock clock) {
    this.backups = backups;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public List<Entry> entries() {
    return List.of();
  }

  @Override
  public List<Status> status(User user) {
    if (!user.role().can(Role.Permission.SETTINGS)) {
      return List.of();
    }
    List<Status> lines = new ArrayList<>();
    lines.add(backup());
    lines.add(mail());
    return lines;
  }

  private Status backup() {
    if (!backups.embedded()) {
      return new Status(
          "Backups",
          "the site runs on PostgreSQL, backed up by pg_dump (the package's"
              + " broadsheet-pgdump.timer, or your own), not by the site.",
          false);
    }
    String schedule =
        backups.scheduled()
            ? " Next one daily at " + backups.plan().at() + "."
            : " Scheduled backups are off (BROADSHEET_BACKUP_AT); take one with broadsheet backup.";
    var last = backups.last();
    if (last.isEmpty()) {
      return new Status("Backups", "none taken yet." + schedule, !backups.scheduled());
    }
    Backups.Result r = last.get();
    if (!r.ok()) {
      return new Status(
          "Backups", "the last backup failed,", r.at(), ": " + r.problem() + ".", true);
    }
    boolean old = Duration.between(r.at(), clock.instant()).compareTo(BACKUP_TOO_OLD) > 0;
    return new Status(
        "Backups",
        old ? "the last good backup is over a day and a half old, taken" : "last good backup taken",
        r.at(),
        " (" + megabytes(r.bytes()) + ", checked, in " + backups.plan().folder() + ")." + schedule,
        old);
  }

  private Status mail() {
    long waiting = outbox.untried();
    Duration overdue = outbox.overdue();
    boolean stuck = overdue.compareTo(MAIL_STUCK) > 0;
    String text =
        (waiting == 0 ? "nothing waiting" : String.format("%,d messages waiting", waiting))
            + String.format(
                "; %,d sent, %,d failed for good since this server started.",
                outbox.sentCount(), outbox.failedCount())
            + (stuck
                ? " Mail due "
                    + overdue.toMinutes()
                    + " minutes ago has not gone: check the SMTP server (broadsheet doctor)."
                : "");
    return new Status("Mail", text, stuck);
  }

  private static String megabytes(long bytes) {
    return bytes < 1024 * 1024
        ? Math.max(1, bytes / 1024) + " KB"
        : String.format("%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
