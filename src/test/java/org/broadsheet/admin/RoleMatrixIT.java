package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Every newsroom route, every role (and nobody signed in): each may do exactly what its role
 * allows. "Allowed" means the request got past the permission check (any answer but 401/403 or a
 * redirect to sign in); "refused" means 403 for members, a sign-in redirect or 401 for nobody.
 */
class RoleMatrixIT {

  private static final String PASSWORD = NewsroomIT.PASSWORD;
  private static final Set<Role> ALL = EnumSet.allOf(Role.class);
  private static final Set<Role> PUBLISHERS = EnumSet.of(Role.ADMIN, Role.EDITOR, Role.AUTHOR);
  private static final Set<Role> EDITORS = EnumSet.of(Role.ADMIN, Role.EDITOR);
  private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

  private record Route(String method, String path, Map<String, Object> form, Set<Role> allowed) {}

  @Test
  void eachRoleCanDoExactlyWhatItShould() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      var accounts = site.app().accounts();
      Map<Role, Browserless> members = new LinkedHashMap<>();
      for (Role role : Role.values()) {
        accounts.create(role.id() + "@example.org", role.label() + " Member", PASSWORD, role, null);
        Browserless b = NewsroomIT.client(site);
        assertThat(b.signIn(role.id() + "@example.org", PASSWORD).statusCode()).isEqualTo(303);
        b.get("/admin");
        members.put(role, b);
      }
      long dummy =
          accounts.create("dummy@example.org", "Dummy", PASSWORD, Role.CONTRIBUTOR, null).id();

      // Someone else's article (the demo's), an author's own draft and a contributor's own draft.
      Article others =
          site.app().articles().bySlug("halden-jazz-week-announces-programme").orElseThrow();
      long authorsDraft =
          NewsroomIT.idFrom(
              members
                  .get(Role.AUTHOR)
                  .post("/admin/articles", NewsroomIT.article("Author draft", "save")));
      long contributorsDraft =
          NewsroomIT.idFrom(
              members
                  .get(Role.CONTRIBUTOR)
                  .post("/admin/articles", NewsroomIT.article("Contributor draft", "save")));
      long revision = site.app().articles().revisions(authorsDraft).getFirst().id();
      long othersRevision;
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
      othersRevision = site.app().articles().revisions(others.id()).getFirst().id();

      Map<String, Object> invalidArticle =
          Map.of("headline", "", "section", "city", "action", "save");
      List<Route> routes =
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
              new Route("GET", "/admin/comments", Map.of(), EDITORS),
              new Route("POST", "/admin/comments/bulk", Map.of("action", "approve"), EDITORS),
              new Route(
                  "POST", "/admin/comments/block", Map.of("kind", "word", "value", ""), EDITORS),
              new Route("GET", "/admin/taxonomy", Map.of(), EDITORS),
              new Route("GET", "/admin/media", Map.of(), ALL),
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
                  "POST",
                  "/admin/users",
                  Map.of("name", "", "email", "", "role", "author"),
                  ADMINS),
              new Route(
                  "POST", "/admin/users/" + dummy + "/role", Map.of("role", "contributor"), ADMINS),
              new Route("POST", "/admin/users/" + dummy + "/deactivate", Map.of(), ADMINS),
              new Route("POST", "/admin/users/" + dummy + "/activate", Map.of(), ADMINS),
              new Route("GET", "/admin/audit", Map.of(), ADMINS),
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

      List<String> wrong = new ArrayList<>();
      Browserless nobody = NewsroomIT.client(site);
      for (Route route : routes) {
        HttpResponse<String> anonymous = call(nobody, route);
        boolean refused =
            route.method().equals("GET")
                ? anonymous.statusCode() == 302
                    && anonymous
                        .headers()
                        .firstValue("Location")
                        .orElse("")
                        .startsWith("/admin/sign-in")
                : anonymous.statusCode() == 401;
        if (!refused) {
          wrong.add(
              "nobody " + route.method() + " " + route.path() + " -> " + anonymous.statusCode());
        }
        for (Role role : Role.values()) {
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
          if (response.statusCode() >= 500) {
            wrong.add(
                role.id()
                    + " "
                    + route.method()
                    + " "
                    + route.path()
                    + " -> error "
                    + response.statusCode());
          }
          if (passed != route.allowed().contains(role)) {
            wrong.add(
                role.id()
                    + " "
                    + route.method()
                    + " "
                    + route.path()
                    + " -> "
                    + response.statusCode());
          }
        }
      }
      assertThat(wrong).as("routes where a role could do more or less than it should").isEmpty();

      // Contributors never publish, even their own draft.
      Browserless contributor = members.get(Role.CONTRIBUTOR);
      contributor.get("/admin/articles/" + contributorsDraft);
      Map<String, Object> publish =
          new java.util.HashMap<>(NewsroomIT.article("Contributor draft", "publish"));
      assertThat(contributor.post("/admin/articles/" + contributorsDraft, publish).statusCode())
          .isEqualTo(403);
      Map<String, Object> review =
          new java.util.HashMap<>(NewsroomIT.article("Contributor draft", "review"));
      assertThat(contributor.post("/admin/articles/" + contributorsDraft, review).statusCode())
          .isEqualTo(303);
      assertThat(site.app().articles().inReview(contributorsDraft)).isTrue();
      assertThat(site.app().articles().byId(contributorsDraft).orElseThrow().isPublic()).isFalse();

      // A deactivated member's sessions end at once.
      Browserless admin = members.get(Role.ADMIN);
      admin.get("/admin/users");
      long editorId = accounts.byEmail("editor@example.org").orElseThrow().id();
      assertThat(admin.post("/admin/users/" + editorId + "/deactivate", Map.of()).statusCode())
          .isEqualTo(303);
      assertThat(members.get(Role.EDITOR).get("/admin").statusCode()).isEqualTo(302);
      assertThat(site.app().audit().latest(100, 0))
          .extracting(e -> e.action())
          .contains("user.deactivate", "user.role", "article.create-save");
    }
  }

  private static HttpResponse<String> call(Browserless client, Route route) {
    return route.method().equals("GET")
        ? client.get(route.path())
        : client.post(route.path(), route.form());
  }
}
