package org.broadsheet.article;

import java.util.List;
import org.broadsheet.comment.CommentSection;
import org.broadsheet.site.Chrome;

/** One article as readers see it, with its comments and the "More Articles" list beneath it. */
public record ArticlePage(
    Chrome chrome,
    Article article,
    CommentSection comments,
    List<ArticleSummary> story,
    List<ArticleSummary> more,
    String jsonLd,
    String body) {}
