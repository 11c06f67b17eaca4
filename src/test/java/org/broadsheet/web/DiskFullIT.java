package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data folder on a small tmpfs that fills up: readers still get pages, writes are refused with
 * a clear answer (JSON for scripts), the node says it is not ready, nothing stored is lost, and all
 * is well again once space is freed. Needs root to mount the tmpfs: CI runs as root and must run
 * it; elsewhere it is skipped.
 */
class DiskFullIT {

  private Path mount;

  private static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @BeforeEach
  void mount() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(root || ci, "mounting a tmpfs needs root");
    mount = Files.createTempDirectory("broadsheet-full-");
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString());
    assertThat(mounted).as("mount a 48 MB tmpfs at %s", mount).isTrue();
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", mount.toString());
      Files.deleteIfExists(mount);
    }
  }

  /** Writes until the disk refuses, and returns the file that holds the space. */
  private static Path fill(Path dir) throws IOException {
    Path filler = dir.resolve("filler");
    byte[] block = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left");
    }
    return filler;
  }

  private static Map<String, String> comment(TestApp site, Article article, String text) {
    return Map.of(
        "comment",
        text,
        "name",
        "Rae",
        "email",
        "rae@example.org",
        "altcha",
        site.solvedCheck("comment:" + article.id()));
  }

  private static int count(TestApp site, String table) {
    return site.app()
        .database()
        .jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one());
  }

  @Test
  void aFullDiskRefusesWritesClearlyKeepsEverythingAndRecovers() throws Exception {
    Path data = mount.resolve("data");
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            true,
            Map.of(
                "BROADSHEET_DATA_DIR",
                data.toString(),
                "BROADSHEET_SEARCH_INDEX_DIR",
                mount.resolve("index").toString(),
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                "0",
                "BROADSHEET_COMMENTS_POLICY",
                "none"))) {
      Article article = site.app().articles().bySlug("halden-water-announces-hosepipe-ban").get();
      String api = "/api/articles/" + article.id() + "/comments";
      assertThat(site.postForm(api, comment(site, article, "Before the disk filled.")).statusCode())
          .isEqualTo(201);
      int articles = count(site, "articles");
      int comments = count(site, "comments");
      assertThat(site.get("/readyz").statusCode()).isEqualTo(200);

      Path filler = fill(mount);

      HttpResponse<String> refused =
          site.postForm(api, comment(site, article, "While the disk is full."));
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(refused.body()).contains("\"message\"", "nothing you sent was saved");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      Eventually.until(
          "the node to report it cannot write", () -> site.get("/readyz").statusCode() == 503);
      assertThat(site.get("/readyz").body()).contains("\"status\":\"unavailable\"");
      assertThat(site.get(site.path(article)).statusCode()).as("readers still read").isEqualTo(200);

      Files.delete(filler);
      Eventually.until("the node to be ready again", () -> site.get("/readyz").statusCode() == 200);
      assertThat(count(site, "articles")).isEqualTo(articles);
      assertThat(count(site, "comments"))
          .as("nothing lost, nothing half-saved")
          .isEqualTo(comments);
      HttpResponse<String> after =
          site.postForm(api, comment(site, article, "After space was freed."));
      assertThat(after.statusCode()).isEqualTo(201);
      assertThat(site.get(site.path(article)).body())
          .contains("Before the disk filled.", "After space was freed.")
          .doesNotContain("While the disk is full.");
    }
  }
}
