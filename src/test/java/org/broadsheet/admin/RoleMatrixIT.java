package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every newsroom route, every role (and nobody signed in), one case each: each may do exactly what
 * its role allows. "Allowed" means the request got past the permission check (any answer but
 * 401/403 or a redirect to sign in); "refused" means 403 for members, a sign-in redirect or 401 for
 * nobody. No route the features register escapes the matrix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoleMatrixIT {

  private static final String PASSWORD = NewsroomIT.PASSWORD;
  private static final Set<Role> ALL = EnumSet.allOf(Role.class);
  private static final Set<Role> PUBLISHERS = EnumSet.of(Role.ADMIN, Role.EDITOR, Role.AUTHOR);
  private static final Set<Role> EDITORS = EnumSet.of(Role.ADMIN, Role.EDITOR);
  private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

  record Route(String method, String path, Map<String, Object> form, Set<Role> allowed) {}

  private TestApp site;
  private final Map<Role, Browserless> members = new LinkedHashMap<>();
  private Browserless nobody;
  private long contributorsDraft;
  private List<Route> routes;

  /** The byline of the member of this role. */
  private String byline(Role role) {
    long id = site.app().accounts().byEmail(role.id() + "@example.org").orElseThrow().authorId();
    return site.app().articles().authors().stream()
        .filter(a -> a.id() == id)
        .findFirst()
        .orElseThrow()
        .slug();
  }

  @BeforeAll
  void startSiteWithAMemberOfEachRole() {
    site =
        TestApp.start(Backend.SQLITE, true, Map.of("BROADSHEET_WEBHOOK_PRIVATE_TARGETS", "true"));
    var accounts = site.app().accounts();
    for (Role role : Role.values()) {
      site.app()
          .newsroom()
          .addMember(
              role.id() + "@example.org",
              role.label() + " Member",
              PASSWORD,
              role,
              org.broadsheet.account.Actor.system("test"));
      Browserless b = NewsroomIT.client(site);
      assertThat(b.signIn(role.id() + "@example.org", PASSWORD).statusCode()).isEqualTo(303);
      b.get("/admin");
      members.put(role, b);
    }
    nobody = NewsroomIT.client(site);
    long dummy =
        accounts.create("dummy@example.org", "Dummy", PASSWORD, Role.CONTRIBUTOR, null).id();

    // Someone else's article (the demo's), an author's own draft and a contributor's own draft.
    Article others =
        site.app().articles().bySlug("halden-jazz-week-announces-programme").orElseThrow();
    long authorsDraft =
        NewsroomIT.idFrom(
            members
                .get(Role.AUTHOR)
                .post(
                    "/admin/articles",
                    NewsroomIT.article("Author draft", "save", byline(Role.AUTHOR))));
    contributorsDraft =
        NewsroomIT.idFrom(
            members
                .get(Role.CONTRIBUTOR)
                .post(
                    "/admin/articles",
                    NewsroomIT.article("Contributor draft", "save", byline(Role.CONTRIBUTOR))));
    long revision = site.app().articles().revisions(authorsDraft).getFirst().id();
    site.app()
        .articles()
        .update(
            others.id(),
            new org.broadsheet.article.ArticleDraft(
                others.slug(),
                others.section().slug(),
                others.headline(),
                others.deck(),
                others.bodyMarkdown(),
                others.status(),
                others.publishedAt(),
                others.authors().stream().map(a -> a.slug()).toList(),
                others.tags().stream().map(t -> t.name()).toList(),
                others.image()));
    long othersRevision = site.app().articles().revisions(others.id()).getFirst().id();

    long hook =
        site.app()
            .webhooks()
            .create(
                "Matrix",
                "http://127.0.0.1:9/hook",
                Set.of("article.published"),
                org.broadsheet.account.Actor.system("test"))
            .id();
    long doomedHook =
        site.app()
            .webhooks()
            .create(
                "Doomed",
                "http://127.0.0.1:9/other",
                Set.of("article.published"),
                org.broadsheet.account.Actor.system("test"))
            .id();
    Map<String, Object> invalidArticle =
        Map.of("headline", "", "section", "city", "action", "save");
    routes =
        List.of(
            new Route("GET", "/admin", Map.of(), ALL),
            new Route("GET", "/admin/articles", Map.of(), ALL),
            new Route("GET", "/admin/articles/new", Map.of(), ALL),
            new Route("POST", "/admin/articles", invalidArticle, ALL),
            new Route("POST", "/admin/api/markdown", Map.of("body", "*hi*"), ALL),
            new Route("POST", "/admin/articles/bulk", Map.of("action", "draft"), PUBLISHERS),
            new Route("GET", "/admin/articles/" + others.id(), Map.of(), EDITORS),
            new Route("POST", "/admin/articles/" + others.id(), invalidArticle, EDITORS),
            new Route("GET", "/admin/articles/" + others.id() + "/preview", Map.of(), EDITORS),
            new Route(
                "POST",
                "/admin/articles/" + others.id() + "/corrections",
                Map.of("note", ""),
                EDITORS),
            new Route(
                "POST",
                "/admin/articles/" + others.id() + "/erase",
                Map.of("confirm", "no"),
                EDITORS),
            new Route(
                "GET",
                "/admin/articles/" + others.id() + "/revisions/" + othersRevision,
                Map.of(),
                EDITORS),
            new Route(
                "POST",
                "/admin/articles/" + others.id() + "/revisions/" + othersRevision + "/restore",
                Map.of(),
                EDITORS),
            new Route(
                "GET",
                "/admin/articles/" + authorsDraft,
                Map.of(),
                EnumSet.of(Role.ADMIN, Role.EDITOR, Role.AUTHOR)),
            new Route(
                "POST",
                "/admin/articles/" + authorsDraft,
                invalidArticle,
                EnumSet.of(Role.ADMIN, Role.EDITOR, Role.AUTHOR)),
            new Route(
                "GET",
                "/admin/articles/" + authorsDraft + "/revisions/" + revision,
                Map.of(),
                EnumSet.of(Role.ADMIN, Role.EDITOR, Role.AUTHOR)),
            new Route(
                "GET",
                "/admin/articles/" + contributorsDraft,
                Map.of(),
                EnumSet.of(Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR)),
            new Route(
                "GET",
                "/admin/articles/" + contributorsDraft + "/preview",
                Map.of(),
                EnumSet.of(Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR)),
            new Route(
                "POST",
                "/admin/articles/" + others.id() + "/related",
                Map.of("action", "none", "other", "x"),
                EDITORS),
            new Route(
                "POST",
                "/admin/articles/" + authorsDraft + "/autosave",
                Map.of("headline", ""),
                EnumSet.of(Role.ADMIN, Role.EDITOR, Role.AUTHOR)),
            new Route(
                "POST",
                "/admin/articles/" + authorsDraft + "/discard",
                Map.of(),
                EnumSet.of(Role.ADMIN, Role.EDITOR, Role.AUTHOR)),
            new Route("GET", "/admin/articles/" + others.id() + "/live", Map.of(), EDITORS),
            new Route("POST", "/admin/articles/" + others.id() + "/live/start", Map.of(), EDITORS),
            new Route("POST", "/admin/articles/" + others.id() + "/live/close", Map.of(), EDITORS),
            new Route(
                "POST",
                "/admin/articles/" + others.id() + "/live/updates",
                Map.of("updateBody", ""),
                EDITORS),
            new Route(
                "POST",
                "/admin/articles/" + others.id() + "/live/updates/999999",
                Map.of("action", "pin"),
                EDITORS),
            new Route("GET", "/admin/comments", Map.of(), EDITORS),
            new Route("POST", "/admin/comments/999999/reply", Map.of("body", ""), EDITORS),
            new Route("POST", "/admin/comments/block/999999/remove", Map.of(), EDITORS),
            new Route("POST", "/admin/comments/bulk", Map.of("action", "approve"), EDITORS),
            new Route(
                "POST", "/admin/comments/block", Map.of("kind", "word", "value", ""), EDITORS),
            new Route("GET", "/admin/taxonomy", Map.of(), EDITORS),
            new Route("GET", "/admin/front", Map.of(), EDITORS),
            new Route("POST", "/admin/front", Map.of("slot0", "x"), EDITORS),
            new Route("POST", "/admin/front/preview", Map.of(), EDITORS),
            new Route("GET", "/admin/media", Map.of(), ALL),
            new Route("GET", "/admin/api/media", Map.of(), ALL),
            new Route("POST", "/admin/api/media", Map.of("alt", "x"), ALL),
            new Route("POST", "/admin/media", Map.of("alt", "x"), ALL),
            new Route("POST", "/admin/media/999999", Map.of("alt", ""), ALL),
            new Route("POST", "/admin/media/999999/delete", Map.of(), EDITORS),
            new Route("POST", "/admin/sections", Map.of("name", ""), EDITORS),
            new Route("POST", "/admin/sections/1", Map.of("name", ""), EDITORS),
            new Route("POST", "/admin/authors", Map.of("authorName", ""), EDITORS),
            new Route("POST", "/admin/authors/1", Map.of("name", ""), EDITORS),
            new Route("POST", "/admin/tags/1", Map.of("name", ""), EDITORS),
            new Route("GET", "/admin/users", Map.of(), ADMINS),
            new Route(
                "POST", "/admin/users", Map.of("name", "", "email", "", "role", "author"), ADMINS),
            new Route(
                "POST", "/admin/users/" + dummy + "/role", Map.of("role", "contributor"), ADMINS),
            new Route("POST", "/admin/users/" + dummy + "/deactivate", Map.of(), ADMINS),
            new Route("POST", "/admin/users/" + dummy + "/activate", Map.of(), ADMINS),
            new Route("POST", "/admin/users/" + dummy + "/invitation/resend", Map.of(), ADMINS),
            new Route("POST", "/admin/users/" + dummy + "/invitation/revoke", Map.of(), ADMINS),
            new Route("GET", "/admin/audit", Map.of(), ADMINS),
            new Route("GET", "/admin/integrations", Map.of(), ADMINS),
            new Route("POST", "/admin/integrations/keys", Map.of("keyName", ""), ADMINS),
            new Route("POST", "/admin/integrations/keys/999999/revoke", Map.of(), ADMINS),
            new Route("POST", "/admin/integrations/webhooks", Map.of("hookName", ""), ADMINS),
            new Route("GET", "/admin/integrations/webhooks/" + hook, Map.of(), ADMINS),
            new Route(
                "POST", "/admin/integrations/webhooks/" + hook, Map.of("hookName", ""), ADMINS),
            new Route("POST", "/admin/integrations/webhooks/" + hook + "/test", Map.of(), ADMINS),
            new Route("POST", "/admin/integrations/webhooks/" + hook + "/enable", Map.of(), ADMINS),
            new Route(
                "POST", "/admin/integrations/webhooks/" + doomedHook + "/delete", Map.of(), ADMINS),
            new Route("GET", "/admin/settings", Map.of(), ADMINS),
            new Route("GET", "/admin/import", Map.of(), ADMINS),
            new Route("POST", "/admin/import", Map.of("dryRun", "1"), ADMINS),
            new Route("POST", "/admin/settings", Map.of("title", ""), ADMINS),
            new Route("POST", "/admin/settings/test-mail", Map.of(), ADMINS),
            new Route("GET", "/admin/newsletters", Map.of(), EDITORS),
            new Route("POST", "/admin/newsletters", Map.of("name", ""), EDITORS),
            new Route("POST", "/admin/newsletters/welcome", Map.of("subject", ""), EDITORS),
            new Route("POST", "/admin/newsletters/test", Map.of("article", "x"), EDITORS),
            new Route("POST", "/admin/newsletters/1", Map.of("name", ""), EDITORS),
            new Route("GET", "/admin/subscribers", Map.of(), EDITORS),
            new Route("GET", "/admin/subscribers/export.csv", Map.of(), EDITORS),
            new Route("POST", "/admin/subscribers/import", Map.of("dryRun", "1"), EDITORS),
            new Route("POST", "/admin/subscribers/999999/delete", Map.of(), EDITORS),
            new Route("POST", "/admin/subscribers/999999/erase", Map.of(), EDITORS),
            new Route("GET", "/admin/campaigns", Map.of(), EDITORS),
            new Route("GET", "/admin/outbox", Map.of(), EDITORS),
            new Route("GET", "/admin/outbox/999999", Map.of(), EDITORS));
  }

  @AfterAll
  void stopSite() {
    site.close();
  }

  /** One case per route and caller: each role, and nobody signed in. */
  Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Route route : routes) {
      cases.add(Arguments.of(route.method() + " " + route.path(), "nobody", route));
      for (Role role : Role.values()) {
        cases.add(Arguments.of(route.method() + " " + route.path(), role.id(), route));
      }
    }
    return cases.stream();
  }

  @Order(1)
  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("cases")
  void eachCallerCanDoExactlyWhatItsRoleAllows(String what, String who, Route route) {
    if (who.equals("nobody")) {
      HttpResponse<String> anonymous = call(nobody, route);
      if (route.method().equals("GET")) {
        assertThat(anonymous.statusCode()).as("sent to sign in").isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse(""))
            .startsWith("/admin/sign-in");
      } else {
        assertThat(anonymous.statusCode()).isEqualTo(401);
      }
      return;
    }
    Role role = Role.parse(who);
    Browserless member = members.get(role);
    member.get("/admin");
    HttpResponse<String> response = call(member, route);
    boolean passed =
        response.statusCode() != 401
            && response.statusCode() != 403
            && !(response.statusCode() == 302
                && response
                    .headers()
                    .firstValue("Location")
                    .orElse("")
                    .startsWith("/admin/sign-in"));
    assertThat(response.statusCode()).as("no fault").isLessThan(500);
    assertThat(passed)
        .as(route.allowed().contains(role) ? "allowed to " + role.id() : "refused to " + role.id())
        .isEqualTo(route.allowed().contains(role));
  }

  @Order(2)
  @Test
  void everyNewsroomRouteIsInTheMatrixAndDeclaresItsPermission() {
    Set<String> publicOnes =
        Set.of(
            "/admin/setup",
            "/admin/sign-in",
            "/admin/password/forgot",
            "/admin/password/reset",
            "/admin/*");
    List<String> missing = new ArrayList<>();
    for (String registered : site.app().web().routes()) {
      String[] parts = registered.split(" ", 3);
      String method = parts[0];
      String path = parts[1];
      boolean declares = !parts[2].equals("[]");
      if (!path.startsWith("/admin") || method.equals("HEAD")) {
        continue;
      }
      if (publicOnes.contains(path)) {
        assertThat(declares).as(path + " is public").isFalse();
        continue;
      }
      if (!declares) {
        missing.add(registered + " declares no permission");
      }
      String pattern = path.replaceAll("\\{[^/]+\\}", "[^/]+");
      boolean covered =
          routes.stream().anyMatch(r -> r.method().equals(method) && r.path().matches(pattern));
      // Signing out ends the member's session: tested in NewsroomIT, not here.
      if (!covered && !path.startsWith("/admin/sign-out")) {
        missing.add(registered + " is not in the matrix");
      }
    }
    assertThat(missing).isEmpty();
  }

  @Order(3)
  @Test
  void contributorsNeverPublishEvenTheirOwnDraft() {
    Browserless contributor = members.get(Role.CONTRIBUTOR);
    contributor.get("/admin/articles/" + contributorsDraft);
    Map<String, Object> publish =
        new java.util.HashMap<>(
            NewsroomIT.article("Contributor draft", "publish", byline(Role.CONTRIBUTOR)));
    assertThat(contributor.post("/admin/articles/" + contributorsDraft, publish).statusCode())
        .isEqualTo(403);
    Map<String, Object> review =
        new java.util.HashMap<>(
            NewsroomIT.article("Contributor draft", "review", byline(Role.CONTRIBUTOR)));
    assertThat(contributor.post("/admin/articles/" + contributorsDraft, review).statusCode())
        .isEqualTo(303);
    assertThat(site.app().articles().inReview(contributorsDraft)).isTrue();
    assertThat(site.app().articles().byId(contributorsDraft).orElseThrow().isPublic()).isFalse();
  }

  @Order(4)
  @Test
  void aDeactivatedMembersSessionsEndAtOnce() {
    Browserless admin = members.get(Role.ADMIN);
    admin.get("/admin/users");
    long editorId = site.app().accounts().byEmail("editor@example.org").orElseThrow().id();
    assertThat(admin.post("/admin/users/" + editorId + "/deactivate", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(members.get(Role.EDITOR).get("/admin").statusCode()).isEqualTo(302);
    assertThat(site.app().audit().latest(200, 0))
        .extracting(e -> e.action())
        .contains("user.deactivate", "user.role", "article.create-save");
  }

  private static HttpResponse<String> call(Browserless client, Route route) {
    return route.method().equals("GET")
        ? client.get(route.path())
        : client.post(route.path(), route.form());
  }
}
