package org.broadsheet.article;

import java.util.List;
import org.broadsheet.site.Chrome;
import org.broadsheet.site.Section;
import org.broadsheet.web.Pager;

/**
 * The front page: the lead story, the latest stories and each section's newest (first page only).
 */
public record HomePage(
    Chrome chrome,
    ArticleSummary lead,
    List<ArticleSummary> latest,
    List<SectionBlock> sectionBlocks,
    Pager pager) {

  /** A section's newest stories on the front page. */
  public record SectionBlock(Section section, List<ArticleSummary> articles) {}
}
