package org.broadsheet.article;

import java.util.List;
import org.broadsheet.site.Chrome;
import org.broadsheet.web.Pager;

/** A paginated list of articles: a section, a tag or an author, with a heading and description. */
public record ListingPage(
    Chrome chrome,
    String kicker,
    String heading,
    String description,
    String image,
    List<ArticleSummary> articles,
    Pager pager) {}
