package org.broadsheet.newsletter;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.support.Slugs;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Jdbi;

/**
 * The site's newsletters: the newsroom creates, edits and archives them; readers pick among the
 * ones not archived. Archiving keeps every reader's choice, so bringing one back restores it.
 * Thread-safe.
 */
public final class Newsletters {

  private final Jdbi jdbi;
  private final Clock clock;
  private final Audit audit;
  private final NewsletterStore store = new NewsletterStore();

  public Newsletters(Jdbi jdbi, Clock clock, Audit audit) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
  }

  /** Every newsletter, archived ones last. */
  public List<Newsletter> all() {
    return jdbi.withHandle(store::all);
  }

  /** The newsletters readers can choose. */
  public List<Newsletter> open() {
    return all().stream().filter(n -> !n.archived()).toList();
  }

  public Optional<Newsletter> byId(long id) {
    return all().stream().filter(n -> n.id() == id).findFirst();
  }

  /** Creates a newsletter with its audit entry; the slug comes from the name when empty. */
  public Newsletter create(
      String name, String slug, String description, String tagSlug, String cadence, Actor actor) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = checkName(name, errors);
    String cleanSlug = slug == null || slug.isBlank() ? Slugs.slugify(cleanName) : slug.strip();
    if (!Slugs.isValid(cleanSlug)) {
      errors.put("slug", "Use lower-case letters, digits and hyphens.");
    }
    String tag = tag(tagSlug, errors);
    String often = cadence(cadence, errors);
    String about = description(description, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return jdbi.inTransaction(
        h -> {
          if (store.slugTaken(h, cleanSlug)) {
            throw new ValidationException(Map.of("slug", "Another newsletter has this slug."));
          }
          int position = store.nextPosition(h);
          long id =
              store.insert(h, cleanSlug, cleanName, about, tag, often, position, clock.millis());
          audit.record(h, actor, "newsletter.create", "newsletter:" + cleanSlug, cleanName);
          return new Newsletter(id, cleanSlug, cleanName, about, tag, often, position, false);
        });
  }

  /**
   * Changes what a newsletter is called, carries and how often it goes out, with its audit entry.
   */
  public void update(
      long id,
      String name,
      String description,
      String tagSlug,
      String cadence,
      boolean archived,
      Actor actor) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = checkName(name, errors);
    String tag = tag(tagSlug, errors);
    String often = cadence(cadence, errors);
    String about = description(description, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    jdbi.useTransaction(
        h -> {
          if (store.update(h, id, cleanName, about, tag, often, archived) == 0) {
            throw new ValidationException(Map.of("name", "That newsletter no longer exists."));
          }
          audit.record(h, actor, "newsletter.update", "newsletter:" + id, cleanName);
        });
  }

  private static String checkName(String name, Map<String, String> errors) {
    String clean = name == null ? "" : name.strip().replaceAll("\\p{Cntrl}", "");
    if (clean.isEmpty() || clean.length() > 80) {
      errors.put("name", "Give the newsletter a name of up to 80 characters.");
    }
    return clean;
  }

  private static String description(String description, Map<String, String> errors) {
    String clean = description == null ? "" : description.strip().replaceAll("\\p{Cntrl}", " ");
    if (clean.length() > 300) {
      errors.put("description", "Keep the description under 300 characters.");
    }
    return clean;
  }

  private static String tag(String tagSlug, Map<String, String> errors) {
    if (tagSlug == null || tagSlug.isBlank()) {
      return null;
    }
    String clean = tagSlug.strip();
    if (!Slugs.isValid(clean)) {
      errors.put("tag", "Give the tag's slug, as in its address /tag/slug.");
    }
    return clean;
  }

  private static String cadence(String cadence, Map<String, String> errors) {
    if (cadence == null || cadence.isBlank() || cadence.equals("reader")) {
      return null;
    }
    if (!List.of("each", "daily", "weekly").contains(cadence)) {
      errors.put("cadence", "Choose each article, daily, weekly or the reader's choice.");
    }
    return cadence;
  }
}
