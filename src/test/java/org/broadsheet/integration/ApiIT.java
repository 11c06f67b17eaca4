package org.broadsheet.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Actor;
import org.broadsheet.account.ApiKeys;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.app.ApiCatalog;
import org.broadsheet.client.ApiClient;
import org.broadsheet.client.ApiException;
import org.broadsheet.client.api.ArticlesAdminApi;
import org.broadsheet.client.api.ContentApi;
import org.broadsheet.client.model.ApiArticle;
import org.broadsheet.client.model.ApiArticleInput;
import org.broadsheet.client.model.ApiArticleList;
import org.broadsheet.client.model.ApiArticleSummary;
import org.broadsheet.client.model.ApiImageInput;
import org.broadsheet.client.model.ApiSchedule;
import org.broadsheet.support.ValidationException;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.broadsheet.web.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Content API and the Admin API on both databases, through the Java client generated from the
 * OpenAPI document during the build (so a document that disagrees with the server fails here):
 * reads, ETags and 304, cursor paging that stays stable while stories are published, problem
 * details, permissions per key scope and per role, idempotent creates and updates by external id,
 * scheduling, revoked keys, keyed reads and rate limits.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class ApiIT {

  static final String PASSWORD = "correct horse battery staple";

  private final Backend backend;

  ApiIT(Backend backend) {
    this.backend = backend;
  }

  static ApiClient client(TestApp site, String key) {
    ApiClient client = new ApiClient();
    client.updateBaseUri("http://127.0.0.1:" + site.app().port());
    if (key != null) {
      client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + key));
    }
    return client;
  }

  static User member(TestApp site, String email, String name, Role role) {
    return site.app().newsroom().addMember(email, name, PASSWORD, role, Actor.system("test"));
  }

  static String key(TestApp site, User owner, Role.Permission... scopes) {
    ApiKeys.Created created =
        site.app()
            .apiKeys()
            .create(
                "Test " + owner.name(),
                EnumSet.copyOf(List.of(scopes)),
                owner,
                Actor.system("test"));
    return created.secret();
  }

  static JsonNode problem(ApiException e) throws Exception {
    assertThat(e.getResponseHeaders().firstValue("content-type").orElse(""))
        .startsWith("application/problem+json");
    return Api.JSON.readTree(e.getResponseBody());
  }

  @Test
  void theDocumentIsTheServersOwn() throws Exception {
    try (TestApp site = TestApp.start(backend, false)) {
      assertThat(site.app().web().apiOperations())
          .as("every operation the server registers is declared in the catalog, and no other")
          .containsExactlyInAnyOrderElementsOf(ApiCatalog.operations());
      HttpResponse<String> doc = site.get("/api/v1/openapi.json");
      assertThat(doc.statusCode()).isEqualTo(200);
      JsonNode served = Api.JSON.readTree(doc.body());
      JsonNode built =
          Api.JSON.readTree(
              java.nio.file.Files.readString(
                  java.nio.file.Path.of("target/openapi/broadsheet-api.json")));
      assertThat(served)
          .as("served document is the one the client was generated from")
          .isEqualTo(built);
      assertThat(served.path("openapi").asText()).isEqualTo("3.1.0");
      HttpResponse<String> reference = site.get("/api/v1/docs");
      assertThat(reference.statusCode()).isEqualTo(200);
      assertThat(reference.body())
          .contains("GET /api/v1/articles")
          .contains("POST /api/v1/admin/articles")
          .doesNotContain("<script src=\"http");
    }
  }

  @Test
  void contentReadsWithETagsAndProblems() throws Exception {
    try (TestApp site = TestApp.start(backend, true)) {
      ContentApi content = new ContentApi(client(site, null));
      ApiArticleList page = content.listArticles(null, null, null, null, null, null, null, 5, null);
      assertThat(page.getItems()).hasSize(5);
      assertThat(page.getNext()).isNotBlank();
      ApiArticleSummary first = page.getItems().getFirst();
      assertThat(first.getUrl()).startsWith("http");
      ApiArticle full = content.getArticle(first.getId());
      assertThat(full.getHeadline()).isEqualTo(first.getHeadline());
      assertThat(full.getBodyHtml()).contains("<p>");
      assertThat(full.getBodyText()).doesNotContain("<p>");
      assertThat(full.getBodyMarkdown()).as("the source stays in the newsroom").isNull();
      assertThat(full.getStatus()).isEqualTo(ApiArticle.StatusEnum.PUBLISHED);
      assertThat(content.getArticleBySlug(full.getSlug()).getId()).isEqualTo(full.getId());
      assertThat(content.listSections().getItems()).isNotEmpty();
      assertThat(content.listTags().getItems()).isNotEmpty();
      assertThat(content.listAuthors().getItems()).isNotEmpty();
      String section = full.getSection().getSlug();
      assertThat(
              content
                  .listArticles(section, null, null, null, null, null, null, 100, null)
                  .getItems())
          .isNotEmpty()
          .allSatisfy(a -> assertThat(a.getSection().getSlug()).isEqualTo(section));
      ApiArticleList picked =
          content.listArticles(null, null, null, null, null, null, "headline", 2, null);
      assertThat(picked.getItems()).allSatisfy(a -> assertThat(a.getUrl()).isNull());
      assertThat(picked.getItems()).allSatisfy(a -> assertThat(a.getHeadline()).isNotBlank());

      // ETag and 304, from the page cache's fast path as for pages.
      HttpResponse<String> once = site.get("/api/v1/articles/" + full.getId());
      String etag = once.headers().firstValue("ETag").orElseThrow();
      assertThat(once.headers().firstValue("Cache-Control").orElse("")).startsWith("public");
      assertThat(site.get("/api/v1/articles/" + full.getId(), "If-None-Match", etag).statusCode())
          .isEqualTo(304);
      // An edit evicts it through the change feed: a new ETag.
      var a = site.app().articles().byId(full.getId()).orElseThrow();
      site.app()
          .articles()
          .update(
              a.id(),
              new org.broadsheet.article.ArticleDraft(
                  a.slug(),
                  a.section().slug(),
                  a.headline() + " (updated)",
                  a.deck(),
                  a.bodyMarkdown(),
                  a.status(),
                  a.publishedAt(),
                  a.authors().stream().map(org.broadsheet.article.Author::slug).toList(),
                  a.tags().stream().map(org.broadsheet.article.Tag::name).toList(),
                  a.image()));
      org.broadsheet.testing.Eventually.until(
          "the edit reaches the API",
          () ->
              site.get("/api/v1/articles/" + full.getId(), "If-None-Match", etag).statusCode()
                  == 200);
      assertThat(content.getArticle(full.getId()).getHeadline()).endsWith("(updated)");

      // Problems: RFC 9457 with a clear detail.
      ApiException missing =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> content.getArticle(999_999L));
      assertThat(missing.getCode()).isEqualTo(404);
      assertThat(problem(missing).path("status").asInt()).isEqualTo(404);
      ApiException badLimit =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () -> content.listArticles(null, null, null, null, null, null, null, 1000, null));
      assertThat(badLimit.getCode()).isEqualTo(400);
      assertThat(problem(badLimit).path("detail").asText()).contains("1 to 100");
      ApiException badCursor =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () -> content.listArticles(null, null, null, null, null, null, null, 5, "nonsense!"));
      assertThat(badCursor.getCode()).isEqualTo(400);
      ApiException badDate =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () -> content.listArticles(null, null, null, "yesterday", null, null, null, 5, null));
      assertThat(problem(badDate).path("detail").asText()).contains("from");
    }
  }

  @Test
  void pagesStayStableWhileStoriesArePublished() throws Exception {
    try (TestApp site = TestApp.start(backend, false)) {
      List<Long> before = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        before.add(site.article("Story number " + i).id());
      }
      ContentApi content = new ContentApi(client(site, null));
      List<Long> seen = new ArrayList<>();
      String cursor = null;
      int n = 0;
      do {
        ApiArticleList page =
            content.listArticles(null, null, null, null, null, null, null, 10, cursor);
        page.getItems().forEach(a -> seen.add(a.getId()));
        cursor = page.getNext();
        // Newer stories are published between the pages.
        site.article("Breaking between pages " + n++);
        site.article("Breaking between pages " + n++);
      } while (cursor != null);
      assertThat(seen)
          .as("no story repeated or skipped")
          .containsExactlyInAnyOrderElementsOf(before);
      assertThat(new HashSet<>(seen)).hasSize(seen.size());
    }
  }

  @Test
  void writesFollowTheNewsroomsRulesPerKeyAndRole() throws Exception {
    try (TestApp site = TestApp.start(backend, true)) {
      User editor = member(site, "eda@example.org", "Eda Editor", Role.EDITOR);
      User author = member(site, "abe@example.org", "Abe Author", Role.AUTHOR);
      User contributor = member(site, "cat@example.org", "Cat Contributor", Role.CONTRIBUTOR);
      String section = site.app().articles().sections().getFirst().slug();

      // A key cannot do more than its owner.
      assertThatThrownBy(
              () -> key(site, contributor, Role.Permission.WRITE_OWN, Role.Permission.PUBLISH))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("publish");

      // Without a key, or with a wrong one: 401.
      ArticlesAdminApi anonymous = new ArticlesAdminApi(client(site, null));
      ApiException noKey =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> anonymous.adminGetArticle(1L));
      assertThat(noKey.getCode()).isEqualTo(401);
      ApiException wrongKey =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () -> new ArticlesAdminApi(client(site, "bs_0000000000_nope")).adminGetArticle(1L));
      assertThat(wrongKey.getCode()).isEqualTo(401);

      // A drafts-only key of the author: creates, cannot publish.
      String draftsKey = key(site, author, Role.Permission.WRITE_OWN);
      ArticlesAdminApi drafts = new ArticlesAdminApi(client(site, draftsKey));
      ApiException invalid =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () -> drafts.createArticle(new ApiArticleInput().headline("No body"), null));
      assertThat(invalid.getCode()).isEqualTo(422);
      JsonNode errors = problem(invalid).path("errors");
      assertThat(errors.path("body").asText()).isNotBlank();
      assertThat(errors.path("section").asText()).isNotBlank();
      ApiArticle draft =
          drafts.createArticle(
              new ApiArticleInput()
                  .headline("Harbour crane arrives")
                  .section(section)
                  .body("The new crane came by barge.")
                  .tags(List.of("Harbour"))
                  .image(
                      new ApiImageInput()
                          .url("https://images.example.org/crane.jpg")
                          .alt("A crane on a barge")),
              null);
      assertThat(draft.getStatus()).isEqualTo(ApiArticle.StatusEnum.DRAFT);
      assertThat(draft.getAuthors()).extracting(a -> a.getName()).containsExactly("Abe Author");
      assertThat(draft.getBodyMarkdown()).isEqualTo("The new crane came by barge.");
      ApiException refused =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> drafts.publishArticle(draft.getId()));
      assertThat(refused.getCode()).isEqualTo(403);
      assertThat(problem(refused).path("detail").asText()).contains("publish");

      // The author's publishing key publishes their own story, not someone else's.
      ArticlesAdminApi publisher =
          new ArticlesAdminApi(
              client(site, key(site, author, Role.Permission.WRITE_OWN, Role.Permission.PUBLISH)));
      ApiArticle live = publisher.publishArticle(draft.getId());
      assertThat(live.getStatus()).isEqualTo(ApiArticle.StatusEnum.PUBLISHED);
      assertThat(live.getUrl()).isNotBlank();
      assertThat(site.get(URI.create(live.getUrl()).getPath()).statusCode()).isEqualTo(200);
      long othersStory =
          site.app()
              .articles()
              .latest(org.broadsheet.article.ArticleFilter.ALL, 1, 0)
              .getFirst()
              .id();
      othersStory =
          othersStory == live.getId()
              ? site.app()
                  .articles()
                  .latest(org.broadsheet.article.ArticleFilter.ALL, 2, 0)
                  .get(1)
                  .id()
              : othersStory;
      long others = othersStory;
      ApiException notHers =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () -> publisher.updateArticle(others, new ApiArticleInput().headline("Mine now")));
      assertThat(notHers.getCode()).isEqualTo(403);

      // The editor's key: update with fields left out kept, schedule, unpublish.
      ArticlesAdminApi desk =
          new ArticlesAdminApi(
              client(
                  site,
                  key(
                      site,
                      editor,
                      Role.Permission.WRITE_OWN,
                      Role.Permission.PUBLISH,
                      Role.Permission.EDIT_ALL)));
      ApiArticle changed =
          desk.updateArticle(live.getId(), new ApiArticleInput().deck("It took three tugs."));
      assertThat(changed.getDeck()).isEqualTo("It took three tugs.");
      assertThat(changed.getHeadline()).isEqualTo("Harbour crane arrives");
      assertThat(changed.getTags()).extracting(t -> t.getName()).containsExactly("Harbour");
      ApiArticle off = desk.unpublishArticle(live.getId());
      assertThat(off.getStatus()).isEqualTo(ApiArticle.StatusEnum.UNPUBLISHED);
      assertThat(site.get(URI.create(live.getUrl()).getPath()).statusCode()).isEqualTo(404);
      Instant later = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);
      ApiArticle scheduled =
          desk.scheduleArticle(
              live.getId(), new ApiSchedule().publishAt(later.atOffset(java.time.ZoneOffset.UTC)));
      assertThat(scheduled.getStatus()).isEqualTo(ApiArticle.StatusEnum.SCHEDULED);
      assertThat(scheduled.getPublishedAt().toInstant()).isEqualTo(later);
      ApiException past =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () ->
                  desk.scheduleArticle(
                      live.getId(),
                      new ApiSchedule().publishAt(java.time.OffsetDateTime.now().minusDays(1))));
      assertThat(past.getCode()).isEqualTo(422);

      // Every write is in the audit log with the integration's name.
      assertThat(site.app().audit().latest(50, 0))
          .anySatisfy(
              e -> {
                assertThat(e.action()).isEqualTo("article.create-save");
                assertThat(e.ip()).contains("API key").contains("Test Abe Author");
              });

      // A revoked key is refused at once.
      long keyId =
          site.app().apiKeys().all().stream()
              .filter(k -> k.name().equals("Test Eda Editor"))
              .findFirst()
              .orElseThrow()
              .id();
      site.app().apiKeys().revoke(keyId, Actor.system("test"));
      ApiException revoked =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> desk.adminGetArticle(live.getId()));
      assertThat(revoked.getCode()).isEqualTo(401);

      // The newsroom's own scripts: a member's session, with its CSRF token for writes.
      Browserless ed = new Browserless("http://127.0.0.1:" + site.app().port());
      ed.signIn("eda@example.org", PASSWORD);
      ed.get("/admin"); // a page of the session, with its CSRF token
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest.Builder write =
          HttpRequest.newBuilder(URI.create(site.url("/api/v1/admin/articles/" + live.getId())))
              .header("Cookie", "bs_session=" + ed.sessionCookie())
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString("{\"deck\":\"By session\"}"));
      assertThat(http.send(write.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("no CSRF token")
          .isEqualTo(403);
      HttpResponse<String> withToken =
          http.send(
              write.header("X-CSRF-Token", ed.csrf()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(withToken.statusCode()).isEqualTo(200);
      assertThat(withToken.body()).contains("By session");
    }
  }

  @Test
  void importsAreIdempotentAndUpdateBySourceId() throws Exception {
    try (TestApp site = TestApp.start(backend, true)) {
      User editor = member(site, "eda@example.org", "Eda Editor", Role.EDITOR);
      String section = site.app().articles().sections().getFirst().slug();
      ArticlesAdminApi wire =
          new ArticlesAdminApi(
              client(site, key(site, editor, Role.Permission.WRITE_OWN, Role.Permission.PUBLISH)));
      ApiArticleInput story =
          new ApiArticleInput()
              .headline("Ferry strike called off")
              .section(section)
              .body("Talks ended at dawn.")
              .externalId("wire:2026-1206-0042");
      int stories = site.app().articles().countAll();
      ApiArticle first = wire.createArticle(story, "retry-safe-1");
      var again = wire.createArticleWithHttpInfo(story, "retry-safe-1");
      assertThat(again.getData().getId())
          .as("a retry gets the first answer")
          .isEqualTo(first.getId());
      assertThat(again.getHeaders().get("idempotent-replayed")).containsExactly("true");
      ApiException reused =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () ->
                  wire.createArticle(
                      new ApiArticleInput().headline("Other").section(section).body("x"),
                      "retry-safe-1"));
      assertThat(reused.getCode()).isEqualTo(422);
      // The same source id again, without an idempotency key: the story is updated, not doubled.
      var updated =
          wire.createArticleWithHttpInfo(
              story.body("Talks ended at dawn; ferries run from noon."), null);
      assertThat(updated.getStatusCode()).isEqualTo(200);
      assertThat(updated.getData().getId()).isEqualTo(first.getId());
      assertThat(wire.adminGetArticleByExternalId("wire:2026-1206-0042").getBodyMarkdown())
          .contains("ferries run from noon");
      assertThat(site.app().articles().countAll())
          .as("one story for one source id")
          .isEqualTo(stories + 1);
      ApiException unknown =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> wire.adminGetArticleByExternalId("wire:nope"));
      assertThat(unknown.getCode()).isEqualTo(404);
    }
  }

  @Test
  void readsCanNeedAKeyAndEveryCallerHasALimit() throws Exception {
    Map<String, String> settings =
        Map.of("BROADSHEET_API_READS", "keyed", "BROADSHEET_API_RATE", "5");
    try (TestApp site = TestApp.start(backend, true, settings)) {
      User editor = member(site, "eda@example.org", "Eda Editor", Role.EDITOR);
      ApiException noKey =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> new ContentApi(client(site, null)).listSections());
      assertThat(noKey.getCode()).isEqualTo(401);
      ContentApi keyed = new ContentApi(client(site, key(site, editor, Role.Permission.WRITE_OWN)));
      assertThat(keyed.listSections().getItems()).isNotEmpty();
      int ok = 1;
      ApiException limited = null;
      for (int i = 0; i < 10 && limited == null; i++) {
        try {
          keyed.listArticles(null, null, null, null, null, null, null, 1 + i, null);
          ok++;
        } catch (ApiException e) {
          limited = e;
        }
      }
      assertThat(limited).as("the sixth request in a minute is refused").isNotNull();
      assertThat(ok).isEqualTo(5);
      assertThat(limited.getCode()).isEqualTo(429);
      assertThat(limited.getResponseHeaders().firstValue("retry-after")).isPresent();
      assertThat(problem(limited).path("title").asText()).isEqualTo("Too many requests");
    }
  }

  @Test
  void moderationMediaSubscribersAuditAndSearch() throws Exception {
    try (TestApp site =
        TestApp.start(backend, true, Map.of("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"))) {
      User admin = member(site, "ada@example.org", "Ada Admin", Role.ADMIN);
      User editor = member(site, "eda@example.org", "Eda Editor", Role.EDITOR);
      ApiClient desk =
          client(
              site,
              key(
                  site,
                  editor,
                  Role.Permission.MODERATE,
                  Role.Permission.MEDIA,
                  Role.Permission.NEWSLETTERS));
      ApiClient writer = client(site, key(site, editor, Role.Permission.WRITE_OWN));

      // Comments: the queue, one call per decision, the moderation permission needed.
      var story =
          site.app().articles().latest(org.broadsheet.article.ArticleFilter.ALL, 1, 0).getFirst();
      HttpResponse<String> posted =
          site.postForm(
              "/api/articles/" + story.id() + "/comments",
              Map.of(
                  "comment", "Will the ferry run on Sundays?",
                  "name", "Rune Reader",
                  "email", "rune@example.org",
                  "altcha", site.solvedCheck("comment:" + story.id())));
      assertThat(posted.statusCode()).isEqualTo(201);
      var comments = new org.broadsheet.client.api.CommentsAdminApi(desk);
      var queue = comments.listComments(null, null, null, null);
      assertThat(queue.getItems())
          .singleElement()
          .satisfies(c -> assertThat(c.getBody()).contains("ferry run on Sundays"));
      long commentId = queue.getItems().getFirst().getId();
      ApiException notModerator =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () ->
                  new org.broadsheet.client.api.CommentsAdminApi(writer).approveComment(commentId));
      assertThat(notModerator.getCode()).isEqualTo(403);
      assertThat(comments.approveComment(commentId).getStatus().getValue()).isEqualTo("approved");
      assertThat(comments.listComments("pending", null, null, null).getItems()).isEmpty();
      ApiException badStatus =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> comments.listComments("lost", null, null, null));
      assertThat(badStatus.getCode()).isEqualTo(400);
      assertThat(site.get(site.path(site.app().articles().byId(story.id()).orElseThrow())).body())
          .contains("ferry run on Sundays");

      // Media: an upload with its alt text; without it, a clear refusal.
      java.nio.file.Path png = java.nio.file.Files.createTempFile("chart", ".png");
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(960, 540, java.awt.image.BufferedImage.TYPE_INT_RGB);
      javax.imageio.ImageIO.write(image, "png", png.toFile());
      var media = new org.broadsheet.client.api.MediaAdminApi(desk);
      var uploaded = media.uploadMedia(png.toFile(), "A blank chart", "Graphic: Desk");
      assertThat(uploaded.getUrl()).startsWith("/media/");
      assertThat(uploaded.getWidth()).isEqualTo(960);
      assertThat(uploaded.getSizes()).contains(480, 800);
      assertThat(site.getBytes(uploaded.getUrl()).statusCode()).isEqualTo(200);
      ApiException noAlt =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> media.uploadMedia(png.toFile(), " ", null));
      assertThat(noAlt.getCode()).isEqualTo(422);
      assertThat(problem(noAlt).path("errors").path("alt").asText()).isNotBlank();
      java.nio.file.Path text = java.nio.file.Files.createTempFile("notes", ".txt");
      java.nio.file.Files.writeString(text, "not a picture");
      ApiException notImage =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> media.uploadMedia(text.toFile(), "Notes", null));
      assertThat(notImage.getCode()).isEqualTo(422);

      // Subscribers: an import with consent (checked whole), the list, unsubscribing.
      var subscribers = new org.broadsheet.client.api.SubscribersAdminApi(desk);
      ApiException badRow =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () ->
                  subscribers.importSubscribers(
                      new org.broadsheet.client.model.ApiSubscriberImport()
                          .subscribers(
                              List.of(
                                  new org.broadsheet.client.model.ApiSubscriberImportRow()
                                      .email("ok@example.org")
                                      .status(
                                          org.broadsheet.client.model.ApiSubscriberImportRow
                                              .StatusEnum.CONFIRMED),
                                  new org.broadsheet.client.model.ApiSubscriberImportRow()
                                      .email("not an address")
                                      .status(
                                          org.broadsheet.client.model.ApiSubscriberImportRow
                                              .StatusEnum.CONFIRMED)))));
      assertThat(badRow.getCode()).isEqualTo(422);
      assertThat(subscribers.listSubscribers(null, null, null, null).getTotal())
          .as("nothing written")
          .isZero();
      var report =
          subscribers.importSubscribers(
              new org.broadsheet.client.model.ApiSubscriberImport()
                  .subscribers(
                      List.of(
                          new org.broadsheet.client.model.ApiSubscriberImportRow()
                              .email("mia@example.org")
                              .name("Mia Moss")
                              .status(
                                  org.broadsheet.client.model.ApiSubscriberImportRow.StatusEnum
                                      .CONFIRMED),
                          new org.broadsheet.client.model.ApiSubscriberImportRow()
                              .email("old@example.org")
                              .status(
                                  org.broadsheet.client.model.ApiSubscriberImportRow.StatusEnum
                                      .UNSUBSCRIBED))));
      assertThat(report.getAdded()).isEqualTo(2);
      var list = subscribers.listSubscribers(null, "confirmed", null, null);
      assertThat(list.getItems())
          .singleElement()
          .satisfies(s -> assertThat(s.getEmail()).isEqualTo("mia@example.org"));
      var gone = subscribers.unsubscribeSubscriber(list.getItems().getFirst().getId());
      assertThat(gone.getStatus().getValue()).isEqualTo("unsubscribed");
      ApiException noSuch =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> subscribers.unsubscribeSubscriber(999_999L));
      assertThat(noSuch.getCode()).isEqualTo(404);

      // The audit log: for keys with the settings permission only; it names the integration.
      ApiException notAdmin =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class,
              () -> new org.broadsheet.client.api.AuditAdminApi(desk).listAudit(null, null));
      assertThat(notAdmin.getCode()).isEqualTo(403);
      var audit =
          new org.broadsheet.client.api.AuditAdminApi(
                  client(site, key(site, admin, Role.Permission.SETTINGS)))
              .listAudit(20, null);
      assertThat(audit.getItems())
          .anySatisfy(
              e -> {
                assertThat(e.getAction()).isEqualTo("subscriber.unsubscribe");
                assertThat(e.getFrom()).contains("API key").contains("Test Eda Editor");
              });
      assertThat(audit.getItems()).anySatisfy(e -> assertThat(e.getAction()).startsWith("comment"));

      // Search, as the site's search.
      ContentApi content = new ContentApi(client(site, null));
      var found =
          content.search(story.headline().split(" ")[0], null, null, null, null, null, null);
      assertThat(found.getItems()).isNotEmpty();
      assertThat(found.getItems().getFirst().getArticle().getUrl()).startsWith("http");
      ApiException empty =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              ApiException.class, () -> content.search("", null, null, null, null, null, null));
      assertThat(empty.getCode()).isEqualTo(400);
    }
  }
}
