package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/** The newsroom over HTTP: setup, sessions, CSRF, scheduling, revisions, audit, bad input. */
class NewsroomIT {

  static final String PASSWORD = "correct horse battery staple";

  static Browserless client(TestApp site) {
    return new Browserless("http://127.0.0.1:" + site.app().port());
  }

  static Map<String, Object> article(String headline, String action) {
    return article(headline, action, "ines-varga");
  }

  /** The editor's form for a new article signed with this byline. */
  static Map<String, Object> article(String headline, String action, String byline) {
    return Map.of(
        "headline", headline,
        "deck", "",
        "slug", "",
        "section", "city",
        "body", "Some **bold** words.",
        "tags", "Harbour, Council",
        "authors", List.of(byline),
        "action", action);
  }

  static long idFrom(HttpResponse<String> saved) {
    String location = saved.headers().firstValue("Location").orElseThrow();
    return Long.parseLong(location.replaceAll("^/admin/articles/(\\d+).*$", "$1"));
  }

  @Test
  void aFreshSiteIsSetUpThenSignInRotatesAndSignOutEndsSessions() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Browserless first = client(site);
      assertThat(first.get("/admin").headers().firstValue("Location").orElseThrow())
          .isEqualTo("/admin/sign-in?next=%2Fadmin");
      assertThat(first.get("/admin/sign-in").headers().firstValue("Location"))
          .contains("/admin/setup");
      assertThat(first.get("/admin/setup").body()).contains("Create the site", "Time zone");

      HttpResponse<String> weak =
          first.post(
              "/admin/setup",
              Map.of(
                  "title",
                  "Courier",
                  "name",
                  "Ada",
                  "email",
                  "ada@example.org",
                  "password",
                  "short"));
      assertThat(weak.statusCode()).isEqualTo(422);
      assertThat(weak.body())
          .contains("at least 12 characters")
          .contains("value=\"ada@example.org\"");

      HttpResponse<String> done =
          first.post(
              "/admin/setup",
              Map.of(
                  "title",
                  "The Courier",
                  "name",
                  "Ada Admin",
                  "email",
                  "Ada@Example.org",
                  "password",
                  PASSWORD));
      assertThat(done.statusCode()).isEqualTo(303);
      assertThat(first.sessionCookie()).isNotNull();
      assertThat(done.headers().allValues("Set-Cookie").getFirst())
          .contains("HttpOnly", "SameSite=Lax");
      assertThat(first.get(done.headers().firstValue("Location").orElseThrow()).body())
          .contains("Ada Admin", "Your site is ready");
      assertThat(
              client(site)
                  .post(
                      "/admin/setup",
                      Map.of(
                          "title",
                          "x",
                          "name",
                          "Eve",
                          "email",
                          "eve@example.org",
                          "password",
                          PASSWORD))
                  .statusCode())
          .as("setup only once")
          .isEqualTo(409);

      // Sign in from a browser that already holds a (planted) session id: it must change.
      Browserless second = client(site);
      second.setSessionCookie("planted-by-an-attacker");
      HttpResponse<String> signedIn = second.signIn("ada@example.org", PASSWORD);
      assertThat(signedIn.statusCode()).isEqualTo(303);
      String rotated =
          signedIn.headers().allValues("Set-Cookie").stream()
              .filter(c -> c.startsWith("bs_session="))
              .map(c -> c.substring("bs_session=".length(), c.indexOf(';')))
              .findFirst()
              .orElseThrow();
      assertThat(rotated).isNotEqualTo("planted-by-an-attacker").hasSizeGreaterThan(40);
      assertThat(client(site).get("/admin").statusCode()).isEqualTo(302);
      second = client(site);
      second.setSessionCookie(rotated);
      assertThat(second.get("/admin").statusCode()).isEqualTo(200);
      Browserless planted = client(site);
      planted.setSessionCookie("planted-by-an-attacker");
      assertThat(planted.get("/admin").statusCode())
          .as("the planted id is not a session")
          .isEqualTo(302);

      // Sign out ends that session; the old cookie replayed is useless.
      assertThat(second.post("/admin/sign-out", Map.of()).statusCode()).isEqualTo(303);
      Browserless replay = client(site);
      replay.setSessionCookie(rotated);
      assertThat(replay.get("/admin").statusCode()).isEqualTo(302);

