package org.broadsheet.article;

import static org.broadsheet.account.Role.Permission.PUBLISH;
import static org.broadsheet.account.Role.Permission.WRITE_OWN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.broadsheet.account.Caller;
import org.broadsheet.site.Picture;
import org.broadsheet.site.Section;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.Api;
import org.broadsheet.web.ApiDoc;
import org.broadsheet.web.ApiOperation;
import org.broadsheet.web.CacheTag;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Routes;

/**
 * Articles in the API: the Content API's public reads (published stories only, as the site shows
 * them, cached and evicted like pages) and the Admin API's writes, which go through the same
 * validation, permission rules and one-transaction save as the newsroom's editor. Thread-safe.
 */
public final class ArticleApi {

  // ---- what the API reads and answers with

  @ApiDoc("A section of the site.")
  public record ApiSection(
      @ApiDoc(value = "the section's address name", example = "politics", required = true)
          String slug,
      @ApiDoc(value = "its name", example = "Politics", required = true) String name,
      @ApiDoc(value = "its page", example = "https://news.example.org/section/politics")
          String url) {}

  @ApiDoc("A person who writes for the site.")
  public record ApiAuthor(
      @ApiDoc(value = "the author's address name", example = "ada-reporter", required = true)
          String slug,
      @ApiDoc(value = "the name on the byline", example = "Ada Reporter", required = true)
          String name,
      @ApiDoc(value = "a short biography", example = "Covers the city council.") String bio,
      @ApiDoc(value = "the author's page", example = "https://news.example.org/author/ada-reporter")
          String url) {}

  @ApiDoc("A topic label.")
  public record ApiTag(
      @ApiDoc(value = "the tag's address name", example = "floods", required = true) String slug,
      @ApiDoc(value = "its name", example = "Floods", required = true) String name,
      @ApiDoc(value = "the tag's page", example = "https://news.example.org/tag/floods")
          String url) {}

  @ApiDoc("One stored copy of an image.")
  public record ApiImageSize(
      @ApiDoc(value = "its width in pixels", example = "800") int width,
      @ApiDoc(value = "its address", example = "https://news.example.org/media/ab12-800.jpg")
          String url) {}

  @ApiDoc("An image with its text and every stored size.")
  public record ApiImage(
      @ApiDoc(
              value = "the full-size image",
              example = "https://news.example.org/media/ab12.jpg",
              required = true)
          String url,
      @ApiDoc(
              value = "what it shows, for readers who cannot see it",
              example = "Sandbags along the quay")
          String alt,
      @ApiDoc(value = "who made it", example = "Photo: Ben Lens") String credit,
      @ApiDoc(value = "width in pixels (0 when not known)", example = "1600") int width,
      @ApiDoc(value = "height in pixels (0 when not known)", example = "900") int height,
      @ApiDoc("smaller copies, narrowest first") List<ApiImageSize> sizes) {}

  @ApiDoc("A correction or clarification shown under a story.")
  public record ApiCorrection(
      @ApiDoc(
              value = "its kind",
              example = "correction",
              allowed = {"correction", "clarification", "update"})
          String kind,
      @ApiDoc(value = "what was corrected", example = "An earlier version gave the wrong date.")
          String note,
      @ApiDoc(value = "when", example = "2026-12-01T09:15:00Z") Instant at) {}

  @ApiDoc("A story in a list: enough to show a headline with its picture.")
  public record ApiArticleSummary(
      @ApiDoc(value = "the story's id", example = "42") long id,
      @ApiDoc(value = "its address name", example = "river-wall-holds") String slug,
      @ApiDoc(
              value = "its page",
              example = "https://news.example.org/news/2026/12/01/river-wall-holds")
          String url,
      @ApiDoc(value = "the headline", example = "River wall holds as water peaks") String headline,
      @ApiDoc(
              value = "the standfirst under the headline",
              example = "Residents return after a night of pumping.")
          String deck,
      ApiSection section,
      List<ApiAuthor> authors,
      @ApiDoc(value = "when it was published", example = "2026-12-01T07:30:00Z")
          Instant publishedAt,
      @ApiDoc(
              value = "when it was last updated after publication",
              example = "2026-12-01T10:02:00Z")
          Instant updatedAt,
      ApiImage image) {}

