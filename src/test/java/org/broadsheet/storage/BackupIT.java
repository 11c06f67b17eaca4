package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.broadsheet.article.Article;
import org.broadsheet.cli.Cli;
import org.broadsheet.comment.CommentSubmission;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online backup taken while comments pour in is whole, and holds every comment acknowledged
 * before it began.
 */
class BackupIT {

  @Test
  void backupUnderConcurrentCommentWritesIsConsistent(@TempDir Path dir) throws Exception {
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            true,
            Map.of(
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0",
                "BROADSHEET_COMMENTS_POLICY", "none",
                "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE", "100000",
                "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE", "100000"))) {
      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int writer = t;
        writers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      int n = 0;
                      while (running.get()) {
                        var c =
                            site.app()
                                .comments()
                                .submit(
                                    new CommentSubmission(
                                        article.id(),
                                        null,
                                        "Writer " + writer,
                                        "w" + writer + "@example.org",
                                        "",
                                        "Comment " + writer + "-" + n++ + " about the hosepipe ban",
                                        false,
                                        site.solvedCheck("comment:" + article.id()),
                                        "",
                                        "192.0.2." + (writer + 1),
                                        "JUnit",
                                        Instant.now()));
                        acknowledged.add(c.id());
                      }
                    }));
      }
      Eventually.until("100 comments acknowledged", () -> acknowledged.size() >= 100);
      Set<Long> beforeBackup = new HashSet<>(acknowledged);
      Path backup = dir.resolve("backup.db");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          Cli.run(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "backup",
              backup.toString(),
              "--data-dir",
              site.app().config().get(DATA_DIR).toString());
      int duringBackup = acknowledged.size();
      Eventually.until(
          "writes to go on being acknowledged after the backup",
          () -> acknowledged.size() > duringBackup + 20);
      running.set(false);
      for (Thread w : writers) {
        w.join();
      }
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).contains("Backed up to");
      assertThat(acknowledged.size())
          .as("writes went on during the backup")
          .isGreaterThan(duringBackup - 1);

      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup)) {
        try (ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("ok");
        }
        Set<Long> stored = new HashSet<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM comments")) {
          while (rs.next()) {
            stored.add(rs.getLong(1));
          }
        }
        assertThat(stored).containsAll(beforeBackup);
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM articles")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(32);
        }
      }

      StringWriter again = new StringWriter();
      assertThat(
              Cli.run(
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(again, true),
                  "backup",
                  backup.toString(),
                  "--data-dir",
                  site.app().config().get(DATA_DIR).toString()))
          .isEqualTo(1);
      assertThat(again.toString()).contains("already exists");
    }
  }
}
