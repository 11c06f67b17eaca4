package org.broadsheet.site;

import java.time.Instant;

/** What an article's public address is made of: its section, publication date and slug. */
public interface ArticleAddress {
  Section section();

  Instant publishedAt();

  String slug();
}