  @ApiDoc("One page of stories, newest first.")
  public record ApiArticleList(
      @ApiDoc(value = "the stories", required = true) List<ApiArticleSummary> items,
      @ApiDoc(
              value = "the cursor of the next page; absent on the last",
              example = "MTc2NDU3NDIwMDAwMDo0Mg")
          String next) {}

  @ApiDoc("A whole story.")
  public record ApiArticle(
      @ApiDoc(value = "the story's id", example = "42") long id,
      @ApiDoc(value = "its address name", example = "river-wall-holds", required = true)
          String slug,
      @ApiDoc(
              value = "its page (absent until published)",
              example = "https://news.example.org/news/2026/12/01/river-wall-holds")
          String url,
      @ApiDoc(
              value = "where it stands",
              example = "published",
              allowed = {"draft", "scheduled", "published", "unpublished"},
              required = true)
          String status,
      @ApiDoc(value = "the headline", example = "River wall holds as water peaks", required = true)
          String headline,
      @ApiDoc(value = "the standfirst", example = "Residents return after a night of pumping.")
          String deck,
      ApiSection section,
      List<ApiAuthor> authors,
      List<ApiTag> tags,
      @ApiDoc(value = "when it was (or will be) published", example = "2026-12-01T07:30:00Z")
          Instant publishedAt,
      @ApiDoc(
              value = "when it was last updated after publication",
              example = "2026-12-01T10:02:00Z")
          Instant updatedAt,
      ApiImage image,
      @ApiDoc(
              value = "the body as the site shows it (sanitized HTML)",
              example = "<p>The wall held.</p>")
          String bodyHtml,
      @ApiDoc(value = "the body as plain text", example = "The wall held.") String bodyText,
      @ApiDoc(value = "the body as written (Markdown); Admin API only", example = "The wall held.")
          String bodyMarkdown,
      List<ApiCorrection> corrections,
      @ApiDoc("the story so far: earlier stories of the same story, oldest first")
          List<ApiArticleSummary> story,
      @ApiDoc("More Articles: related stories") List<ApiArticleSummary> related,
      @ApiDoc(
              value = "the id the source system knows it by; Admin API only",
              example = "wire:2026-1201-0042")
          String externalId) {}

  @ApiDoc("An image for a story: from the media library (/media/…) or an https:// address.")
  public record ApiImageInput(
      @ApiDoc(value = "the image's address", example = "/media/ab12.jpg", required = true)
          String url,
      @ApiDoc(
              value = "what it shows (needed for readers who cannot see it)",
              example = "Sandbags along the quay")
          String alt,
      @ApiDoc(value = "who made it", example = "Photo: Ben Lens") String credit) {}

  @ApiDoc(
      "A story to create or change. On create, headline, section and body are needed; on update,"
          + " fields left out keep their value.")
  public record ApiArticleInput(
      @ApiDoc(value = "the headline", example = "River wall holds as water peaks") String headline,
      @ApiDoc(value = "the standfirst", example = "Residents return after a night of pumping.")
          String deck,
      @ApiDoc(
              value = "the address name; made from the headline when left out",
              example = "river-wall-holds")
          String slug,
      @ApiDoc(value = "the section's slug", example = "news") String section,
      @ApiDoc(
              value = "the body in Markdown (the format the editor stores)",
              example = "The wall held overnight.")
          String body,
      @ApiDoc(value = "tag names (new ones are made)", example = "[\"Floods\"]") List<String> tags,
      @ApiDoc(value = "author slugs for the byline", example = "[\"ada-reporter\"]")
          List<String> authors,
      ApiImageInput image,
      @ApiDoc(value = "a summary for lists and search results", example = "The wall held.")
          String excerpt,
      @ApiDoc(
              value =
                  "the story's id in the system it comes from; creating with a known one updates"
                      + " that story (prefix it with the source, e.g. wire:)",
              example = "wire:2026-1201-0042")
          String externalId) {}

