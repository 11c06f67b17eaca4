package org.broadsheet.article;

import java.time.Instant;
import java.util.List;
import org.broadsheet.site.Section;

/**
 * A whole article as stored: text (Markdown source and the sanitized HTML rendered from it at save
 * time), status and times, people, section, tags, featured image and corrections. Immutable.
 */
public record Article(
    long id,
    String slug,
    Section section,
    String headline,
    String deck,
    String bodyMarkdown,
    String bodyHtml,
    ArticleStatus status,
    Instant publishedAt,
    Instant updatedAt,
    Instant createdAt,
    Instant modifiedAt,
    Image image,
    List<Author> authors,
    List<Tag> tags,
    List<Correction> corrections)
    implements org.broadsheet.site.ArticleAddress {

  /** The same article as if published at the given time (for previews of drafts). */
  public Article publishedAtIfUnset(Instant when) {
    return publishedAt != null
        ? this
        : new Article(
            id,
            slug,
            section,
            headline,
            deck,
            bodyMarkdown,
            bodyHtml,
            status,
            when,
            updatedAt,
            createdAt,
            modifiedAt,
            image,
            authors,
            tags,
            corrections);
  }

  public boolean isPublic() {
    return status == ArticleStatus.PUBLISHED && publishedAt != null;
  }

  public boolean hasImage() {
    return image != null;
  }

  /** True when the article was changed noticeably after publication, so readers see "Updated". */
  public boolean wasUpdated() {
    return updatedAt != null && publishedAt != null && updatedAt.isAfter(publishedAt);
  }

  public ArticleSummary summary() {
    return new ArticleSummary(
        id, slug, section, headline, deck, publishedAt, updatedAt, image, authors, 0);
  }
}
