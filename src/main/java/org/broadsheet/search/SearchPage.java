package org.broadsheet.search;

import java.util.List;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.site.Chrome;
import org.broadsheet.web.Pager;

/**
 * The search page: what was asked, what was found with marked snippets, how many in all, a message
 * when there is nothing to show, a spelling suggestion, paging, the order and the filters (section,
 * author, dates).
 */
public record SearchPage(
    Chrome chrome,
    String query,
    List<Result> results,
    long total,
    String message,
    String suggestion,
    Pager pager,
    boolean newestFirst,
    String section,
    String author,
    String from,
    String to,
    List<org.broadsheet.article.Author> authors) {

  /** One result: the article and a snippet (escaped HTML with {@code <mark>} around matches). */
  public record Result(ArticleSummary article, String snippetHtml) {}
}