  @ApiDoc("When to publish.")
  public record ApiSchedule(
      @ApiDoc(
              value = "the time to publish, in the future",
              example = "2026-12-24T07:00:00Z",
              required = true)
          Instant publishAt) {}

  // ---- the operations

  static final String CONTENT = "Content";
  static final String ADMIN = "Articles (admin)";

  public static final ApiOperation LIST =
      ApiOperation.get("/api/v1/articles", "listArticles")
          .tag(CONTENT)
          .summary("Published stories, newest first")
          .description(
              "Filter by section, tag and author (slugs), publication window and changes since a"
                  + " time; page with the `next` cursor (pages stay stable while stories are"
                  + " published). `fields` keeps only the named fields of each story.")
          .query("section", String.class, "a section's slug", "news")
          .query("tag", String.class, "a tag's slug", "floods")
          .query("author", String.class, "an author's slug", "ada-reporter")
          .query("from", String.class, "published at or after (date or time)", "2026-12-01")
          .query("until", String.class, "published before (date or time)", "2026-12-02")
          .query(
              "updatedSince",
              String.class,
              "published or updated at or after",
              "2026-12-01T00:00:00Z")
          .query(
              "fields",
              String.class,
              "comma-separated fields to keep (id is always kept)",
              "headline,url")
          .query("limit", Integer.class, "stories per page, 1 to 100 (20)", "20")
          .query("cursor", String.class, "the `next` value of the previous page", "")
          .answers(ApiArticleList.class)
          .build();

  public static final ApiOperation GET =
      ApiOperation.get("/api/v1/articles/{id}", "getArticle")
          .tag(CONTENT)
          .summary("One published story")
          .path("id", Long.class, "the story's id", "42")
          .answers(ApiArticle.class)
          .build();

  public static final ApiOperation GET_BY_SLUG =
      ApiOperation.get("/api/v1/articles/slug/{slug}", "getArticleBySlug")
          .tag(CONTENT)
          .summary("One published story, by its address name")
          .path("slug", String.class, "the story's slug", "river-wall-holds")
          .answers(ApiArticle.class)
          .build();

  public static final ApiOperation SECTIONS =
      ApiOperation.get("/api/v1/sections", "listSections")
          .tag(CONTENT)
          .summary("The site's sections, in their order")
          .answers(ApiSectionList.class)
          .build();

  public static final ApiOperation TAGS =
      ApiOperation.get("/api/v1/tags", "listTags")
          .tag(CONTENT)
          .summary("Tags on published stories")
          .answers(ApiTagList.class)
          .build();

  public static final ApiOperation AUTHORS =
      ApiOperation.get("/api/v1/authors", "listAuthors")
          .tag(CONTENT)
          .summary("The site's authors")
          .answers(ApiAuthorList.class)
          .build();

  @ApiDoc("The sections.")
  public record ApiSectionList(
      @ApiDoc(value = "the sections", required = true) List<ApiSection> items) {}

  @ApiDoc("The tags.")
  public record ApiTagList(@ApiDoc(value = "the tags", required = true) List<ApiTag> items) {}

  @ApiDoc("The authors.")
  public record ApiAuthorList(
      @ApiDoc(value = "the authors", required = true) List<ApiAuthor> items) {}

  public static final ApiOperation ADMIN_GET =
      ApiOperation.get("/api/v1/admin/articles/{id}", "adminGetArticle")
          .tag(ADMIN)
          .summary("One story in any state, with its Markdown")
          .path("id", Long.class, "the story's id", "42")
          .answers(ApiArticle.class)
          .needs(WRITE_OWN)
          .build();

  public static final ApiOperation ADMIN_BY_EXTERNAL =
      ApiOperation.get(
              "/api/v1/admin/articles/external/{externalId}", "adminGetArticleByExternalId")
          .tag(ADMIN)
          .summary("One story by the id its source system knows it by")
          .path("externalId", String.class, "the source's id", "wire:2026-1201-0042")
          .answers(ApiArticle.class)
          .needs(WRITE_OWN)
          .build();