      // Sign out everywhere ends the first browser's session too.
      Browserless third = client(site);
      third.signIn("ada@example.org", PASSWORD);
      third.get("/admin");
      assertThat(third.post("/admin/sign-out-everywhere", Map.of()).statusCode()).isEqualTo(303);
      assertThat(first.get("/admin").statusCode()).isEqualTo(302);

      assertThat(site.app().audit().latest(50, 0))
          .extracting(e -> e.action())
          .contains("site.setup", "user.sign-in", "user.sign-out", "user.sign-out-everywhere");
    }
  }

  @Test
  void formsNeedTheCsrfTokenAndTheSiteOrigin() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      site.app().accounts().create("ed@example.org", "Ed", PASSWORD, Role.EDITOR, null);
      Browserless ed = client(site);
      ed.signIn("ed@example.org", PASSWORD);
      ed.get("/admin/articles/new");
      String token = ed.csrf();
      ed.forgetCsrf();
      HttpResponse<String> none = ed.post("/admin/articles", article("No token", "save"));
      assertThat(none.statusCode()).isEqualTo(403);
      assertThat(none.body()).contains("Form expired");
      assertThat(
              ed.post("/admin/articles", Map.of("_csrf", "forged", "headline", "x")).statusCode())
          .isEqualTo(403);
      Map<String, Object> withToken = new java.util.HashMap<>(article("Foreign origin", "save"));
      withToken.put("_csrf", token);
      assertThat(
              ed.post("/admin/articles", withToken, "Origin", "https://evil.example").statusCode())
          .isEqualTo(403);
      assertThat(ed.post("/admin/articles", withToken).statusCode()).isEqualTo(303);
      assertThat(site.app().articles().bySlug("no-token")).isEmpty();
      assertThat(site.app().articles().bySlug("foreign-origin")).isPresent();
    }
  }

  @Test
  void scheduledArticlesPublishOnceAtTheirTimeAlsoAfterARestartThatMissedIt() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    Backend.TestDatabase database = Backend.SQLITE.create();
    long id;
    TestApp site = TestApp.startNode(database, Map.of("BROADSHEET_DEMO_CONTENT", "false"), clock);
    try {
      org.broadsheet.demo.DemoContent.seed(site.app().articles(), site.app().settings(), clock);
      long ines = site.app().articles().author("ines-varga").orElseThrow().id();
      site.app().accounts().create("ines@example.org", "Ines", PASSWORD, Role.AUTHOR, ines);
      Browserless author = client(site);
      author.signIn("ines@example.org", PASSWORD);
      author.get("/admin/articles/new");
      DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
      java.time.ZoneId zone = site.app().config().get(TIME_ZONE);

      Map<String, Object> past = new java.util.HashMap<>(article("Too late", "schedule"));
      past.put(
          "publishAt",
          LocalDateTime.ofInstant(clock.instant().minus(Duration.ofHours(1)), zone).format(local));
      HttpResponse<String> refused = author.post("/admin/articles", past);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body())
          .contains("publication time in the future")
          .contains("value=\"Too late\"");
      Map<String, Object> nonsense = new java.util.HashMap<>(article("Never", "schedule"));
      nonsense.put("publishAt", "tomorrow-ish");
      assertThat(author.post("/admin/articles", nonsense).body())
          .contains("Give the date and time to publish");
      for (String far : List.of("9999-12-31T23:59", "99999999-01-01T00:00")) {
        nonsense.put("publishAt", far);
        HttpResponse<String> tooFar = author.post("/admin/articles", nonsense);
        assertThat(tooFar.statusCode()).as(far).isEqualTo(422);
        assertThat(tooFar.body()).containsAnyOf("ten years ahead", "Give the date and time");
      }

      Map<String, Object> form =
          new java.util.HashMap<>(article("Ferry timetable changes on Monday", "schedule"));
      form.put(
          "publishAt",
          LocalDateTime.ofInstant(clock.instant().plus(Duration.ofHours(2)), zone).format(local));
      HttpResponse<String> saved = author.post("/admin/articles", form);
      assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
      id = idFrom(saved);
      assertThat(site.app().articles().byId(id).orElseThrow().status())
          .isEqualTo(ArticleStatus.SCHEDULED);

      clock.advance(Duration.ofMinutes(119));
      site.app().publishScheduled();
      assertThat(site.app().articles().byId(id).orElseThrow().isPublic()).isFalse();

      clock.advance(Duration.ofMinutes(2));
      // Two nodes' jobs at the same moment: exactly one publishes it.
      try (var pool = Executors.newFixedThreadPool(4)) {
        List<Future<List<Long>>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          runs.add(pool.submit((Callable<List<Long>>) () -> site.app().articles().publishDue()));
        }
        int published = 0;
        for (Future<List<Long>> run : runs) {
          published += run.get().size();
        }
        assertThat(published).isEqualTo(1);
      }
      assertThat(site.app().articles().byId(id).orElseThrow().isPublic()).isTrue();
      assertThat(site.get("/").body()).contains("Ferry timetable changes on Monday");

      // Another one scheduled, then the site is down when its time comes.
      form.put("headline", "Night buses return");
      form.put(
          "publishAt",
          LocalDateTime.ofInstant(clock.instant().plus(Duration.ofMinutes(30)), zone)
              .format(local));
      author.get("/admin/articles/new");
      long second = idFrom(author.post("/admin/articles", form));
      site.close();
      clock.advance(Duration.ofHours(3));
      try (TestApp restarted = TestApp.startNode(database, Map.of(), clock)) {
        Eventually.until(
            "the scheduled article to go out after the restart",
            () -> restarted.app().articles().byId(second).orElseThrow().isPublic());
        assertThat(restarted.app().articles().byId(second).orElseThrow().isPublic()).isTrue();
        long changes =
            database.config() == null
                ? 0
                : restarted
                    .app()
                    .database()
                    .jdbi()
                    .withHandle(
                        h ->
                            h.createQuery(
                                    "SELECT COUNT(*) FROM changes WHERE entity = 'article' AND entity_id = :id AND kind = 'published'")
                                .bind("id", id)
                                .mapTo(Long.class)
                                .one());
        assertThat(changes).as("published exactly once").isEqualTo(1);
      }
    } finally {
      site.close();
      database.close();
    }
  }

  @Test
  void everySaveIsARevisionThatCanBeComparedAndRestored() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      site.app().accounts().create("ed@example.org", "Ed", PASSWORD, Role.EDITOR, null);
      Browserless ed = client(site);
      ed.signIn("ed@example.org", PASSWORD);
      ed.get("/admin/articles/new");
      long id = idFrom(ed.post("/admin/articles", article("First headline", "publish")));
      ed.get("/admin/articles/" + id);
      Map<String, Object> second = new java.util.HashMap<>(article("Second headline", "publish"));
      second.put("slug", site.app().articles().byId(id).orElseThrow().slug());
      second.put("body", "Rewritten body.");
      // Updating a live story asks first, in words, and changes nothing until confirmed.
      HttpResponse<String> asked = ed.post("/admin/articles/" + id, second);
      assertThat(asked.statusCode()).isEqualTo(200);
      assertThat(asked.body())
          .contains("Update the live story?", "Headline: “First headline” → “Second headline”");
      assertThat(site.app().articles().revisions(id)).hasSize(1);
      assertThat(site.app().articles().byId(id).orElseThrow().headline())
          .isEqualTo("First headline");
      second.put("action", "publish-confirmed");
      assertThat(ed.post("/admin/articles/" + id, second).statusCode()).isEqualTo(303);
      var revisions = site.app().articles().revisions(id);
      assertThat(revisions).hasSize(2);
      long firstRevision = revisions.getLast().id();
      HttpResponse<String> diff = ed.get("/admin/articles/" + id + "/revisions/" + firstRevision);
      assertThat(diff.body())
          .contains("diff-removed", "First headline", "diff-added", "Second headline");
      assertThat(
              ed.post(
                      "/admin/articles/" + id + "/revisions/" + firstRevision + "/restore",
                      Map.of())
                  .statusCode())
          .isEqualTo(303);
      Article restored = site.app().articles().byId(id).orElseThrow();
      assertThat(restored.headline()).isEqualTo("First headline");
      assertThat(restored.bodyMarkdown()).isEqualTo("Some **bold** words.");
      assertThat(site.app().articles().revisions(id)).hasSize(3);
      assertThat(site.get(site.path(restored)).body()).contains("First headline");
      assertThat(site.app().audit().latest(20, 0))
          .extracting(e -> e.action())
          .contains("article.create-publish", "article.publish", "article.restore");

      // A duplicate slug is a clear error that keeps what was typed.
      ed.get("/admin/articles/new");
      Map<String, Object> duplicate = new java.util.HashMap<>(article("Another", "save"));
      duplicate.put("slug", restored.slug());
      HttpResponse<String> refused = ed.post("/admin/articles", duplicate);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body()).contains("already uses the slug", "value=\"Another\"");
    }
  }

  @Test
  void wrongPasswordsNeedTheHumanCheckButNeverLockOutAndNextStaysOnSite() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      User ada = site.app().accounts().create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
      Browserless b = client(site);
      HttpResponse<String> unknown = b.signIn("nobody@example.org", "whatever password");
      HttpResponse<String> wrong = b.signIn("ada@example.org", "whatever password");
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(unknown.body()).contains("That email and password do not match.");
      assertThat(wrong.body()).contains("That email and password do not match.");
      b.signIn("ada@example.org", "whatever password");
      HttpResponse<String> third = b.signIn("ada@example.org", "whatever password");
      assertThat(third.body())
          .contains("data-challenge-url=\"/api/human-check/challenge?form=signin\"");
      HttpResponse<String> noCheck = b.signIn("ada@example.org", PASSWORD);
      assertThat(noCheck.statusCode()).as("right password but no human check").isEqualTo(401);
      assertThat(noCheck.body()).contains("automatic check");
      b.get("/admin/sign-in");
      HttpResponse<String> withCheck =
          b.post(
              "/admin/sign-in",
              Map.of(
                  "email",
                  "ada@example.org",
                  "password",
                  PASSWORD,
                  "next",
                  "https://evil.example/",
                  "altcha",
                  site.solvedCheck("signin")));
      assertThat(withCheck.statusCode()).isEqualTo(303);
      assertThat(withCheck.headers().firstValue("Location")).contains("/admin");

      for (String next :
          List.of(
              "//evil.example/x",
              "https://evil.example",
              "/\\evil.example",
              "/admin\r\nSet-Cookie: x=y")) {
        assertThat(NewsroomAccess.safeNext(next)).as(next).isEqualTo("/admin");
      }
      assertThat(NewsroomAccess.safeNext("/admin/articles?status=draft"))
          .isEqualTo("/admin/articles?status=draft");

      Browserless attacker = client(site);
      HttpResponse<String> last = null;
      for (int i = 0; i < 12; i++) {
        attacker.get("/admin/sign-in");
        last =
            attacker.post(
                "/admin/sign-in",
                Map.of(
                    "email",
                    "ada@example.org",
                    "password",
                    "guess " + i,
                    "altcha",
                    site.solvedCheck("signin")));
      }
      assertThat(last.statusCode()).as("failures never turn into a lock-out").isEqualTo(401);
      assertThat(last.body()).contains("That email and password do not match.");
      Browserless again = client(site);
      again.get("/admin/sign-in");
      assertThat(
              again
                  .post(
                      "/admin/sign-in",
                      Map.of(
                          "email",
                          "ada@example.org",
                          "password",
                          PASSWORD,
                          "altcha",
                          site.solvedCheck("signin")))
                  .statusCode())
          .as("the member with the right password and a solved check gets in")
          .isEqualTo(303);
      assertThat(ada.active()).isTrue();
    }
  }

  @Test
  void moderatorsSeeWhyACommentWasHeldAndApproveIt() {
    try (TestApp site =
        TestApp.start(Backend.SQLITE, true, Map.of("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"))) {
      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      var held =
          site.app()
              .comments()
              .submit(
                  new org.broadsheet.comment.CommentSubmission(
                      article.id(),
                      null,
                      "Rune Reader",
                      "rune@example.org",
                      "",
                      "Will the ban cover allotments too?",
                      false,
                      site.solvedCheck("comment:" + article.id()),
                      "",
                      "203.0.113.9",
                      "JUnit",
                      Instant.now()));
      assertThat(held.isApproved()).isFalse();
      site.app().accounts().create("ed@example.org", "Ed", PASSWORD, Role.EDITOR, null);
      Browserless ed = client(site);
      ed.signIn("ed@example.org", PASSWORD);
      String queue = ed.get("/admin/comments").body();
      assertThat(queue)
          .contains(
              "Rune Reader", "Will the ban cover allotments too?", "Held because", "203.0.113.9")
          .contains("aria-label=\"1 waiting\"");
      assertThat(
              ed.post(
                      "/admin/comments/bulk",
                      Map.of("action", "approve", "ids", List.of(held.id())))
                  .statusCode())
          .isEqualTo(303);
      assertThat(site.app().comments().find(held.id()).orElseThrow().isApproved()).isTrue();
      assertThat(site.get(site.path(article)).body())
          .contains("Will the ban cover allotments too?");
      assertThat(ed.get("/admin/comments").body()).contains("Nothing here.");
      assertThat(
              ed.post("/admin/comments/block", Map.of("kind", "ip", "value", "not an address"))
                  .statusCode())
          .isEqualTo(422);
      assertThat(
              ed.post("/admin/comments/block", Map.of("kind", "domain", "value", "spam.example"))
                  .statusCode())
          .isEqualTo(303);
      String withBlock = ed.get("/admin/comments").body();
      assertThat(withBlock).contains("domain: <strong>spam.example</strong>");
      long blockId = site.app().comments().blocks().getFirst().id();
      assertThat(ed.post("/admin/comments/block/" + blockId + "/remove", Map.of()).statusCode())
          .isEqualTo(303);
      assertThat(site.app().comments().blocks()).isEmpty();
      assertThat(site.app().audit().latest(10, 0))
          .extracting(e -> e.action())
          .contains("comment.approve", "comment.block", "comment.unblock");
    }
  }

  /** The newest .eml in the dev outbox that mentions the text, waiting for the outbox worker. */
  static String mailContaining(TestApp site, String text) throws Exception {
    java.nio.file.Path outbox = site.app().config().get(DATA_DIR).resolve("outbox");
    return Eventually.value(
        "a mail containing " + text,
        () -> {
          site.app().outbox().deliverDue();
          if (!java.nio.file.Files.isDirectory(outbox)) {
            return null;
          }
          try (var files = java.nio.file.Files.list(outbox)) {
            for (var file : files.toList()) {
              String mail = java.nio.file.Files.readString(file);
              String decoded = mail.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
              if (decoded.contains(text)) {
                return decoded;
              }
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return null;
        });
  }

  @Test
  void passwordResetLinksComeFromTheBaseUrlWorkOnceAndEndOldSessions() throws Exception {
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE, true, Map.of("BROADSHEET_BASE_URL", "https://news.example.org"))) {
      site.app().accounts().create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
      Browserless old = client(site);
      old.signIn("ada@example.org", PASSWORD);
      Browserless b = client(site);
      b.get("/admin/password/forgot");
      String unknown =
          b.post("/admin/password/forgot", Map.of("email", "nobody@example.org")).body();
      String known = b.post("/admin/password/forgot", Map.of("email", "ada@example.org")).body();
      assertThat(org.jsoup.Jsoup.parse(unknown).select("main").text())
          .isEqualTo(org.jsoup.Jsoup.parse(known).select("main").text());
      String mail = mailContaining(site, "/admin/password/reset?token=");
      String link =
          mail.replaceAll(
              "(?s).*(https://news\\.example\\.org/admin/password/reset\\?token=[A-Za-z0-9_-]+).*",
              "$1");
      assertThat(link).startsWith("https://news.example.org/admin/password/reset?token=");
      String path = link.substring("https://news.example.org".length());
      String token = path.substring(path.indexOf("token=") + 6);
      assertThat(b.get(path).body()).contains("Choose a new password");
      HttpResponse<String> weak =
          b.post("/admin/password/reset", Map.of("token", token, "password", "short"));
      assertThat(weak.statusCode()).isEqualTo(422);
      String newPassword = "a brand new long passphrase";
      assertThat(
              b.post("/admin/password/reset", Map.of("token", token, "password", newPassword))
                  .statusCode())
          .isEqualTo(303);
      assertThat(
              b.post("/admin/password/reset", Map.of("token", token, "password", newPassword))
                  .statusCode())
          .as("a link works once")
          .isEqualTo(410);
      assertThat(old.get("/admin").statusCode()).as("old sessions end").isEqualTo(302);
      assertThat(client(site).signIn("ada@example.org", PASSWORD).statusCode()).isEqualTo(401);
      assertThat(client(site).signIn("ada@example.org", newPassword).statusCode()).isEqualTo(303);
    }
  }

  @Test
  void adminsChangeTheTitleAndSendATestMail() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      site.app().accounts().create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
      Browserless ada = client(site);
      ada.signIn("ada@example.org", PASSWORD);
      ada.get("/admin/settings");
      HttpResponse<String> bad = ada.post("/admin/settings", Map.of("title", "", "tagline", "x"));
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("Give the site a title");
      assertThat(
              ada.post(
                      "/admin/settings",
                      Map.of("title", "The Evening Lamp", "tagline", "Late news, well told"))
                  .statusCode())
          .isEqualTo(303);
      assertThat(site.get("/").body()).contains("The Evening Lamp", "Late news, well told");
      ada.get("/admin/settings");
      assertThat(ada.post("/admin/settings/test-mail", Map.of()).statusCode()).isEqualTo(303);
      assertThat(mailContaining(site, "test mail sent from the newsroom"))
          .contains("ada@example.org");
    }
  }

  @Test
  void editorsPinAndExcludeMoreArticlesFromTheEditor() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      site.app().accounts().create("ed@example.org", "Ed", PASSWORD, Role.EDITOR, null);
      Browserless ed = client(site);
      ed.signIn("ed@example.org", PASSWORD);
      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      Article jazz =
          site.app().articles().bySlug("halden-jazz-week-announces-programme").orElseThrow();
      String editor = ed.get("/admin/articles/" + article.id()).body();
      assertThat(editor).contains("More Articles under this one", "Pin an article first");
      assertThat(
              ed.post(
                      "/admin/articles/" + article.id() + "/related",
                      Map.of("action", "pin", "other", jazz.slug()))
                  .statusCode())
          .isEqualTo(303);
      String page = site.get(site.path(article)).body();
      assertThat(
              org.jsoup.Jsoup.parse(page)
                  .select(".more-articles .card-title a")
                  .first()
                  .attr("href"))
          .isEqualTo(site.path(jazz));
      assertThat(ed.get("/admin/articles/" + article.id()).body())
          .contains("Pinned: " + jazz.headline());
      HttpResponse<String> unknown =
          ed.post(
              "/admin/articles/" + article.id() + "/related",
              Map.of("action", "exclude", "other", "no-such-article"));
      assertThat(unknown.statusCode()).isEqualTo(422);
      assertThat(unknown.body()).contains("There is no article");
    }
  }

  @Test
  void draftsAutosaveAndArticlesCarrySearchTextsAndStaffReplies() throws Exception {
    try (TestApp site =
        TestApp.start(Backend.SQLITE, true, Map.of("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"))) {
      site.app().accounts().create("ed@example.org", "Ed Itor", PASSWORD, Role.EDITOR, null);
      Browserless ed = client(site);
      ed.signIn("ed@example.org", PASSWORD);
      ed.get("/admin/articles/new");
      long draft = idFrom(ed.post("/admin/articles", article("Draft that autosaves", "save")));
      ed.get("/admin/articles/" + draft);
      HttpResponse<String> autosaved =
          ed.post(
              "/admin/articles/" + draft + "/autosave",
              Map.of(
                  "headline", "Draft that autosaves", "deck", "", "body", "Typed, not yet saved."));
      assertThat(autosaved.body()).contains("\"saved\":true");
      assertThat(site.app().articles().byId(draft).orElseThrow().bodyMarkdown())
          .isEqualTo("Typed, not yet saved.");
      assertThat(site.app().articles().revisions(draft))
          .as("autosave is not a revision")
          .hasSize(1);

      Map<String, Object> form =
          new java.util.HashMap<>(article("Bridge inspection finds rust", "publish"));
      form.put("seoTitle", "Rust found on Halden bridge");
      form.put("seoDescription", "Inspectors found rust on the main span.");
      form.put("excerpt", "Short version for lists.");
      ed.get("/admin/articles/new");
      long id = idFrom(ed.post("/admin/articles", form));
      Article published = site.app().articles().byId(id).orElseThrow();
      String page = site.get(site.path(published)).body();
      assertThat(page)
          .contains(
              "<title>Rust found on Halden bridge",
              "content=\"Inspectors found rust on the main span.\"");
      assertThat(
              ed.post(
                      "/admin/articles/" + id + "/autosave",
                      Map.of("headline", "Sneaky", "body", "x"))
                  .body())
          .as("a live story's autosave keeps the changes for later")
          .contains("\"saved\":true");
      assertThat(site.get(site.path(published)).body())
          .as("readers see the published version")
          .doesNotContain("Sneaky");
      assertThat(site.app().articles().pendingChanges(id).orElseThrow().fields())
          .containsEntry("headline", "Sneaky");
      Map<String, Object> tooLong = new java.util.HashMap<>(form);
      tooLong.put("slug", published.slug());
      tooLong.put("seoTitle", "x".repeat(71));
      ed.get("/admin/articles/" + id);
      assertThat(ed.post("/admin/articles/" + id, tooLong).body()).contains("up to 70 characters");

      var comment =
          site.app()
              .comments()
              .submit(
                  new org.broadsheet.comment.CommentSubmission(
                      id,
                      null,
                      "Kari",
                      "kari@example.org",
                      "",
                      "When will it reopen?",
                      false,
                      site.solvedCheck("comment:" + id),
                      "",
                      "198.51.100.4",
                      "JUnit",
                      Instant.now()));
      ed.get("/admin/comments");
      assertThat(
              ed.post(
                      "/admin/comments/" + comment.id() + "/reply",
                      Map.of("body", "Next Monday, says the council."))
                  .statusCode())
          .isEqualTo(303);
      String thread = site.get(site.path(published)).body();
      assertThat(thread)
          .contains("When will it reopen?", "Next Monday, says the council.", "Ed Itor");

      Browserless admin = client(site);
      site.app().accounts().create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
      admin.signIn("ada@example.org", PASSWORD);
      admin.get("/admin/settings");
      assertThat(
              admin
                  .post(
                      "/admin/settings",
                      Map.of(
                          "title", "Courier", "tagline", "", "logo", "https://evil.example/x.png"))
                  .statusCode())
          .isEqualTo(422);
      admin.get("/admin/taxonomy");
      long ines = site.app().articles().author("ines-varga").orElseThrow().id();
      assertThat(
              admin
                  .post(
                      "/admin/authors/" + ines,
                      Map.of(
                          "name",
                          "Ines Varga",
                          "bio",
                          "Reports on the harbour.",
                          "photo",
                          "javascript:alert(1)"))
                  .statusCode())
          .isEqualTo(422);
      admin.get("/admin/taxonomy");
      assertThat(
              admin
                  .post(
                      "/admin/authors/" + ines,
                      Map.of(
                          "name",
                          "Ines Varga",
                          "bio",
                          "Reports on the harbour.",
                          "photo",
                          "/media/0123abcd.jpg"))
                  .statusCode())
          .isEqualTo(303);
      var tag = site.app().articles().tagsWithCounts().getFirst().getKey();
      assertThat(
              admin.post("/admin/tags/" + tag.id(), Map.of("name", "Renamed topic")).statusCode())
          .isEqualTo(303);
      assertThat(site.get("/tag/" + tag.slug()).body()).contains("Renamed topic");
      admin.get("/admin/taxonomy");
      assertThat(site.get("/author/ines-varga").body())
          .contains("Reports on the harbour.", "src=\"/media/0123abcd.jpg\"");
    }
  }
}
