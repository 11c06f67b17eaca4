package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Uploads over real HTTP: images are accepted, disguised and dangerous files are refused. */
class MediaHttpIT {

  private static HttpResponse<String> upload(
      TestApp site, Browserless member, String fileName, byte[] content, String alt) {
    member.get("/admin/media");
    return member.postFile(
        "/admin/media", Map.of("alt", alt, "credit", ""), "file", fileName, content);
  }

  @Test
  void imagesAreStoredSafelyAndEverythingElseIsRefusedClearly() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      site.app()
          .accounts()
          .create("ann@example.org", "Ann", NewsroomIT.PASSWORD, Role.AUTHOR, null);
      Browserless ann = NewsroomIT.client(site);
      ann.signIn("ann@example.org", NewsroomIT.PASSWORD);

      HttpResponse<String> nul = upload(site, ann, "evil\u0000.jpg", MediaSteps.jpeg(100, 70), "x");
      assertThat(nul.statusCode()).isEqualTo(400);
      assertThat(nul.body()).contains("rename it");
      HttpResponse<String> ok =
          upload(site, ann, "../../etc/passwd.jpg", MediaSteps.jpeg(1300, 700), "Harbour at dawn");
      assertThat(ok.statusCode())
          .as(org.jsoup.Jsoup.parse(ok.body()).select("main").text())
          .isEqualTo(303);
      assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/etc/passwd.jpg"))).isFalse();
      String page = ann.get("/admin/media").body();
      String url = org.jsoup.Jsoup.parse(page).select(".media-address").attr("value");
      assertThat(url).matches("/media/[0-9a-f]+\\.jpg");
      assertThat(page).contains("srcset=\"", "480w", "800w", "1200w");
      HttpResponse<String> served = site.get(url);
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(served.headers().firstValue("Content-Type")).contains("image/jpeg");

      HttpResponse<String> html =
          upload(
              site,
              ann,
              "photo.jpg",
              "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8),
              "x");
      assertThat(html.statusCode()).isEqualTo(422);
      assertThat(html.body()).contains("not a JPEG, PNG, GIF or WebP image");
      HttpResponse<String> svg =
          upload(
              site,
              ann,
              "logo.svg",
              "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                  .getBytes(StandardCharsets.UTF_8),
              "Logo");
      assertThat(svg.statusCode()).isEqualTo(422);
      assertThat(svg.body()).contains("SVG");
      HttpResponse<String> noAlt = upload(site, ann, "ok.jpg", MediaSteps.jpeg(200, 100), "");
      assertThat(noAlt.statusCode()).isEqualTo(422);
      for (String bad :
          new String[] {
            "/media/..%2Fbroadsheet.db", "/media/x.svg", "/media/%2e%2e", "/media/abc.html"
          }) {
        assertThat(site.get(bad).statusCode()).as(bad).isEqualTo(404);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void authorsAndContributorsChangeOnlyTheirOwnUploadsEditorsAnyone(Backend backend)
      throws Exception {
    try (TestApp site = TestApp.start(backend, false)) {
      var accounts = site.app().accounts();
      accounts.create("ann@example.org", "Ann", NewsroomIT.PASSWORD, Role.AUTHOR, null);
      accounts.create("cy@example.org", "Cy", NewsroomIT.PASSWORD, Role.CONTRIBUTOR, null);
      accounts.create("ed@example.org", "Ed", NewsroomIT.PASSWORD, Role.EDITOR, null);
      Browserless ann = NewsroomIT.client(site);
      ann.signIn("ann@example.org", NewsroomIT.PASSWORD);
      Browserless cy = NewsroomIT.client(site);
      cy.signIn("cy@example.org", NewsroomIT.PASSWORD);
      Browserless ed = NewsroomIT.client(site);
      ed.signIn("ed@example.org", NewsroomIT.PASSWORD);
      assertThat(upload(site, ann, "pier.jpg", MediaSteps.jpeg(300, 200), "The pier").statusCode())
          .isEqualTo(303);
      long id = site.app().media().latest(1, 0).getFirst().id();

      String page = cy.get("/admin/media").body();
      assertThat(page).doesNotContain("action=\"/admin/media/" + id + "\"");
      HttpResponse<String> changed =
          cy.post("/admin/media/" + id, Map.of("alt", "Vandalised", "credit", "Cy"));
      assertThat(changed.statusCode()).isEqualTo(403);
      assertThat(site.app().media().latest(1, 0).getFirst().alt()).isEqualTo("The pier");

      ann.get("/admin/media");
      assertThat(
              ann.post("/admin/media/" + id, Map.of("alt", "The pier at noon", "credit", ""))
                  .statusCode())
          .isEqualTo(303);
      ed.get("/admin/media");
      assertThat(
              ed.post("/admin/media/" + id, Map.of("alt", "The old pier", "credit", "Ann"))
                  .statusCode())
          .isEqualTo(303);
      assertThat(site.app().media().latest(1, 0).getFirst().alt()).isEqualTo("The old pier");
    }
  }

  @Test
  void aHugeUploadIsRefusedWithTheRealReason() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      site.app()
          .accounts()
          .create("ann@example.org", "Ann", NewsroomIT.PASSWORD, Role.AUTHOR, null);
      Browserless ann = NewsroomIT.client(site);
      ann.signIn("ann@example.org", NewsroomIT.PASSWORD);
      HttpResponse<String> huge =
          upload(site, ann, "scan.jpg", new byte[100 * 1024 * 1024], "A huge scan");
      assertThat(huge.statusCode()).isEqualTo(413);
      assertThat(huge.body()).contains("larger than 20 MB").doesNotContain("multipart");
      assertThat(site.app().media().latest(10, 0)).isEmpty();
    }
  }
}
