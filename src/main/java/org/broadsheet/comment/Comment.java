package org.broadsheet.comment;

import java.time.Instant;
import java.util.List;

/**
 * A reader's comment as stored, with what moderation needs (address, browser, the rules that fired
 * and the score) and what imports need ({@code origin}, e.g. {@code wordpress:123}). Immutable.
 */
public record Comment(
    long id,
    long articleId,
    Long parentId,
    int depth,
    String authorName,
    String authorEmail,
    String authorUrl,
    String body,
    CommentStatus status,
    Instant createdAt,
    Instant moderatedAt,
    String ip,
    String userAgent,
    int score,
    List<String> reasons,
    boolean notifyReplies,
    String origin) {

  public boolean isApproved() {
    return status == CommentStatus.APPROVED;
  }

  /** The commenter's website when it is a plain web address, else empty: what pages link to. */
  public String webAddress() {
    return org.broadsheet.support.WebAddress.orEmpty(authorUrl);
  }
}
