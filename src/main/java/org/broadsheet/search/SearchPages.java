package org.broadsheet.search;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.web.Pager;
import org.broadsheet.web.Templates;

/**
 * {@code /search?q=} as a page and as JSON. Any text is a valid query: Lucene syntax characters,
 * unbalanced quotes and any script are searched as words, never an error; empty or overlong queries
 * get a clear message. Thread-safe.
 */
public final class SearchPages implements org.broadsheet.web.RouteModule {

  static final int MAX_QUERY = 200;
  static final int RESULTS = 20;
  static final int SUGGESTIONS = 8;

  private final java.util.function.Supplier<SearchIndex> index;
  private final ArticleService articles;
  private final SiteChrome chrome;
  private final Templates templates;
  private org.broadsheet.article.ArticleApi articleApi;
  private org.broadsheet.newsroom.ApiAccess apiAccess;

  @org.broadsheet.web.ApiDoc("One search result.")
  public record ApiSearchHit(
      @org.broadsheet.web.ApiDoc(value = "the story", required = true)
          org.broadsheet.article.ArticleApi.ApiArticleSummary article,
      @org.broadsheet.web.ApiDoc(
              value = "where the words were found, with them in <mark>",
              example = "the <mark>bridge</mark> reopens")
          String snippetHtml) {}

  @org.broadsheet.web.ApiDoc("One page of search results, best first (or newest first).")
  public record ApiSearchResults(
      @org.broadsheet.web.ApiDoc(value = "the results", required = true) List<ApiSearchHit> items,
      @org.broadsheet.web.ApiDoc(value = "how many match in all", example = "37") long total,
      @org.broadsheet.web.ApiDoc(value = "this page", example = "1") int page,
      @org.broadsheet.web.ApiDoc(value = "pages in all", example = "2") int pages,
      @org.broadsheet.web.ApiDoc(
              value = "a note for the reader (nothing found, or a corrected search)",
              example = "Nothing matched. Try fewer or different words.")
          String message,
      @org.broadsheet.web.ApiDoc(value = "a spelling to try instead", example = "bridge")
          String suggestion) {}

  public static final org.broadsheet.web.ApiOperation API_SEARCH =
      org.broadsheet.web.ApiOperation.get("/api/v1/search", "search")
          .tag("Content")
          .summary("Search published stories, as the site's search does")
          .query("q", String.class, "the words (up to 200 characters)", "bridge repairs")
          .query("section", String.class, "a section's slug", "city")
          .query("author", String.class, "an author's slug", "ines-varga")
          .query("from", String.class, "published on or after this day", "2026-11-01")
          .query("to", String.class, "published on or before this day", "2026-12-06")
          .query("sort", String.class, "newest for newest first; best match by default", "newest")
          .query("page", Integer.class, "the page, from 1", "1")
          .answers(ApiSearchResults.class)
          .build();

  public static final List<org.broadsheet.web.ApiOperation> API_OPERATIONS = List.of(API_SEARCH);

  /** Answers the Content API's search too, shaping stories as the API does. */
  public SearchPages withApi(
      org.broadsheet.article.ArticleApi articleApi, org.broadsheet.newsroom.ApiAccess access) {
    this.articleApi = articleApi;
    this.apiAccess = access;
    return this;
  }

  /**
   * {@code index} gives the index in use (it may change when a rebuilt one is taken over); how long
   * each search and each set of suggestions takes in the index is recorded in {@code metrics}.
   */
  public SearchPages(
      java.util.function.Supplier<SearchIndex> index,
      ArticleService articles,
      SiteChrome chrome,
      Templates templates,
      io.micrometer.core.instrument.MeterRegistry metrics) {
    this.searchTime = latency(metrics, "search");
    this.suggestTime = latency(metrics, "suggest");
    this.index = index;
    this.articles = articles;
    this.chrome = chrome;
    this.templates = templates;
  }

  private final io.micrometer.core.instrument.Timer searchTime;
  private final io.micrometer.core.instrument.Timer suggestTime;

