package org.broadsheet.live;

import java.time.Instant;

/**
 * One update of a live story: its own optional headline, its sanitized body, its author's name,
 * whether it is pinned on top or marked as a key event, when it was posted and last edited.
 */
public record LiveUpdate(
    long id,
    long articleId,
    String headline,
    String bodyMarkdown,
    String bodyHtml,
    String author,
    boolean pinned,
    boolean keyEvent,
    Instant createdAt,
    Instant editedAt) {

  public boolean edited() {
    return editedAt != null;
  }

  /** The permalink's fragment. */
  public String anchor() {
    return "update-" + id;
  }
}