  public static final ApiOperation CREATE =
      ApiOperation.post("/api/v1/admin/articles", "createArticle")
          .tag(ADMIN)
          .summary("Create a draft (or update the story with the same externalId)")
          .description(
              "Saved as a draft through the same checks as the newsroom's editor; publish or"
                  + " schedule it next. Send an Idempotency-Key to make retries safe: a retry"
                  + " with the same key and body gets the first answer again, with the same key"
                  + " and another body a 422. With an externalId already known, the story is"
                  + " updated and the answer is 200.")
          .header("Idempotency-Key", "any unique text per intended create (24 h)", "c1f6a0e2-9b7d")
          .body(ApiArticleInput.class)
          .created(ApiArticle.class)
          .needs(WRITE_OWN)
          .build();

  public static final ApiOperation UPDATE =
      ApiOperation.put("/api/v1/admin/articles/{id}", "updateArticle")
          .tag(ADMIN)
          .summary("Change a story (fields left out keep their value)")
          .description("A published story changes on the site at once.")
          .path("id", Long.class, "the story's id", "42")
          .body(ApiArticleInput.class)
          .answers(ApiArticle.class)
          .needs(WRITE_OWN)
          .build();

  public static final ApiOperation PUBLISH_NOW =
      ApiOperation.post("/api/v1/admin/articles/{id}/publish", "publishArticle")
          .tag(ADMIN)
          .summary("Publish now")
          .path("id", Long.class, "the story's id", "42")
          .answers(ApiArticle.class)
          .needs(PUBLISH)
          .build();

  public static final ApiOperation SCHEDULE =
      ApiOperation.post("/api/v1/admin/articles/{id}/schedule", "scheduleArticle")
          .tag(ADMIN)
          .summary("Publish at a later time")
          .path("id", Long.class, "the story's id", "42")
          .body(ApiSchedule.class)
          .answers(ApiArticle.class)
          .needs(PUBLISH)
          .build();

  public static final ApiOperation UNPUBLISH =
      ApiOperation.post("/api/v1/admin/articles/{id}/unpublish", "unpublishArticle")
          .tag(ADMIN)
          .summary("Take a story off the site")
          .path("id", Long.class, "the story's id", "42")
          .answers(ApiArticle.class)
          .needs(PUBLISH)
          .build();

  public static final List<ApiOperation> OPERATIONS =
      List.of(
          LIST,
          GET,
          GET_BY_SLUG,
          SECTIONS,
          TAGS,
          AUTHORS,
          ADMIN_GET,
          ADMIN_BY_EXTERNAL,
          CREATE,
          UPDATE,
          PUBLISH_NOW,
          SCHEDULE,
          UNPUBLISH);

  // ---- handlers

  private final ArticleService articles;
  private final SiteChrome chrome;
  private final org.broadsheet.web.PageCache cache;
  private final org.broadsheet.web.HttpCaching caching;
  private final org.broadsheet.newsroom.ApiAccess access;
  private final ZoneId zone;

  public ArticleApi(
      ArticleService articles,
      SiteChrome chrome,
      org.broadsheet.web.PageCache cache,
      org.broadsheet.web.HttpCaching caching,
      org.broadsheet.newsroom.ApiAccess access,
      ZoneId zone) {
    this.articles = articles;
    this.chrome = chrome;
    this.cache = cache;
    this.caching = caching;
    this.access = access;
    this.zone = zone;
  }

