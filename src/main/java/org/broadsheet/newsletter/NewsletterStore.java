package org.broadsheet.newsletter;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for the site's newsletters. Takes the caller's handle. Stateless and thread-safe. */
final class NewsletterStore {

  private final RowMapper<Newsletter> newsletter = ConstructorMapper.of(Newsletter.class);

  /** Every newsletter, archived ones last, then in the newsroom's order. */
  List<Newsletter> all(Handle h) {
    return h.createQuery("SELECT * FROM newsletters ORDER BY archived, position, id")
        .map(newsletter)
        .list();
  }

  boolean slugTaken(Handle h, String slug) {
    return h.createQuery("SELECT COUNT(*) FROM newsletters WHERE slug = :s")
            .bind("s", slug)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /** The position after the last newsletter's. */
  int nextPosition(Handle h) {
    return h.createQuery("SELECT COALESCE(MAX(position), 0) + 1 FROM newsletters")
        .mapTo(Integer.class)
        .one();
  }

  long insert(
      Handle h,
      String slug,
      String name,
      String description,
      String tagSlug,
      String cadence,
      int position,
      long now) {
    return h.createUpdate(
            "INSERT INTO newsletters (slug, name, description, tag_slug, cadence, position, archived, created_at)"
                + " VALUES (:slug, :name, :d, :tag, :cadence, :p, :no, :now)")
        .bind("slug", slug)
        .bind("name", name)
        .bind("d", description)
        .bind("tag", tagSlug)
        .bind("cadence", cadence)
        .bind("p", position)
        .bind("no", false)
        .bind("now", now)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** Returns how many rows changed: 0 when there is no such newsletter. */
  int update(
      Handle h,
      long id,
      String name,
      String description,
      String tagSlug,
      String cadence,
      boolean archived) {
    return h.createUpdate(
            "UPDATE newsletters SET name = :name, description = :d, tag_slug = :tag,"
                + " cadence = :cadence, archived = :archived WHERE id = :id")
        .bind("name", name)
        .bind("d", description)
        .bind("tag", tagSlug)
        .bind("cadence", cadence)
        .bind("archived", archived)
        .bind("id", id)
        .execute();
  }
}
