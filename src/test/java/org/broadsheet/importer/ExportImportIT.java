package org.broadsheet.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.cli.Cli;
import org.broadsheet.comment.CommentSubmission;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export from SQLite, import into PostgreSQL: the same site, byte for byte, threads intact. */
class ExportImportIT {

  private static Map<String, Object> snapshot(Database db) {
    return db.jdbi()
        .withHandle(
            h -> {
              Map<String, Object> s = new java.util.LinkedHashMap<>();
              for (String table : Archive.TABLES) {
                if (!table.equals("settings")) {
                  s.put(
                      table,
                      h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one());
                }
              }
              s.put(
                  "bodies",
                  h.createQuery(
                          "SELECT id, slug, body_markdown, body_html, headline FROM articles ORDER BY id")
                      .mapToMap()
                      .list()
                      .toString());
              s.put(
                  "readers",
                  h.createQuery(
                          "SELECT s.email, s.name, s.status, s.frequency, n.slug AS newsletter, c.slug AS section"
                              + " FROM subscribers s JOIN subscriber_newsletters sn ON sn.subscriber_id = s.id"
                              + " JOIN newsletters n ON n.id = sn.newsletter_id"
                              + " JOIN subscriber_sections ss ON ss.subscriber_id = s.id"
                              + " JOIN sections c ON c.id = ss.section_id ORDER BY s.id")
                      .mapToMap()
                      .list()
                      .toString());
              s.put(
                  "threads",
                  h.createQuery(
                          "SELECT id, parent_id, article_id, status, body FROM comments ORDER BY id")
                      .mapToMap()
                      .list()
                      .toString());
              return s;
            });
  }

  private static int cli(StringWriter out, StringWriter err, String... args) {
    return Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void everyTableIsInTheArchiveOrLeftOutForAReason() {
    try (Backend.TestDatabase db = Backend.SQLITE.create();
        org.broadsheet.storage.Database database =
            org.broadsheet.storage.Database.open(db.config())) {
      database.migrate();
      java.util.List<String> names =
          database
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT name FROM sqlite_master WHERE type = 'table'"
                                  + " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'flyway_%'")
                          .mapTo(String.class)
                          .list());
      java.util.Set<String> tables = new java.util.TreeSet<>(names);
      java.util.Set<String> decided = new java.util.TreeSet<>(Archive.TABLES);
      decided.addAll(Archive.LEFT_OUT.keySet());
      assertThat(decided)
          .as("a table added by a migration must go into the archive or be left out with a reason")
          .isEqualTo(tables);
      assertThat(Archive.TABLES).doesNotContainAnyElementsOf(Archive.LEFT_OUT.keySet());
    }
  }

  @Test
  void aSqliteSiteMovesToPostgresqlWhole(@TempDir Path dir) throws Exception {
    Path zip = dir.resolve("site.zip");
    Map<String, Object> before;
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            true,
            Map.of(
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                "0",
                "BROADSHEET_COMMENTS_POLICY",
                "none"))) {
      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      Long parent = null;
      for (int i = 0; i < 3; i++) {
        var c =
            site.app()
                .comments()
                .submit(
                    new CommentSubmission(
                        article.id(),
                        parent,
                        "Reader " + i,
                        "r" + i + "@example.org",
                        "",
                        "Level " + i + " — «quotes», ünïcödé and Київ",
                        false,
                        site.solvedCheck("comment:" + article.id()),
                        "",
                        "192.0.2.7",
                        "JUnit",
                        Instant.now()));
        parent = c.id();
      }
      site.app()
          .accounts()
          .create("ada@example.org", "Ada", "correct horse battery staple", Role.ADMIN, null);
      site.app()
          .database()
          .jdbi()
          .useTransaction(
              h -> {
                h.execute(
                    "INSERT INTO subscribers (email, name, status, frequency, created_at, confirmed_at)"
                        + " VALUES ('olena@example.org', 'Олена', 'confirmed', 'daily', 1, 2)");
                h.execute(
                    "INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id)"
                        + " SELECT s.id, n.id FROM subscribers s, newsletters n");
                h.execute(
                    "INSERT INTO subscriber_sections (subscriber_id, section_id)"
                        + " SELECT s.id, c.id FROM subscribers s, sections c WHERE c.slug = 'culture'");
                h.execute(
                    "INSERT INTO mail_suppressions (email, reason, created_at) VALUES ('gone@example.org', 'bounced', 3)");
              });
      before = snapshot(site.app().database());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertThat(
              cli(
                  out,
                  err,
                  "export",
                  zip.toString(),
                  "--data-dir",
                  site.app().config().get(DATA_DIR).toString()))
          .as(err.toString())
          .isZero();
      assertThat(out.toString()).contains("Exported", "articles=32");
    }
    assertThat(Files.size(zip)).isPositive();

    try (Backend.TestDatabase pg = Backend.POSTGRESQL.create()) {
      Map<String, String> settings = new java.util.HashMap<>();
      settings.put("--data-dir", pg.dataDir().toString());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      String url = pg.config().effectiveDatabaseUrl();
      int code =
          cli(
              out,
              err,
              "import",
              zip.toString(),
              "--data-dir",
              pg.dataDir().toString(),
              "--database-url",
              url);
      assertThat(code).as(err.toString()).isZero();
      try (Database db = Database.open(pg.config())) {
        assertThat(snapshot(db)).isEqualTo(before);
      }
      // The site runs on the imported data: pages, search (rebuilt) and a second import refused.
      try (TestApp moved = TestApp.startNode(pg, Map.of())) {
        Article article =
            moved.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
        String page = moved.get(moved.path(article)).body();
        assertThat(page).contains("Level 2 — «quotes», ünïcödé and Київ");
        assertThat(moved.app().searchIndex().search("hosepipe ban", 5)).contains(article.id());
        Article created = moved.article("Written after the move");
        assertThat(created.id()).isGreaterThan(32);
      }
      StringWriter again = new StringWriter();
      assertThat(
              cli(
                  new StringWriter(),
                  again,
                  "import",
                  zip.toString(),
                  "--data-dir",
                  pg.dataDir().toString(),
                  "--database-url",
                  url))
          .isEqualTo(1);
      assertThat(again.toString()).contains("empty site", "Nothing was imported");
    }
    assertThat(List.of()).isEmpty();
  }

  @Test
  void archivesWithUnexpectedFilesAreRefusedAndNothingIsHalfImported(@TempDir Path dir)
      throws Exception {
    Path zip = dir.resolve("evil.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("broadsheet.json"));
      out.write(
          "{\"format\":1,\"tables\":{\"sections\":[{\"id\":1,\"slug\":\"news\",\"name\":\"News\",\"description\":\"\",\"position\":1}]}}"
              .getBytes());
      out.closeEntry();
      out.putNextEntry(new java.util.zip.ZipEntry("media/../../escape.jpg"));
      out.write(new byte[] {1, 2, 3});
      out.closeEntry();
    }
    Path data = dir.resolve("data");
    StringWriter err = new StringWriter();
    assertThat(
            cli(new StringWriter(), err, "import", zip.toString(), "--data-dir", data.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("Unexpected file", "Nothing was imported");
    assertThat(dir.resolve("escape.jpg")).doesNotExist();
    assertThat(data.resolve("escape.jpg")).doesNotExist();
  }
}
