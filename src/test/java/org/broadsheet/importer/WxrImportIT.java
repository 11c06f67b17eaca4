package org.broadsheet.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.cli.Cli;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our own WordPress export imports completely, a second run changes nothing, old URLs redirect. */
class WxrImportIT {

  private record Run(int code, String out, String err) {}

  private static Run cli(TestApp site, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all =
        java.util.stream.Stream.concat(java.util.Arrays.stream(args), site.cliOptions().stream())
            .toArray(String[]::new);
    int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Run(code, out.toString(), err.toString());
  }

  private static Path fixture(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve("export.xml");
    try (var in = WxrImportIT.class.getResourceAsStream("/wxr/fixture.xml")) {
      Files.copy(in, file);
    }
    return file;
  }

  private static Path uploads(Path dir) throws Exception {
    Path folder = dir.resolve("uploads/2024/05");
    Files.createDirectories(folder);
    BufferedImage image = new BufferedImage(1000, 560, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(image, "jpg", folder.resolve("cottage.jpg").toFile());
    return dir.resolve("uploads");
  }

  private static long articles(TestApp site) {
    return site.app()
        .database()
        .jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM articles").mapTo(Long.class).one());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aWordPressSiteMovesInWithThreadsImagesAndOldAddresses(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestApp site = TestApp.start(backend, false)) {
      Path file = fixture(dir);
      Path uploads = uploads(dir);

      Run dry =
          cli(site, "import-wxr", file.toString(), "--media", uploads.toString(), "--dry-run");
      assertThat(dry.code()).as(dry.err()).isZero();
      assertThat(dry.out())
          .contains(
              "Would create {articles=6, comments=5}",
              "status trash is not imported",
              "nav_menu_item 160");
      assertThat(articles(site)).as("a dry run writes nothing").isZero();

      Run run = cli(site, "import-wxr", file.toString(), "--media", uploads.toString());
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("articles=6", "comments=5", "authors=3");
      assertThat(run.err()).contains("Importing");

      Article cottage = site.app().articles().bySlug("lighthouse-cottage-museum").orElseThrow();
      assertThat(cottage.isPublic()).isTrue();
      assertThat(cottage.section().slug()).isEqualTo("harbour");
      assertThat(cottage.authors().getFirst().name()).isEqualTo("Tilde Marsh");
      assertThat(cottage.tags()).extracting(t -> t.name()).containsExactly("Ferries");
      assertThat(cottage.publishedAt()).isEqualTo(java.time.Instant.parse("2024-05-01T08:00:00Z"));
      assertThat(cottage.image().url()).startsWith("/media/");
      assertThat(cottage.image().alt()).isEqualTo("The keeper's cottage by the lighthouse");
      assertThat(cottage.bodyHtml())
          .contains("The cottage in spring", "src=\"/media/", "https://video.example/watch/keeper")
          .doesNotContain("[caption", "[gallery", "[embed");
      List<Comment> all =
          site
              .app()
              .database()
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT id FROM comments ORDER BY created_at")
                          .mapTo(Long.class)
                          .list())
              .stream()
              .map(id -> site.app().comments().find(id).orElseThrow())
              .toList();
      assertThat(all).hasSize(5);
      Comment question = all.get(0);
      Comment answer = all.get(1);
      Comment thanks = all.get(2);
      assertThat(answer.parentId()).isEqualTo(question.id());
      assertThat(thanks.parentId()).isEqualTo(answer.id());
      assertThat(thanks.depth()).isEqualTo(2);
      assertThat(question.authorUrl()).as("a javascript: address is not kept").isEmpty();
      assertThat(answer.authorUrl()).isEqualTo("https://oldquay.example/");
      String api = site.get("/api/articles/" + question.articleId() + "/comments").body();
      assertThat(api).contains("https://oldquay.example/").doesNotContain("javascript:");
      assertThat(all)
          .extracting(Comment::status)
          .containsExactly(
              CommentStatus.APPROVED,
              CommentStatus.APPROVED,
              CommentStatus.APPROVED,
              CommentStatus.SPAM,
              CommentStatus.PENDING);

      String festivalSlug =
          site.app()
              .database()
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT slug FROM articles WHERE headline LIKE 'Фестиваль%'")
                          .mapTo(String.class)
                          .one());
      assertThat(festivalSlug).as("the Cyrillic slug, transliterated").matches("fest[a-z]+");
      Article festival = site.app().articles().bySlug(festivalSlug).orElseThrow();
      assertThat(festival.headline()).isEqualTo("Фестиваль на набережній: програма вихідних");
      assertThat(festival.authors().getFirst().name()).isEqualTo("Олександр Коваль");
      Article dues = site.app().articles().bySlug("harbour-dues").orElseThrow();
      assertThat(dues.authors().getFirst().slug()).isEqualTo("former-intern");
      Article draft =
          site.app().articles().bySlug("unfinished-piece-about-the-ferry-timetable").orElseThrow();
      assertThat(draft.status()).isEqualTo(ArticleStatus.DRAFT);
      assertThat(site.app().articles().bySlug("staff-party").orElseThrow().isPublic()).isFalse();
      assertThat(site.app().articles().bySlug("about").orElseThrow().section().slug())
          .isEqualTo("pages");

