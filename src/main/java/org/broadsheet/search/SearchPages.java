package org.broadsheet.search;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.web.SiteChrome;
import org.broadsheet.web.Templates;

/**
 * {@code /search?q=} as a page and as JSON. Any text is a valid query: Lucene syntax characters,
 * unbalanced quotes and any script are searched as words, never an error; empty or overlong queries
 * get a clear message. Thread-safe.
 */
public final class SearchPages {

  static final int MAX_QUERY = 200;
  static final int RESULTS = 20;

  private final SearchIndex index;
  private final ArticleService articles;
  private final SiteChrome chrome;
  private final Templates templates;

  public SearchPages(
      SearchIndex index, ArticleService articles, SiteChrome chrome, Templates templates) {
    this.index = index;
    this.articles = articles;
    this.chrome = chrome;
    this.templates = templates;
  }

  private record Outcome(String query, List<ArticleSummary> results, String message) {}

  private Outcome run(String raw) {
    String query = raw == null ? "" : raw.strip();
    if (query.isEmpty()) {
      return new Outcome("", List.of(), "Type a few words to search the site.");
    }
    if (query.length() > MAX_QUERY) {
      return new Outcome(
          query.substring(0, MAX_QUERY),
          List.of(),
          "That search is too long: use up to "
              + MAX_QUERY
              + " characters, a few distinctive words work best.");
    }
    List<ArticleSummary> found = articles.summaries(index.search(query, RESULTS));
    return new Outcome(
        query, found, found.isEmpty() ? "Nothing matched. Try fewer or different words." : "");
  }

  public void page(Context ctx) {
    Outcome outcome = run(ctx.queryParam("q"));
    ctx.header("Cache-Control", "public, max-age=60");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(
        templates.render(
            "search/results.jte",
            new SearchPage(
                chrome.chrome("Search", "", "/search", ""),
                outcome.query(),
                outcome.results(),
                outcome.message())));
  }

  public void json(Context ctx) {
    Outcome outcome = run(ctx.queryParam("q"));
    List<Map<String, Object>> results =
        outcome.results().stream()
            .map(
                a -> {
                  Map<String, Object> item = new LinkedHashMap<>();
                  item.put("id", a.id());
                  item.put("headline", a.headline());
                  item.put("deck", a.deck());
                  item.put("url", chrome.links().article(a));
                  item.put("section", a.section().slug());
                  item.put("publishedAt", a.publishedAt().toString());
                  return item;
                })
            .toList();
    ctx.header("Cache-Control", "public, max-age=60");
    ctx.json(Map.of("query", outcome.query(), "message", outcome.message(), "results", results));
  }
}
