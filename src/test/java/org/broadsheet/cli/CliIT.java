package org.broadsheet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.config.Config;
import org.broadsheet.demo.DemoContent;
import org.broadsheet.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliIT {

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheCommands() {
    Result help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains("serve", "migrate", "demo", "version", "--port", "--data-dir", "BROADSHEET_");
  }

  @Test
  void versionPrintsAVersion() {
    Result version = run("version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("broadsheet ");
  }

  @Test
  void aBadSettingIsOneClearLineAndExitCode2() {
    Result bad = run("serve", "--port", "70000");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("BROADSHEET_PORT=70000").doesNotContain("\tat ");
  }

  @Test
  void anUnopenableDataDirIsOneClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("occupied");
    Files.writeString(file, "x");
    Result bad = run("migrate", "--data-dir", file.resolve("data").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains("BROADSHEET_DATA_DIR=" + file.resolve("data"), "cannot create the data folder")
        .doesNotContain("\tat ");
  }

  @Test
  void aBadJdbcUrlIsOneClearError() {
    Result bad =
        run("migrate", "--database-url", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains(
            "BROADSHEET_DATABASE_URL=jdbc:postgresql://127.0.0.1:1/none",
            "cannot open the database");
  }

  @Test
  void migrateAndDemoWorkOnPostgresqlOnlyWhenAsked() {
    try (Backend.TestDatabase db = Backend.POSTGRESQL.create()) {
      String url = db.config().get(DATABASE_URL) + "&user=postgres";
      assertThat(run("migrate", "--database-url", url).code()).isZero();
      try (Broadsheet app = Broadsheet.create(db.config())) {
        assertThat(
                DemoContent.seedsOnServe(
                    db.config().with(java.util.Map.of("BROADSHEET_DEMO_CONTENT", "true")),
                    app.articles()))
            .as("serve never seeds PostgreSQL by itself")
            .isFalse();
      }
      Result demo = run("demo", "--database-url", url, "--data-dir", db.dataDir().toString());
      assertThat(demo.code()).as(demo.err()).isZero();
      assertThat(demo.out()).contains("Added 32 articles");
      Result again = run("demo", "--database-url", url, "--data-dir", db.dataDir().toString());
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).contains("already has content");
    }
  }

  @Test
  void serveSeedsOnlyAnEmptyEmbeddedDatabase(@TempDir Path dir) {
    Config config =
        Backend.baseConfig(dir).with(java.util.Map.of("BROADSHEET_DEMO_CONTENT", "true"));
    try (Broadsheet app = Broadsheet.create(config)) {
      assertThat(DemoContent.seedsOnServe(config, app.articles())).isTrue();
      assertThat(
              DemoContent.seedsOnServe(
                  config.with(java.util.Map.of("BROADSHEET_DEMO_CONTENT", "false")),
                  app.articles()))
          .isFalse();
      app.articles().createSection("local", "Local", "");
      assertThat(DemoContent.seedsOnServe(config, app.articles()))
          .as("never into a non-empty site")
          .isFalse();
    }
  }

  @Test
  void commentsCanBeExportedAndErasedByEmail(@TempDir Path dir) {
    Config config = Backend.baseConfig(dir);
    try (Broadsheet app = Broadsheet.create(config)) {
      app.articles().createSection("news", "News", "");
      app.articles().createAuthor("rita", "Rita", "");
      var article =
          app.articles()
              .create(
                  new org.broadsheet.article.ArticleDraft(
                      "",
                      "news",
                      "Exported",
                      "",
                      "Body",
                      org.broadsheet.article.ArticleStatus.PUBLISHED,
                      null,
                      java.util.List.of("rita"),
                      java.util.List.of(),
                      null));
      app.comments()
          .submit(
              new org.broadsheet.comment.CommentSubmission(
                  article.id(),
                  null,
                  "Gdpr Person",
                  "gdpr@example.org",
                  "",
                  "Please forget me later.",
                  false,
                  "",
                  "",
                  "192.0.2.9",
                  "JUnit",
                  java.time.Instant.now()));
    }
    Result export =
        run("comments", "export", "--email", "gdpr@example.org", "--data-dir", dir.toString());
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.out())
        .contains("\"authorName\" : \"Gdpr Person\"", "Please forget me later.", "192.0.2.9");
    Result erase =
        run("comments", "erase", "--email", "gdpr@example.org", "--data-dir", dir.toString());
    assertThat(erase.code()).isZero();
    assertThat(erase.out()).contains("Deleted 1 unpublished");
    assertThat(
            run("comments", "export", "--email", "gdpr@example.org", "--data-dir", dir.toString())
                .out()
                .strip())
        .isEqualTo("[ ]");
    assertThat(run("rotate-human-check-key", "--data-dir", dir.toString()).out())
        .containsPattern("Now signing with key \\d+");
  }
}
