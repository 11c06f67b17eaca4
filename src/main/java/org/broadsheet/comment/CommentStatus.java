package org.broadsheet.comment;

import java.util.Locale;

/** Where a comment is in moderation. Only {@link #APPROVED} comments are shown to everyone. */
public enum CommentStatus {
  PENDING,
  APPROVED,
  SPAM,
  TRASH;

  /** The name of the moderation folder that holds comments with this status. */
  public String folder() {
    return switch (this) {
      case PENDING -> "Waiting";
      case APPROVED -> "Approved";
      case SPAM -> "Spam";
      case TRASH -> "Trash";
    };
  }

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommentStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
