package org.broadsheet.article;

import java.util.Locale;

/** Where an article is in its life. Only {@link #PUBLISHED} articles are shown to readers. */
public enum ArticleStatus {
  DRAFT,
  SCHEDULED,
  PUBLISHED,
  UNPUBLISHED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ArticleStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