  public void addRoutes(Routes r) {
    r.api(LIST, this::list);
    r.api(GET, this::get);
    r.api(GET_BY_SLUG, this::getBySlug);
    r.api(SECTIONS, this::sections);
    r.api(TAGS, this::tags);
    r.api(AUTHORS, this::authors);
    r.api(ADMIN_GET, this::adminGet);
    r.api(ADMIN_BY_EXTERNAL, this::adminByExternal);
    r.api(CREATE, this::create);
    r.api(UPDATE, this::update);
    r.api(PUBLISH_NOW, ctx -> changeStatus(ctx, Publication.Action.PUBLISH, null));
    r.api(SCHEDULE, this::schedule);
    r.api(UNPUBLISH, ctx -> changeStatus(ctx, Publication.Action.UNPUBLISH, null));
  }

  private void list(Context ctx) {
    access.checkRead(ctx); // before the parameters are read: a caller without a key learns nothing
    int limit = Api.limit(ctx, 20, 100);
    ArticleFilter filter =
        new ArticleFilter(
            ctx.queryParam("section") == null
                ? null
                : articles.section(ctx.queryParam("section")).map(Section::id).orElse(-1L),
            ctx.queryParam("tag") == null
                ? null
                : articles.tag(ctx.queryParam("tag")).map(Tag::id).orElse(-1L),
            ctx.queryParam("author") == null
                ? null
                : articles.author(ctx.queryParam("author")).map(Author::id).orElse(-1L),
            null);
    String cursorText = ctx.queryParam("cursor");
    long[] cursor = cursorText == null || cursorText.isBlank() ? null : Api.cursor(cursorText);
    ArticleQuery query =
        new ArticleQuery(
            filter,
            Api.instant(ctx, "from"),
            Api.instant(ctx, "until"),
            Api.instant(ctx, "updatedSince"),
            cursor == null ? null : Instant.ofEpochMilli(cursor[0]),
            cursor == null ? null : cursor[1],
            limit + 1);
    Set<String> fields = fields(ctx.queryParam("fields"));
    read(
        ctx,
        () -> {
          List<ArticleSummary> found = articles.page(query);
          List<ArticleSummary> page = found.size() > limit ? found.subList(0, limit) : found;
          String next =
              found.size() > limit
                  ? Api.cursor(page.get(limit - 1).publishedAt(), page.get(limit - 1).id())
                  : null;
          List<ApiArticleSummary> items = page.stream().map(this::summary).toList();
          Object body = new ApiArticleList(items, next);
          if (fields != null) {
            body = select(body, fields);
          }
          Instant newest =
              page.stream()
                  .map(a -> a.updatedAt() != null ? a.updatedAt() : a.publishedAt())
                  .max(Instant::compareTo)
                  .orElse(Instant.EPOCH);
          return new Api.Cacheable(body, newest, Set.of(CacheTag.HOME, CacheTag.SETTINGS));
        });
  }

  /** A Content API read: the access rule, then the answer from the page cache. */
  private void read(Context ctx, java.util.function.Supplier<Api.Cacheable> render) {
    access.checkRead(ctx);
    Api.cached(ctx, cache, caching, access.keyed(), render);
  }

  private static Set<String> fields(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Set<String> known =
        java.util.Arrays.stream(ApiArticleSummary.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName)
            .collect(java.util.stream.Collectors.toSet());
    Set<String> asked = new LinkedHashSet<>();
    for (String f : text.split(",")) {
      String name = f.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (!known.contains(name)) {
        throw HttpError.badRequest(
            "Unknown field \"" + name + "\" in fields. Known: " + new java.util.TreeSet<>(known));
      }
      asked.add(name);
    }
    asked.add("id");
    return asked;
  }

  private static Object select(Object list, Set<String> fields) {
    ObjectNode node = Api.JSON.valueToTree(list);
    ArrayNode items = (ArrayNode) node.get("items");
    for (JsonNode item : items) {
      ((ObjectNode) item).retain(fields);
    }
    return node;
  }

  private void get(Context ctx) {
    long id = pathId(ctx);
    read(
        ctx,
        () -> {
          Article a = articles.byId(id).filter(Article::isPublic).orElseThrow(ArticleApi::notFound);
          return published(a.slug());
        });
  }

  private void getBySlug(Context ctx) {
    String slug = ctx.pathParam("slug");
    read(ctx, () -> published(slug));
  }

