package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.CommentPosters;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.PreviousRelease;
import org.broadsheet.testing.ServeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade of two nodes on PostgreSQL with real builds: the previous release (built from
 * its commit, see {@code packaging/previous-release}) serves and takes comments; this build starts
 * beside it on the same database and applies its migrations while the old node keeps serving and
 * writing; both then serve side by side, each showing what readers wrote on the other; the old node
 * is stopped and every comment either acknowledged is stored.
 */
class RollingUpgradeIT {

  private static final Pattern ARTICLE_LINK =
      Pattern.compile("href=\"(/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/[a-z0-9-]+)\"");
  private static final Pattern COUNT = Pattern.compile("class=\"comment-count\">([^<·]+)");
  private static final Pattern ARTICLE_ID = Pattern.compile("data-article-id=\"(\\d+)\"");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(String base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void oldAndNewServeSideBySideWhileTheNewOneMigrates(@TempDir Path oldData, @TempDir Path newData)
      throws Exception {
    Path previous = PreviousRelease.jar();
    try (Backend.TestDatabase database = Backend.POSTGRESQL.create()) {
      Map<String, String> shared =
          Map.of(
              "BROADSHEET_DATABASE_URL",
              Backend.POSTGRES_URL + "?currentSchema=" + database.schema(),
              "BROADSHEET_DATABASE_USER",
              Backend.POSTGRES_USER,
              "BROADSHEET_BASE_URL",
              "http://127.0.0.1");
      // The old release creates the database and puts its demo paper in it.
      assertThat(ServeProcess.run(previous, oldData, shared, "demo")).contains("Added ");
      try (ServeProcess old = ServeProcess.jar(previous, oldData, shared)) {
        HttpResponse<String> front = get(old.base(), "/");
        assertThat(front.statusCode()).isEqualTo(200);
        Matcher link = ARTICLE_LINK.matcher(front.body());
        assertThat(link.find()).as("the demo paper's front links a story").isTrue();
        String story = link.group(1);
        Matcher id = ARTICLE_ID.matcher(get(old.base(), story).body());
        assertThat(id.find()).isTrue();
        long articleId = Long.parseLong(id.group(1));

        try (CommentPosters onOld =
            new CommentPosters(old.base(), articleId, 2, "written on the old release.")) {
          onOld.awaitAcknowledged(20, Duration.ofSeconds(60));
          String knownBefore = version(database);

          // The new build starts on the same database and migrates it while the old one serves.
          try (ServeProcess upgraded = ServeProcess.thisBuild(newData, shared)) {
            assertThat(upgraded.output())
                .as("the new node says what it migrated")
                .anyMatch(l -> l.contains("Database at schema V" + knownBefore + ": applying"));
            assertThat(version(database)).isNotEqualTo(knownBefore);
            int atMigration = onOld.acknowledged.size();
            try (CommentPosters onNew =
                new CommentPosters(upgraded.base(), articleId, 2, "written on the new release.")) {
              onOld.awaitAcknowledged(atMigration + 20, Duration.ofSeconds(60));
              onNew.awaitAcknowledged(20, Duration.ofSeconds(60));
              assertThat(onOld.acknowledged.size())
                  .as("the old node kept taking comments on the migrated database")
                  .isGreaterThanOrEqualTo(atMigration + 20);

              // Both serve every kind of page; each shows what was written on the other.
              for (String base : List.of(old.base(), upgraded.base())) {
                for (String path : List.of("/", story, "/search?q=council", "/feed.xml")) {
                  assertThat(get(base, path).statusCode()).as(base + path).isEqualTo(200);
                }
              }
              onOld.stop();
              onNew.stop();
              // Each node's cached article page follows the other's writes: the count of every
              // comment stored, and the newest written on the other node.
              // (A post cut off by the stop may still land: the count is read again each time.)
              for (ServeProcess node : List.of(old, upgraded)) {
                try {
                  Eventually.until(
                      node.base() + " counts every comment stored",
                      () -> body(node.base(), story).contains(stored(database, articleId)));
                } catch (AssertionError e) {
                  List<String> log = node.output();
                  throw new AssertionError(
                      e.getMessage()
                          + "; the page says "
                          + COUNT
                              .matcher(body(node.base(), story))
                              .results()
                              .findFirst()
                              .map(m -> m.group(1))
                              .orElse("nothing")
                          + ", the database "
                          + stored(database, articleId)
                          + "; its log ends:\n"
                          + String.join(
                              "\n", log.subList(Math.max(0, log.size() - 40), log.size())),
                      e);
                }
              }
              String newestOld = newest(database, articleId, "written on the old release.");
              String newestNew = newest(database, articleId, "written on the new release.");
              Eventually.until(
                  "the new node shows the newest comment written on the old one",
                  () -> body(upgraded.base(), story + "?corder=newest").contains(newestOld));
              Eventually.until(
                  "the old node shows the newest comment written on the new one",
                  () -> body(old.base(), story + "?corder=newest").contains(newestNew));

              // The rollout ends: the old node goes, the new one carries on.
              assertThat(old.stop()).as("the old node stops on SIGTERM").isTrue();
              assertThat(get(upgraded.base(), story).statusCode()).isEqualTo(200);
              List<String> stored = comments(database, articleId);
              assertThat(stored).containsAll(onOld.acknowledged).containsAll(onNew.acknowledged);
              assertThat(upgraded.output()).noneMatch(l -> l.contains(" ERROR "));
            }
          }
        }
      }
    }
  }

  private String body(String base, String path) {
    try {
      return get(base, path).body();
    } catch (Exception e) {
      return "";
    }
  }

  private static Connection connect(Backend.TestDatabase database) throws Exception {
    return DriverManager.getConnection(
        Backend.POSTGRES_URL + "?currentSchema=" + database.schema(), Backend.POSTGRES_USER, "");
  }

  /** The newest migration applied. */
  private static String version(Backend.TestDatabase database) throws Exception {
    try (Connection c = connect(database);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE success"
                        + " ORDER BY installed_rank DESC LIMIT 1")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** "N comments", N the comments readers see on the article now (the approved ones). */
  private static String stored(Backend.TestDatabase database, long articleId) {
    try (Connection c = connect(database);
        var s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM comments WHERE article_id = ? AND status = 'approved'")) {
      s.setLong(1, articleId);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) + " comments";
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The newest stored comment whose body ends with {@code tail}. */
  private static String newest(Backend.TestDatabase database, long articleId, String tail)
      throws Exception {
    try (Connection c = connect(database);
        var s =
            c.prepareStatement(
                "SELECT body FROM comments WHERE article_id = ? AND body LIKE ?"
                    + " ORDER BY id DESC LIMIT 1")) {
      s.setLong(1, articleId);
      s.setString(2, "%" + tail);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static List<String> comments(Backend.TestDatabase database, long articleId)
      throws Exception {
    try (Connection c = connect(database);
        var s = c.prepareStatement("SELECT body FROM comments WHERE article_id = ?")) {
      s.setLong(1, articleId);
      List<String> bodies = new ArrayList<>();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          bodies.add(rs.getString(1));
        }
      }
      return bodies;
    }
  }
}
