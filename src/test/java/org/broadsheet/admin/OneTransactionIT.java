package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentStatus;
import org.broadsheet.comment.CommentSubmission;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every newsroom action that writes more than one thing is one transaction: a save refused for any
 * reason changes nothing at all (no article, no status, no revision, no audit line, no mail), and
 * the same form, fixed, then goes through. As a member would do it, over HTTP.
 */
class OneTransactionIT {

  private static Browserless admin(TestApp site) {
    site.app()
        .accounts()
        .create("ada@example.org", "Ada Admin", NewsroomIT.PASSWORD, Role.ADMIN, null);
    Browserless ada = NewsroomIT.client(site);
    assertThat(ada.signIn("ada@example.org", NewsroomIT.PASSWORD).statusCode()).isEqualTo(303);
    return ada;
  }

  private static int count(TestApp site, String sql) {
    Jdbi jdbi = site.app().database().jdbi();
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aPublishRefusedForOneFieldPublishesNothingAndTheFixedFormThenPublishes(Backend backend) {
    try (TestApp site = TestApp.start(backend, true)) {
      Browserless ada = admin(site);
      int articles = count(site, "SELECT COUNT(*) FROM articles");
      int revisions = count(site, "SELECT COUNT(*) FROM article_revisions");
      int audits = count(site, "SELECT COUNT(*) FROM audit_log");
      int changes = count(site, "SELECT COUNT(*) FROM changes");
      ada.get("/admin/articles/new");
      Map<String, Object> form =
          new HashMap<>(NewsroomIT.article("Ferry timetable changes", "publish"));
      form.put("seoTitle", "Ferry\ttimetable");

      HttpResponse<String> refused = ada.post("/admin/articles", form);

      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body())
          .contains("one line of up to 70 characters")
          .contains("value=\"Ferry timetable changes\"");
      assertThat(count(site, "SELECT COUNT(*) FROM articles")).isEqualTo(articles);
      assertThat(count(site, "SELECT COUNT(*) FROM article_revisions")).isEqualTo(revisions);
      assertThat(count(site, "SELECT COUNT(*) FROM changes")).isEqualTo(changes);
      assertThat(count(site, "SELECT COUNT(*) FROM audit_log")).isEqualTo(audits);
      assertThat(site.get("/").body()).doesNotContain("Ferry timetable changes");

      form.put("seoTitle", "Ferry timetable");
      HttpResponse<String> published = ada.post("/admin/articles", form);
      assertThat(published.statusCode()).as(published.body()).isEqualTo(303);
      Article article = site.app().articles().byId(NewsroomIT.idFrom(published)).orElseThrow();
      assertThat(article.status()).isEqualTo(ArticleStatus.PUBLISHED);
      assertThat(site.get("/").body()).contains("Ferry timetable changes");
      assertThat(
              count(site, "SELECT COUNT(*) FROM audit_log WHERE action = 'article.create-publish'"))
          .isEqualTo(1);
    }
  }

  @Test
  void aRefusedSaveOfALiveArticleLeavesItExactlyAsItWas() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Browserless ada = admin(site);
      ada.get("/admin/articles/new");
      long id =
          NewsroomIT.idFrom(
              ada.post("/admin/articles", NewsroomIT.article("Harbour crane returns", "publish")));
      Article before = site.app().articles().byId(id).orElseThrow();
      int revisions =
          count(site, "SELECT COUNT(*) FROM article_revisions WHERE article_id = " + id);
      ada.get("/admin/articles/" + id);
      Map<String, Object> form =
          new HashMap<>(NewsroomIT.article("Harbour crane is back", "publish"));
      form.put("seoDescription", "two\nlines");
      form.put("excerpt", "A new excerpt");

      // Checked before the confirmation step, and again if the confirmation is forged.
      assertThat(ada.post("/admin/articles/" + id, form).statusCode()).isEqualTo(422);
      form.put("action", "publish-confirmed");
      assertThat(ada.post("/admin/articles/" + id, form).statusCode()).isEqualTo(422);

