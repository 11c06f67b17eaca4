package org.broadsheet.comment;

import java.util.Locale;

/** Where a comment is in moderation. Only {@link #APPROVED} comments are shown to everyone. */
public enum CommentStatus {
  PENDING,
  APPROVED,
  SPAM,
  TRASH;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommentStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
