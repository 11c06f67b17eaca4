package org.broadsheet.article;

import java.util.List;
import org.broadsheet.site.Chrome;
import org.broadsheet.site.Section;
import org.broadsheet.web.Pager;

/**
 * The front page: the lead story, the featured and latest stories and each section's newest (first
 * page only); {@code preview} marks an arrangement the newsroom has not saved yet.
 */
public record HomePage(
    Chrome chrome,
    ArticleSummary lead,
    List<ArticleSummary> latest,
    List<SectionBlock> sectionBlocks,
    Pager pager,
    boolean preview) {

  /** A section's newest stories on the front page. */
  public record SectionBlock(Section section, List<ArticleSummary> articles) {}
}