  private Api.Cacheable published(String slug) {
    ArticleWithMore found = articles.publishedWithMore(slug).orElseThrow(ArticleApi::notFound);
    Article a = found.article();
    Set<CacheTag> tags = new LinkedHashSet<>(articles.dependencyKeys(a.id()));
    tags.add(CacheTag.article(a.id()));
    tags.add(CacheTag.SETTINGS);
    ApiArticle body =
        full(
            a,
            found.story().stream().map(this::summary).toList(),
            found.more().stream().map(this::summary).toList(),
            false);
    return new Api.Cacheable(body, a.updatedAt() != null ? a.updatedAt() : a.publishedAt(), tags);
  }

  private void sections(Context ctx) {
    read(
        ctx,
        () ->
            new Api.Cacheable(
                new ApiSectionList(articles.sections().stream().map(this::section).toList()),
                Instant.EPOCH,
                Set.of(CacheTag.HOME, CacheTag.SETTINGS)));
  }

  private void tags(Context ctx) {
    read(
        ctx,
        () ->
            new Api.Cacheable(
                new ApiTagList(
                    articles.tagsWithCounts().stream()
                        .filter(e -> e.getValue() > 0)
                        .map(e -> tag(e.getKey()))
                        .toList()),
                Instant.EPOCH,
                Set.of(CacheTag.HOME, CacheTag.SETTINGS)));
  }

  private void authors(Context ctx) {
    read(
        ctx,
        () -> {
          List<Author> all = articles.authors();
          Set<CacheTag> tags = new LinkedHashSet<>(Set.of(CacheTag.HOME, CacheTag.SETTINGS));
          all.forEach(a -> tags.add(CacheTag.author(a.id())));
          return new Api.Cacheable(
              new ApiAuthorList(all.stream().map(this::author).toList()), Instant.EPOCH, tags);
        });
  }

  // ---- admin

  private void adminGet(Context ctx) {
    Caller caller = access.caller(ctx);
    Article a = editable(caller, pathId(ctx));
    Api.send(ctx, 200, admin(a));
  }

  private void adminByExternal(Context ctx) {
    Caller caller = access.caller(ctx);
    long id = articles.byExternalId(ctx.pathParam("externalId")).orElseThrow(ArticleApi::notFound);
    Api.send(ctx, 200, admin(editable(caller, id)));
  }

  private void create(Context ctx) {
    Caller caller = access.caller(ctx);
    ApiArticleInput input = Api.read(ctx, ApiArticleInput.class);
    access.idempotent(
        ctx,
        caller,
        () -> {
          Optional<Long> existing =
              input.externalId() == null || input.externalId().isBlank()
                  ? Optional.empty()
                  : articles.byExternalId(input.externalId().strip());
          if (existing.isPresent()) {
            Article current = editable(caller, existing.get());
            Article saved = save(ctx, caller, current, input, Publication.Action.SAVE, null);
            Api.send(ctx, 200, admin(saved));
            return;
          }
          Map<String, String> missing = new java.util.LinkedHashMap<>();
          if (input.headline() == null || input.headline().isBlank()) {
            missing.put("headline", "Write a headline.");
          }
          if (input.section() == null || input.section().isBlank()) {
            missing.put("section", "Choose a section (its slug, e.g. \"news\").");
          }
          if (input.body() == null || input.body().isBlank()) {
            missing.put("body", "Write the story's body (Markdown).");
          }
          if (!missing.isEmpty()) {
            throw new ValidationException(missing);
          }
          Article saved = save(ctx, caller, null, input, Publication.Action.SAVE, null);
          ctx.header("Location", "/api/v1/admin/articles/" + saved.id());
          Api.send(ctx, 201, admin(saved));
        });
  }

  private void update(Context ctx) {
    Caller caller = access.caller(ctx);
    Article current = editable(caller, pathId(ctx));
    ApiArticleInput input = Api.read(ctx, ApiArticleInput.class);
    if (input.externalId() != null
        && !input.externalId().isBlank()
        && articles
            .byExternalId(input.externalId().strip())
            .filter(id -> id != current.id())
            .isPresent()) {
      throw new HttpError(409, "externalId in use", "Another story already has that externalId.");
    }
    Api.send(ctx, 200, admin(save(ctx, caller, current, input, Publication.Action.SAVE, null)));
  }

