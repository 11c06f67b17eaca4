package org.broadsheet.feed;

import java.time.Instant;
import java.util.List;

/**
 * One feed, whatever its format: what it is, where it lives and its newest items. All addresses are
 * absolute. Immutable.
 */
public record FeedData(
    String title,
    String description,
    String homeUrl,
    String selfUrl,
    String language,
    Instant updated,
    List<Item> items) {

  /** A person credited on an item. */
  public record Person(String name, String url) {}

  /** One entry: an article or a comment. {@code contentHtml} may be empty (summary only). */
  public record Item(
      String id,
      String url,
      String title,
      String summary,
      String contentHtml,
      Instant published,
      Instant modified,
      List<Person> authors,
      List<String> tags) {}
}
