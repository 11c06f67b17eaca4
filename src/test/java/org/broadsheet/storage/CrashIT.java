package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.WriterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 while writing: the SQLite file opens cleanly and holds every acknowledged write. */
class CrashIT {

  @Test
  void killDuringWritesLeavesADatabaseThatOpensWithEveryAcknowledgedArticle(@TempDir Path dataDir)
      throws Exception {
    for (int round = 0; round < 2; round++) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  WriterProcess.class.getName(),
                  dataDir.toString())
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      List<String> acknowledged = new ArrayList<>();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
          // log lines before the writer is ready
        }
        assertThat(line).isEqualTo("READY");
        while ((line = out.readLine()) != null) {
          if (!line.startsWith("ACK ")) {
            continue;
          }
          acknowledged.add(line.substring(4));
          if (acknowledged.size() == 150) {
            child.destroyForcibly();
            break;
          }
        }
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      assertThat(acknowledged).hasSize(150);

      try (org.broadsheet.app.Broadsheet restarted =
          org.broadsheet.app.Broadsheet.create(Backend.baseConfig(dataDir))) {
        restarted.start();
        assertThat(restarted.searchIndex().size())
            .as("after catching up, the search index holds every published article")
            .isEqualTo(
                restarted.articles().countPublished(org.broadsheet.article.ArticleFilter.ALL));
        String last = acknowledged.getLast();
        long lastId = restarted.articles().bySlug(last).orElseThrow().id();
        assertThat(restarted.searchIndex().search("\"Story " + last + "\"", 5)).contains(lastId);
      }
      try (Database database = Database.open(Backend.baseConfig(dataDir))) {
        database.migrate();
        database
            .jdbi()
            .useHandle(
                h -> {
                  assertThat(h.createQuery("PRAGMA integrity_check").mapTo(String.class).one())
                      .isEqualTo("ok");
                  List<String> stored =
                      h.createQuery("SELECT slug FROM articles").mapTo(String.class).list();
                  assertThat(stored).containsAll(acknowledged);
                });
      }
    }
  }
}
