package org.broadsheet.newsletter;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.support.Slugs;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The site's newsletters: the newsroom creates, edits and archives them; readers pick among the
 * ones not archived. Archiving keeps every reader's choice, so bringing one back restores it.
 * Thread-safe.
 */
public final class Newsletters {

  private final Jdbi jdbi;
  private final Clock clock;

  public Newsletters(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Every newsletter, archived ones last. */
  public List<Newsletter> all() {
    return jdbi.withHandle(Newsletters::all);
  }

  /** The newsletters readers can choose. */
  public List<Newsletter> open() {
    return all().stream().filter(n -> !n.archived()).toList();
  }

  static List<Newsletter> all(Handle h) {
    return h.createQuery("SELECT * FROM newsletters ORDER BY archived, position, id")
        .map(
            (rs, c) ->
                new Newsletter(
                    rs.getLong("id"),
                    rs.getString("slug"),
                    rs.getString("name"),
                    rs.getString("description"),
                    rs.getString("tag_slug"),
                    rs.getString("cadence"),
                    rs.getInt("position"),
                    rs.getBoolean("archived")))
        .list();
  }

  public Optional<Newsletter> byId(long id) {
    return all().stream().filter(n -> n.id() == id).findFirst();
  }

  /** Creates a newsletter; the slug comes from the name when empty. */
  public Newsletter create(
      String name, String slug, String description, String tagSlug, String cadence) {
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
          if (h.createQuery("SELECT COUNT(*) FROM newsletters WHERE slug = :s")
                  .bind("s", cleanSlug)
                  .mapTo(Integer.class)
                  .one()
              > 0) {
            throw new ValidationException(Map.of("slug", "Another newsletter has this slug."));
          }
          int position =
              h.createQuery("SELECT COALESCE(MAX(position), 0) + 1 FROM newsletters")
                  .mapTo(Integer.class)
                  .one();
          long id =
              h.createUpdate(
                      "INSERT INTO newsletters (slug, name, description, tag_slug, cadence, position, archived, created_at)"
                          + " VALUES (:slug, :name, :d, :tag, :cadence, :p, :no, :now)")
                  .bind("slug", cleanSlug)
                  .bind("name", cleanName)
                  .bind("d", about)
                  .bind("tag", tag)
                  .bind("cadence", often)
                  .bind("p", position)
                  .bind("no", false)
                  .bind("now", clock.millis())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          return new Newsletter(id, cleanSlug, cleanName, about, tag, often, position, false);
        });
  }

  /** Changes what a newsletter is called, carries and how often it goes out. */
  public void update(
      long id, String name, String description, String tagSlug, String cadence, boolean archived) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = checkName(name, errors);
    String tag = tag(tagSlug, errors);
    String often = cadence(cadence, errors);
    String about = description(description, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    int changed =
        jdbi.inTransaction(
            h ->
                h.createUpdate(
                        "UPDATE newsletters SET name = :name, description = :d, tag_slug = :tag,"
                            + " cadence = :cadence, archived = :archived WHERE id = :id")
                    .bind("name", cleanName)
                    .bind("d", about)
                    .bind("tag", tag)
                    .bind("cadence", often)
                    .bind("archived", archived)
                    .bind("id", id)
                    .execute());
    if (changed == 0) {
      throw new ValidationException(Map.of("name", "That newsletter no longer exists."));
    }
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