  private void schedule(Context ctx) {
    ApiSchedule schedule = Api.read(ctx, ApiSchedule.class);
    if (schedule.publishAt() == null) {
      throw new ValidationException(Map.of("publishAt", "Give the time to publish."));
    }
    changeStatus(ctx, Publication.Action.SCHEDULE, schedule.publishAt());
  }

  private void changeStatus(Context ctx, Publication.Action action, Instant publishAt) {
    Caller caller = access.caller(ctx);
    Article current = editable(caller, pathId(ctx));
    Api.send(ctx, 200, admin(save(ctx, caller, current, null, action, publishAt)));
  }

  /** One save through the editor's rules: the current story with the input's fields over it. */
  private Article save(
      Context ctx,
      Caller caller,
      Article current,
      ApiArticleInput input,
      Publication.Action action,
      Instant publishAt) {
    ApiArticleInput in =
        input == null
            ? new ApiArticleInput(null, null, null, null, null, null, null, null, null, null)
            : input;
    Presentation p = current == null ? Presentation.NONE : articles.presentation(current.id());
    Image image =
        in.image() != null
            ? new Image(in.image().url(), in.image().alt(), in.image().credit())
            : current == null ? null : current.image();
    List<String> authors =
        in.authors() != null
            ? in.authors()
            : current != null
                ? current.authors().stream().map(Author::slug).toList()
                : caller.user().authorId() == null
                    ? List.of()
                    : articles.authors().stream()
                        .filter(a -> a.id() == caller.user().authorId())
                        .map(Author::slug)
                        .toList();
    ArticleEdit edit =
        new ArticleEdit(
            current == null ? null : current.id(),
            action,
            pick(in.headline(), current == null ? "" : current.headline()),
            pick(in.deck(), current == null ? "" : current.deck()),
            pick(in.slug(), current == null ? "" : current.slug()),
            pick(in.section(), current == null ? "" : current.section().slug()),
            pick(in.body(), current == null ? "" : current.bodyMarkdown()),
            in.tags() != null
                ? String.join(", ", in.tags())
                : current == null
                    ? ""
                    : String.join(", ", current.tags().stream().map(Tag::name).toList()),
            authors,
            image == null ? "" : image.url(),
            image == null ? "" : nullToEmpty(image.alt()),
            image == null ? "" : nullToEmpty(image.credit()),
            publishAt == null
                ? ""
                : java.time.LocalDateTime.ofInstant(publishAt, zone)
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                    .toString(),
            pick(in.excerpt(), p.excerpt()),
            p.seoTitle(),
            p.seoDescription(),
            p.socialTitle(),
            p.socialDescription(),
            p.socialImage());
    EditorRights rights =
        new EditorRights(
            caller.can(PUBLISH),
            caller.can(org.broadsheet.account.Role.Permission.EDIT_ALL),
            caller.user().authorId());
    String externalId =
        in.externalId() == null || in.externalId().isBlank() ? null : in.externalId().strip();
    try {
      return externalId == null
          ? articles.save(edit, caller.actor(access.address(ctx)), rights)
          : articles.saveFromSource(edit, externalId, caller.actor(access.address(ctx)), rights);
    } catch (Publication.NotAllowed e) {
      throw new HttpError(403, "Not allowed", e.getMessage());
    } catch (ArticleService.ExternalIdTaken e) {
      throw new HttpError(409, "Created at the same time", e.getMessage());
    }
  }

