package org.broadsheet.article;

import java.util.List;
import org.broadsheet.web.Chrome;

/** One article as readers see it, with the "More Articles" list beneath it. */
public record ArticlePage(Chrome chrome, Article article, List<ArticleSummary> more) {}
