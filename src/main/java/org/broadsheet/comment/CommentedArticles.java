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

  /** Headlines of the given articles, whatever their status; unknown ids are left out. */
  Map<Long, String> headlines(Collection<Long> articleIds);
}
