package org.broadsheet.search;

import java.util.List;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.web.Chrome;

/** The search page: what was asked, what was found, and a message when there is nothing to show. */
public record SearchPage(
    Chrome chrome, String query, List<ArticleSummary> results, String message) {}
