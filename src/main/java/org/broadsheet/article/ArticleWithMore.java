package org.broadsheet.article;

import java.util.List;

/** An article with its story so far (oldest first, itself included) and its More Articles. */
public record ArticleWithMore(
    Article article, List<ArticleSummary> story, List<ArticleSummary> more) {}
