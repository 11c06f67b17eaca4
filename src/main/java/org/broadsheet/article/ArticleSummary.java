package org.broadsheet.article;

import java.time.Instant;
import java.util.List;
import org.broadsheet.site.Section;

/** What a list of articles shows of each one: enough for a card with a link, byline and image. */
public record ArticleSummary(
    long id,
    String slug,
    Section section,
    String headline,
    String deck,
    Instant publishedAt,
    Instant updatedAt,
    Image image,
    List<Author> authors,
    int commentCount)
    implements org.broadsheet.site.ArticleAddress {

  public boolean hasImage() {
    return image != null;
  }
}
