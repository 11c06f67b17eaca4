package org.broadsheet.comment;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What comments need to know of the articles they belong to: the public address of a published one
 * (for links in mails and redirects) and headlines (for the moderation queue). The article feature
 * answers; thread-safe.
 */
public interface CommentedArticles {

  /** The address of the article if readers can see it. */
  Optional<String> path(long articleId);

  /**
   * The address made of an article's section, publication time and slug, without a query (for use
   * inside a transaction, which must not wait for a second connection).
   */
  String path(String sectionSlug, java.time.Instant publishedAt, String slug);

  /** Headlines of the given articles, whatever their status; unknown ids are left out. */
  Map<Long, String> headlines(Collection<Long> articleIds);
}