  private static String pick(String given, String current) {
    return given != null ? given : current;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private Article editable(Caller caller, long id) {
    Article a = articles.byId(id).orElseThrow(ArticleApi::notFound);
    if (!EditorRights.mayEdit(
        caller::can, caller.user().id(), caller.user().authorId(), a, articles.createdBy(id))) {
      throw new HttpError(
          403,
          "Not allowed",
          "This story is not one you may change: it is someone else's, or it is out and you may"
              + " not publish.");
    }
    return a;
  }

  // ---- shaping

  private ApiArticle admin(Article a) {
    ApiArticle base = full(a, List.of(), List.of(), true);
    return base;
  }

  private ApiArticle full(
      Article a, List<ApiArticleSummary> story, List<ApiArticleSummary> related, boolean admin) {
    String html = a.bodyHtml() == null ? "" : a.bodyHtml();
    return new ApiArticle(
        a.id(),
        a.slug(),
        a.isPublic() ? absolute(chrome.links().article(a)) : null,
        a.status().dbValue(),
        a.headline(),
        a.deck(),
        section(a.section()),
        a.authors().stream().map(this::author).toList(),
        a.tags().stream().map(this::tag).toList(),
        a.publishedAt(),
        a.wasUpdated() ? a.updatedAt() : null,
        image(a.image()),
        html,
        org.jsoup.Jsoup.parse(html).text(),
        admin ? a.bodyMarkdown() : null,
        a.corrections().stream()
            .map(
                c ->
                    new ApiCorrection(
                        c.kind().name().toLowerCase(java.util.Locale.ROOT),
                        c.note(),
                        c.createdAt()))
            .toList(),
        story,
        related,
        admin ? articles.externalIdOf(a.id()).orElse(null) : null);
  }

  public ApiArticleSummary summary(ArticleSummary a) {
    return new ApiArticleSummary(
        a.id(),
        a.slug(),
        absolute(chrome.links().article(a)),
        a.headline(),
        a.deck(),
        section(a.section()),
        a.authors().stream().map(this::author).toList(),
        a.publishedAt(),
        a.updatedAt() != null && a.updatedAt().isAfter(a.publishedAt()) ? a.updatedAt() : null,
        image(a.image()));
  }

  private ApiSection section(Section s) {
    return new ApiSection(s.slug(), s.name(), absolute(chrome.links().section(s)));
  }

  private ApiAuthor author(Author a) {
    return new ApiAuthor(
        a.slug(),
        a.name(),
        a.bio() == null || a.bio().isEmpty() ? null : a.bio(),
        absolute(chrome.links().author(a.slug())));
  }

  private ApiTag tag(Tag t) {
    return new ApiTag(t.slug(), t.name(), absolute(chrome.links().tag(t.slug())));
  }

  private ApiImage image(Image image) {
    if (image == null || image.url() == null || image.url().isEmpty()) {
      return null;
    }
    Picture picture = chrome.site().picture(image.url());
    List<ApiImageSize> sizes = new ArrayList<>();
    for (String candidate : picture.srcset().split(",")) {
      String[] parts = candidate.strip().split("\\s+");
      if (parts.length == 2 && parts[1].endsWith("w")) {
        try {
          int w = Integer.parseInt(parts[1].substring(0, parts[1].length() - 1));
          if (!parts[0].equals(picture.src())) {
            sizes.add(new ApiImageSize(w, absolute(parts[0])));
          }
        } catch (NumberFormatException e) {
          // not a width
        }
      }
    }
    sizes.sort(java.util.Comparator.comparingInt(ApiImageSize::width));
    boolean known = !picture.srcset().isEmpty() || image.url().startsWith("/media/");
    return new ApiImage(
        absolute(image.url()),
        image.alt() == null || image.alt().isEmpty() ? null : image.alt(),
        image.credit() == null || image.credit().isEmpty() ? null : image.credit(),
        known ? picture.width() : 0,
        known ? picture.height() : 0,
        sizes);
  }

  private String absolute(String path) {
    return path.startsWith("http://") || path.startsWith("https://")
        ? path
        : chrome.links().absolute(path);
  }

  private static long pathId(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw notFound();
    }
  }

  private static HttpError notFound() {
    return new HttpError(
        404, "Not found", "No story has that id or slug (or it is not published).");
  }
}