      Article after = site.app().articles().byId(id).orElseThrow();
      assertThat(after).isEqualTo(before);
      assertThat(site.app().articles().presentation(id).excerpt()).isEmpty();
      assertThat(count(site, "SELECT COUNT(*) FROM article_revisions WHERE article_id = " + id))
          .isEqualTo(revisions);
    }
  }

  @Test
  void aContributorsPublishIsRefusedAndStoresNothing() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      site.app()
          .accounts()
          .create("cy@example.org", "Cy", NewsroomIT.PASSWORD, Role.CONTRIBUTOR, null);
      Browserless cy = NewsroomIT.client(site);
      cy.signIn("cy@example.org", NewsroomIT.PASSWORD);
      cy.get("/admin/articles/new");
      int articles = count(site, "SELECT COUNT(*) FROM articles");
      assertThat(
              cy.post("/admin/articles", NewsroomIT.article("Contributor scoop", "publish"))
                  .statusCode())
          .isEqualTo(403);
      assertThat(count(site, "SELECT COUNT(*) FROM articles")).isEqualTo(articles);
    }
  }

  @Test
  void anAuthorUpdateWithABadPhotoChangesNeitherNameNorBio() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Browserless ada = admin(site);
      var author = site.app().articles().author("ines-varga").orElseThrow();
      ada.get("/admin/taxonomy");
      HttpResponse<String> refused =
          ada.post(
              "/admin/authors/" + author.id(),
              Map.of(
                  "name", "Inès V.", "bio", "New bio", "photo", "https://elsewhere.example/x.jpg"));
      assertThat(refused.statusCode()).isEqualTo(422);
      var after = site.app().articles().author("ines-varga").orElseThrow();
      assertThat(after.name()).isEqualTo(author.name());
      assertThat(after.bio()).isEqualTo(author.bio());
    }
  }

  @Test
  void aRefusedStaffReplyLeavesTheHeldCommentHeld() {
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            true,
            Map.of(
                "BROADSHEET_COMMENTS_POLICY",
                "hold-all",
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                "0"))) {
      Browserless ada = admin(site);
      Article article =
          site.app().articles().latest(org.broadsheet.article.ArticleFilter.ALL, 1, 0).stream()
              .map(s -> site.app().articles().byId(s.id()).orElseThrow())
              .findFirst()
              .orElseThrow();
      Comment held =
          site.app()
              .comments()
              .submit(
                  new CommentSubmission(
                      article.id(),
                      null,
                      "Rosa",
                      "rosa@example.org",
                      "",
                      "When does the new timetable start?",
                      false,
                      site.solvedCheck("comment:" + article.id()),
                      "",
                      "203.0.113.9",
                      "test",
                      java.time.Instant.now()));
      assertThat(held.status()).isEqualTo(CommentStatus.PENDING);
      ada.get("/admin/comments");

      HttpResponse<String> refused =
          ada.post("/admin/comments/" + held.id() + "/reply", Map.of("body", "   "));

      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(site.app().comments().find(held.id()).orElseThrow().status())
          .as("the reply was refused, so the comment was not approved either")
          .isEqualTo(CommentStatus.PENDING);
      assertThat(count(site, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'comment.%'"))
          .isZero();

      assertThat(
              ada.post("/admin/comments/" + held.id() + "/reply", Map.of("body", "From Monday."))
                  .statusCode())
          .isEqualTo(303);
      assertThat(site.app().comments().find(held.id()).orElseThrow().status())
          .isEqualTo(CommentStatus.APPROVED);
      assertThat(count(site, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'comment.%'"))
          .isEqualTo(2);
    }
  }

  @Test
  void aRefusedSetupLeavesTheSiteUnsetAndAnInviteToATakenAddressSendsNothing() {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      Browserless first = NewsroomIT.client(site);
      first.get("/admin/setup");
      assertThat(
              first
                  .post(
                      "/admin/setup",
                      Map.of(
                          "title",
                          "The Courier",
                          "name",
                          "Ada",
                          "email",
                          "ada@example.org",
                          "password",
                          "short"))
                  .statusCode())
          .isEqualTo(422);
      assertThat(count(site, "SELECT COUNT(*) FROM users")).isZero();
      assertThat(count(site, "SELECT COUNT(*) FROM authors")).isZero();
      assertThat(count(site, "SELECT COUNT(*) FROM sections")).isZero();
      assertThat(site.app().settings().get("site.title")).isEmpty();

      assertThat(
              first
                  .post(
                      "/admin/setup",
                      Map.of(
                          "title",
                          "The Courier",
                          "name",
                          "Ada",
                          "email",
                          "ada@example.org",
                          "password",
                          NewsroomIT.PASSWORD))
                  .statusCode())
          .isEqualTo(303);
      assertThat(count(site, "SELECT COUNT(*) FROM authors")).isEqualTo(1);

      first.get("/admin/users");
      int mails = count(site, "SELECT COUNT(*) FROM mail_outbox");
      int authors = count(site, "SELECT COUNT(*) FROM authors");
      assertThat(
              first
                  .post(
                      "/admin/users",
                      Map.of("name", "Ada Again", "email", "ADA@example.org", "role", "author"))
                  .statusCode())
          .isEqualTo(422);
      assertThat(count(site, "SELECT COUNT(*) FROM mail_outbox")).isEqualTo(mails);
      assertThat(count(site, "SELECT COUNT(*) FROM authors")).isEqualTo(authors);
    }
  }

  @Test
  void settingsRefusedForOneFieldKeepEveryOther() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Browserless ada = admin(site);
      String title = site.app().settings().get("site.title", "");
      ada.get("/admin/settings");
      assertThat(
              ada.post(
                      "/admin/settings",
                      Map.of("title", "A new title", "tagline", "New", "logo", "/etc/passwd"))
                  .statusCode())
          .isEqualTo(422);
      assertThat(site.app().settings().get("site.title", "")).isEqualTo(title);
    }
  }

  @Test
  void aRefusedUploadOrPinLeavesNoFileNoRowAndNoAuditLine() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Browserless ada = admin(site);
      java.nio.file.Path folder =
          site.app().config().get(org.broadsheet.config.Settings.DATA_DIR).resolve("media");
      int rows = count(site, "SELECT COUNT(*) FROM media");
      int audit = count(site, "SELECT COUNT(*) FROM audit_log");
      long files = files(folder);
      ada.get("/admin/media");
      HttpResponse<String> noAlt =
          ada.postFile(
              "/admin/media",
              Map.of("alt", "", "credit", ""),
              "file",
              "harbour.jpg",
              MediaSteps.jpeg(1400, 900));
      assertThat(noAlt.statusCode()).isEqualTo(422);
      assertThat(count(site, "SELECT COUNT(*) FROM media")).isEqualTo(rows);
      assertThat(files(folder)).as("no image or resized copy is left behind").isEqualTo(files);
      assertThat(count(site, "SELECT COUNT(*) FROM audit_log")).isEqualTo(audit);

      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      ada.get("/admin/articles/" + article.id());
      HttpResponse<String> self =
          ada.post(
              "/admin/articles/" + article.id() + "/related",
              Map.of("action", "pin", "other", article.slug()));
      assertThat(self.statusCode()).isEqualTo(422);
      assertThat(site.app().related().choices(article.id())).isEmpty();
      assertThat(count(site, "SELECT COUNT(*) FROM audit_log")).isEqualTo(audit);
    }
  }

  private static long files(java.nio.file.Path folder) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(folder)) {
      return 0;
    }
    try (var walk = java.nio.file.Files.walk(folder)) {
      return walk.filter(java.nio.file.Files::isRegularFile).count();
    }
  }
}