      // Old addresses answer 301 with the new ones.
      String path = site.path(cottage);
      for (String old :
          List.of(
              "/?p=101",
              "/2024/05/01/lighthouse-cottage-museum/",
              "/2024/05/01/lighthouse-cottage-museum")) {
        HttpResponse<String> r = site.get(old);
        assertThat(r.statusCode()).as(old).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).as(old).contains(path);
      }
      assertThat(site.get("/category/harbour/").headers().firstValue("Location"))
          .contains("/section/harbour");
      assertThat(site.get("/about/").statusCode()).isEqualTo(301);
      assertThat(site.get("/?p=104").statusCode()).as("drafts do not redirect").isEqualTo(404);
      assertThat(site.get("/never-existed").statusCode()).isEqualTo(404);
      assertThat(site.get(path).body())
          .contains("Will it open in summer?", "In August, the council says.")
          .doesNotContain("Buy now");

      // A second run changes nothing.
      long before = articles(site);
      Run again = cli(site, "import-wxr", file.toString(), "--media", uploads.toString());
      assertThat(again.code()).isZero();
      assertThat(again.out()).contains("Created {}", "already imported");
      assertThat(articles(site)).isEqualTo(before);
      int comments =
          site.app()
              .database()
              .jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT COUNT(*) FROM comments").mapTo(Integer.class).one());
      assertThat(comments).isEqualTo(5);
    }
  }

  @Test
  void hostileAndBrokenFilesGetClearErrorsAndNothingHalfImported(@TempDir Path dir)
      throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      Path secret = dir.resolve("secret.txt");
      Files.writeString(secret, "TOP SECRET");
      Path xxe = dir.resolve("xxe.xml");
      Files.writeString(
          xxe,
          "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY s SYSTEM \""
              + secret.toUri()
              + "\">]><rss><channel><item><title>&s;</title><wp:post_type xmlns:wp=\"http://wordpress.org/export/1.2/\">post</wp:post_type></item></channel></rss>");
      Run x = cli(site, "import-wxr", xxe.toString());
      assertThat(x.code()).isEqualTo(1);
      assertThat(x.err()).contains("DTD").doesNotContain("TOP SECRET");

      Path laughs = dir.resolve("laughs.xml");
      StringBuilder bomb =
          new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
      for (int i = 1; i < 10; i++) {
        bomb.append("<!ENTITY lol")
            .append(i)
            .append(" \"")
            .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
            .append("\">");
      }
      bomb.append("]><rss><channel><title>&lol9;</title></channel></rss>");
      Files.writeString(laughs, bomb);
      Run l = cli(site, "import-wxr", laughs.toString());
      assertThat(l.code()).isEqualTo(1);
      assertThat(l.err()).contains("DTD");

      String whole =
          new String(
              WxrImportIT.class.getResourceAsStream("/wxr/fixture.xml").readAllBytes(),
              StandardCharsets.UTF_8);
      Path truncated = dir.resolve("truncated.xml");
      Files.writeString(truncated, whole.substring(0, whole.indexOf("<title>Harbour dues")));
      Run t = cli(site, "import-wxr", truncated.toString());
      assertThat(t.code()).isEqualTo(1);
      assertThat(t.err()).contains("not well-formed XML at line", "nothing was imported");
      long partial = articles(site);
      assertThat(partial).as("the file is checked whole before anything is written").isZero();
      Run resumed = cli(site, "import-wxr", fixture(dir).toString());
      assertThat(resumed.code()).as(resumed.err()).isZero();
      assertThat(articles(site)).isEqualTo(6);

      Path huge = dir.resolve("huge.xml");
      try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
        f.setLength(2L * 1024 * 1024 * 1024);
      }
      Run h = cli(site, "import-wxr", huge.toString());
      assertThat(h.code()).isEqualTo(1);
      assertThat(h.err()).contains("2048 MB", "limit is 512 MB");
      Files.delete(huge);

      // An uploads folder whose image is a link to a file elsewhere: the file stays where it is.
      Path linked = dir.resolve("linked-uploads/2024/05");
      Files.createDirectories(linked);
      Path outside = dir.resolve("outside.jpg");
      ImageIO.write(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB), "jpg", outside.toFile());
      Files.createSymbolicLink(linked.resolve("cottage.jpg"), outside);
      try (TestApp other = TestApp.start(Backend.SQLITE, false)) {
        Run withLink =
            cli(
                other,
                "import-wxr",
                fixture(dir.resolve("y")).toString(),
                "--media",
                dir.resolve("linked-uploads").toString());
        assertThat(withLink.code()).as(withLink.err()).isZero();
        assertThat(withLink.out()).contains("a link pointing outside the uploads folder");
        assertThat(other.app().articles().bySlug("lighthouse-cottage-museum").orElseThrow().image())
            .isNull();
      }

      Run noFolder =
          cli(
              site,
              "import-wxr",
              fixture(dir.resolve("x")).toString(),
              "--media",
              dir.resolve("nope").toString());
      assertThat(noFolder.code()).isEqualTo(2);
      assertThat(Map.of()).isEmpty();
    }
  }

  @Test
  void adminsImportFromTheBrowserWithADryRunFirst() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      site.app()
          .accounts()
          .create(
              "ada@example.org",
              "Ada",
              "correct horse battery staple",
              org.broadsheet.account.Role.ADMIN,
              null);
      var admin = new org.broadsheet.testing.Browserless("http://127.0.0.1:" + site.app().port());
      admin.signIn("ada@example.org", "correct horse battery staple");
      admin.get("/admin/import");
      byte[] export = WxrImportIT.class.getResourceAsStream("/wxr/fixture.xml").readAllBytes();
      HttpResponse<String> dry =
          admin.postFile("/admin/import", Map.of("dryRun", "1"), "file", "export.xml", export);
      assertThat(dry.statusCode()).isEqualTo(200);
      assertThat(dry.body()).contains("What the import would do", "Would create");
      assertThat(articles(site)).isZero();
      HttpResponse<String> real =
          admin.postFile("/admin/import", Map.of(), "file", "export.xml", export);
      assertThat(real.body()).contains("What was imported", "articles=6");
      assertThat(articles(site)).isEqualTo(6);
      HttpResponse<String> bad =
          admin.postFile(
              "/admin/import",
              Map.of(),
              "file",
              "x.xml",
              "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]><rss/>"
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("DTD");
    }
  }
}
