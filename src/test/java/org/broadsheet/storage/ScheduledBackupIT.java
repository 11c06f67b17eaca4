package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.broadsheet.article.Article;
import org.broadsheet.comment.CommentSubmission;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Daily backups as they run on a server: taken while comments pour in, each holds every comment
 * acknowledged before it began, is checked before it counts, and mirrors the media; nights later
 * only the newest of the last days and weeks are left; the next run is at the planned hour; and
 * {@code broadsheet restore} (after a dry run that changes nothing) puts one back whole, keeping
 * the database it replaces.
 */
class ScheduledBackupIT {

  @Test
  void backupsUnderWritesRestoreEveryAcknowledgedComment(
      @TempDir Path backupsDir, @TempDir Path restoredDir) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            true,
            Map.of(
                "BROADSHEET_BACKUP_DIR", backupsDir.toString(),
                "BROADSHEET_BACKUP_AT", "03:30",
                "BROADSHEET_BACKUP_KEEP_DAILY", "2",
                "BROADSHEET_BACKUP_KEEP_WEEKLY", "1",
                "BROADSHEET_COMMENTS_POLICY", "none",
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0",
                "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE", "100000",
                "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE", "100000"),
            clock)) {
      Backups backups = site.app().backups();
      assertThat(backups.untilNext())
          .as("the first run is at 03:30")
          .isEqualTo(Duration.ofMinutes(90));
      long newest =
          site.app()
              .articles()
              .latest(org.broadsheet.article.ArticleFilter.ALL, 1, 0)
              .getFirst()
              .id();
      Article article = site.app().articles().byId(newest).orElseThrow();
      java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(
          new java.awt.image.BufferedImage(640, 360, java.awt.image.BufferedImage.TYPE_INT_RGB),
          "png",
          png);
      var image =
          site.app()
              .media()
              .upload(
                  "quay.png",
                  new java.io.ByteArrayInputStream(png.toByteArray()),
                  "The quay",
                  "",
                  null);
      // Writers post comments the whole time; each is noted when acknowledged.
      ConcurrentSkipListMap<Long, String> acknowledged = new ConcurrentSkipListMap<>();
      AtomicInteger n = new AtomicInteger();
      AtomicBoolean writing = new AtomicBoolean(true);
      ExecutorService writers = Executors.newFixedThreadPool(4);
      for (int w = 0; w < 4; w++) {
        writers.submit(
            () -> {
              while (writing.get()) {
                String body = "Comment " + n.incrementAndGet() + " kept by the backup.";
                site.app()
                    .comments()
                    .submit(
                        new CommentSubmission(
                            article.id(),
                            null,
                            "Backup Tester",
                            "backup@example.org",
                            "",
                            body,
                            false,
                            site.solvedCheck("comment:" + article.id()),
                            "",
                            "203.0.113.9",
                            "JUnit",
                            Instant.now()));
                acknowledged.put(System.nanoTime(), body);
              }
              return null;
            });
      }
      while (acknowledged.size() < 30) {
        Thread.sleep(10);
      }
      long began = System.nanoTime();
      Backups.Result first = backups.run();
      while (acknowledged.size() < 60) {
        Thread.sleep(10);
      }
      writing.set(false);
      writers.shutdown();
      assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(first.ok()).as(String.valueOf(first.problem())).isTrue();
      Set<String> before = Set.copyOf(acknowledged.headMap(began).values());
      assertThat(before).hasSizeGreaterThanOrEqualTo(30);
      assertThat(backupsDir.resolve("media").resolve(image.storedName())).exists();

      // Nights later: the newest of the last 2 days and of the last week are left.
      for (int night = 1; night <= 4; night++) {
        clock.advance(Duration.ofDays(1));
        assertThat(backups.run().ok()).isTrue();
      }
      List<Path> left = backups.list();
      assertThat(left).hasSize(2);
      assertThat(left.getFirst().getFileName().toString()).startsWith("broadsheet-2026-12-05");
      assertThat(left.get(1).getFileName().toString()).startsWith("broadsheet-2026-12-04");
      assertThat(site.app().notices().current()).noneMatch(x -> x.key().equals("backup"));

      // The first backup, restored into a fresh data folder after a dry run.
      Path file = first.file();
      Path chosen = left.getLast();
      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new org.broadsheet.cli.Cli());
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(out));
      Files.writeString(restoredDir.resolve("broadsheet.db"), "an old database, to be kept");
      int dry =
          cli.execute(
              "restore",
              chosen.toString(),
              "--dry-run",
              "--data-dir",
              restoredDir.toString(),
              "--port",
              "1");
      assertThat(dry).as(out.toString()).isZero();
      assertThat(Files.readString(restoredDir.resolve("broadsheet.db")))
          .as("a dry run changes nothing")
          .startsWith("an old");
      int restored =
          cli.execute(
              "restore", chosen.toString(), "--data-dir", restoredDir.toString(), "--port", "1");
      assertThat(restored).as(out.toString()).isZero();
      assertThat(restoredDir.resolve("backups/before-restore.db")).exists();
      assertThat(restoredDir.resolve("media").resolve(image.storedName()))
          .as("the images come back with the database")
          .exists();
      try (Database db = Database.open(Backend.baseConfig(restoredDir))) {
        List<String> bodies =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery("SELECT body FROM comments WHERE article_id = :a")
                            .bind("a", article.id())
                            .mapTo(String.class)
                            .list());
        assertThat(bodies)
            .as("every comment acknowledged before the first backup")
            .containsAll(before);
      }
      assertThat(file).as("the first backup itself was pruned later").doesNotExist();
      // A broken file is refused with the reason.
      Path broken = backupsDir.resolve("broken.db");
      Files.writeString(broken, "not a database");
      assertThat(cli.execute("restore", broken.toString(), "--data-dir", restoredDir.toString()))
          .isEqualTo(1);
      assertThat(out.toString()).contains("cannot be restored");
    }
  }
}