  private static io.micrometer.core.instrument.Timer latency(
      io.micrometer.core.instrument.MeterRegistry metrics, String kind) {
    return io.micrometer.core.instrument.Timer.builder("broadsheet_search_seconds")
        .description("Time the search index takes to answer (search: results; suggest: as typed)")
        .tag("kind", kind)
        .publishPercentileHistogram()
        .minimumExpectedValue(java.time.Duration.ofNanos(100_000))
        .maximumExpectedValue(java.time.Duration.ofSeconds(5))
        .register(metrics);
  }

  private record Outcome(
      String query,
      List<SearchPage.Result> results,
      long total,
      String message,
      String suggestion,
      Pager pager,
      boolean newestFirst,
      String section,
      String author,
      String from,
      String to) {}

  private Outcome run(Context ctx) {
    String raw = ctx.queryParam("q");
    String query = raw == null ? "" : raw.strip();
    boolean newest = "newest".equals(ctx.queryParam("sort"));
    String rawSection = ctx.queryParam("section");
    String section =
        rawSection != null && org.broadsheet.support.Slugs.isValid(rawSection) ? rawSection : "";
    int page = Pager.parse(ctx.queryParam("page"));
    Pager single = new Pager(1, 1, "/search");
    String rawAuthor = ctx.queryParam("author");
    String author =
        rawAuthor != null && org.broadsheet.support.Slugs.isValid(rawAuthor) ? rawAuthor : "";
    java.time.Instant from;
    java.time.Instant until;
    try {
      from = day(ctx.queryParam("from"), false);
      until = day(ctx.queryParam("to"), true);
    } catch (java.time.format.DateTimeParseException e) {
      return new Outcome(
          query,
          List.of(),
          0,
          "Give dates as year-month-day, for example 2026-11-27.",
          "",
          single,
          newest,
          section,
          author,
          rawDate(ctx, "from"),
          rawDate(ctx, "to"));
    }
    if (query.isEmpty()) {
      return new Outcome(
          "",
          List.of(),
          0,
          "Type a few words to search the site.",
          "",
          single,
          newest,
          section,
          author,
          rawDate(ctx, "from"),
          rawDate(ctx, "to"));
    }
    if (query.length() > MAX_QUERY) {
      return new Outcome(
          query.substring(0, MAX_QUERY),
          List.of(),
          0,
          "That search is too long: use up to "
              + MAX_QUERY
              + " characters; a few distinctive words work best.",
          "",
          single,
          newest,
          section,
          author,
          rawDate(ctx, "from"),
          rawDate(ctx, "to"));
    }
    SearchIndex.Filters filters = new SearchIndex.Filters(section, author, from, until);
    SearchIndex.Results found =
        searchTime.record(
            () -> index.get().search(query, filters, newest, (page - 1) * RESULTS, RESULTS));
    Map<Long, ArticleSummary> byId = new java.util.HashMap<>();
    articles
        .summaries(found.hits().stream().map(SearchIndex.Hit::id).toList())
        .forEach(a -> byId.put(a.id(), a));
    List<SearchPage.Result> results =
        found.hits().stream()
            .filter(h -> byId.containsKey(h.id()))
            .map(h -> new SearchPage.Result(byId.get(h.id()), h.snippetHtml()))
            .toList();
    int pages = (int) Math.max(1, Math.min(500, (found.total() + RESULTS - 1) / RESULTS));
    String base =
        "/search?q="
            + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)
            + (newest ? "&sort=newest" : "")
            + (section.isEmpty() ? "" : "&section=" + section)
            + (author.isEmpty() ? "" : "&author=" + author)
            + (from == null ? "" : "&from=" + ctx.queryParam("from"))
            + (until == null ? "" : "&to=" + ctx.queryParam("to"));
    return new Outcome(
        query,
        results,
        found.total(),
        found.corrected()
            ? "Nothing has “" + query + "”; showing results for “" + found.suggestion() + "”."
            : results.isEmpty() ? "Nothing matched. Try fewer or different words." : "",
        found.corrected() ? "" : found.suggestion(),
        new Pager(Math.min(page, pages), pages, base),
        newest,
        section,
        author,
        rawDate(ctx, "from"),
        rawDate(ctx, "to"));
  }

  /** A date field as typed, for showing it again in the form (the template escapes it). */
  private static String rawDate(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    return raw == null ? "" : raw.strip().substring(0, Math.min(10, raw.strip().length()));
  }

  /** A day in the site's calendar (UTC here) as an instant: its start, or its end. */
  private static java.time.Instant day(String raw, boolean end) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    java.time.LocalDate date = java.time.LocalDate.parse(raw.strip());
    return (end ? date.plusDays(1) : date)
        .atStartOfDay(java.time.ZoneOffset.UTC)
        .toInstant()
        .minusMillis(end ? 1 : 0);
  }

  @Override
  public void addRoutes(org.broadsheet.web.Routes routes) {
    routes.page("/search", this::page);
    routes.get("/api/search", this::json);
    routes.get("/api/search/suggest", this::suggest);
    if (articleApi != null) {
      routes.api(API_SEARCH, this::api);
    }
  }

  public void page(Context ctx) {
    Outcome o = run(ctx);
    ctx.header("Cache-Control", "public, max-age=60");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(
        templates.render(
            "search/results.jte",
            new SearchPage(
                chrome.chrome("Search", "", "/search", ""),
                o.query(),
                o.results(),
                o.total(),
                o.message(),
                o.suggestion(),
                o.pager(),
                o.newestFirst(),
                o.section(),
                o.author(),
                o.from(),
                o.to(),
                articles.authors())));
  }

  private void api(Context ctx) {
    apiAccess.checkRead(ctx);
    Outcome o = run(ctx);
    if (o.total() == 0
        && o.results().isEmpty()
        && !o.message().isEmpty()
        && (o.query().isEmpty()
            || o.message().startsWith("That search")
            || o.message().startsWith("Give dates"))) {
      throw org.broadsheet.web.HttpError.badRequest(o.message());
    }
    ctx.header("Cache-Control", "public, max-age=60");
    ctx.contentType(org.broadsheet.web.Api.JSON_TYPE);
    ctx.result(
        org.broadsheet.web.Api.bytes(
            new ApiSearchResults(
                o.results().stream()
                    .map(r -> new ApiSearchHit(articleApi.summary(r.article()), r.snippetHtml()))
                    .toList(),
                o.total(),
                o.pager().page(),
                o.pager().pageCount(),
                o.message().isEmpty() ? null : o.message(),
                o.suggestion().isEmpty() ? null : o.suggestion())));
  }

  /** Headlines for the search box as the reader types: {@code [{"headline", "url"}]}. */
  public void suggest(Context ctx) {
    String raw = ctx.queryParam("q");
    String typed = raw == null ? "" : raw.stripLeading();
    List<Map<String, Object>> items = new java.util.ArrayList<>();
    if (!typed.isBlank() && typed.length() <= MAX_QUERY) {
      List<SearchIndex.Suggestion> found =
          suggestTime.record(() -> index.get().suggest(typed, SUGGESTIONS));
      Map<Long, ArticleSummary> byId = new java.util.HashMap<>();
      articles
          .summaries(found.stream().map(SearchIndex.Suggestion::id).toList())
          .forEach(a -> byId.put(a.id(), a));
      for (SearchIndex.Suggestion s : found) {
        ArticleSummary a = byId.get(s.id());
        if (a != null) {
          items.add(Map.of("headline", a.headline(), "url", chrome.links().article(a)));
        }
      }
    }
    ctx.header("Cache-Control", "public, max-age=60");
    ctx.json(items);
  }

  public void json(Context ctx) {
    Outcome o = run(ctx);
    List<Map<String, Object>> results =
        o.results().stream()
            .map(
                r -> {
                  ArticleSummary a = r.article();
                  Map<String, Object> item = new LinkedHashMap<>();
                  item.put("id", a.id());
                  item.put("headline", a.headline());
                  item.put("deck", a.deck());
                  item.put("url", chrome.links().article(a));
                  item.put("section", a.section().slug());
                  item.put("publishedAt", a.publishedAt().toString());
                  item.put("snippet", r.snippetHtml());
                  return item;
                })
            .toList();
    ctx.header("Cache-Control", "public, max-age=60");
    ctx.json(
        Map.of(
            "query", o.query(),
            "total", o.total(),
            "message", o.message(),
            "didYouMean", o.suggestion(),
            "results", results));
  }
}
