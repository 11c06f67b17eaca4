package org.broadsheet.live;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for live coverage. Stateless and thread-safe. */
final class LiveStore {

  /** When the story went live and ended (nulls when it never was), or empty without the story. */
  record State(Long since, Long until) {}

  Optional<State> state(Handle h, long articleId) {
    return h.createQuery("SELECT live_since, live_until FROM articles WHERE id = :id")
        .bind("id", articleId)
        .map(
            (rs, ctx) -> {
              long since = rs.getLong("live_since");
              Long s = rs.wasNull() ? null : since;
              long until = rs.getLong("live_until");
              Long u = rs.wasNull() ? null : until;
              return new State(s, u);
            })
        .findOne();
  }

  void start(Handle h, long articleId, Instant now) {
    h.createUpdate(
            "UPDATE articles SET live_since = COALESCE(live_since, :now), live_until = NULL"
                + " WHERE id = :id")
        .bind("now", now.toEpochMilli())
        .bind("id", articleId)
        .execute();
  }

  void close(Handle h, long articleId, Instant now) {
    h.createUpdate("UPDATE articles SET live_until = :now WHERE id = :id")
        .bind("now", now.toEpochMilli())
        .bind("id", articleId)
        .execute();
  }

  long insert(
      Handle h,
      long articleId,
      String headline,
      String markdown,
      String html,
      Long authorId,
      Long userId,
      Instant now) {
    return h.createUpdate(
            "INSERT INTO live_updates (article_id, headline, body_markdown, body_html, author_id,"
                + " created_by, created_at) VALUES (:a, :h, :m, :b, :au, :u, :now)")
        .bind("a", articleId)
        .bind("h", headline)
        .bind("m", markdown)
        .bind("b", html)
        .bind("au", authorId)
        .bind("u", userId)
        .bind("now", now.toEpochMilli())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** Sets an update's bylines, in order (none: the poster's byline alone). */
  void setAuthors(Handle h, long updateId, java.util.List<Long> authorIds) {
    h.createUpdate("DELETE FROM live_update_authors WHERE update_id = :u")
        .bind("u", updateId)
        .execute();
    int position = 0;
    for (long author : authorIds) {
      h.createUpdate(
              "INSERT INTO live_update_authors (update_id, author_id, position)"
                  + " VALUES (:u, :a, :p)")
          .bind("u", updateId)
          .bind("a", author)
          .bind("p", position++)
          .execute();
    }
  }

  /** Author ids with these slugs (unknown slugs are left out). */
  java.util.List<Long> authorIds(Handle h, java.util.List<String> slugs) {
    java.util.List<Long> ids = new java.util.ArrayList<>();
    for (String slug : slugs) {
      h.createQuery("SELECT id FROM authors WHERE slug = :s")
          .bind("s", slug)
          .mapTo(Long.class)
          .findOne()
          .ifPresent(ids::add);
    }
    return ids;
  }

  boolean edit(Handle h, long id, String headline, String markdown, String html, Instant now) {
    return h.createUpdate(
                "UPDATE live_updates SET headline = :h, body_markdown = :m, body_html = :b,"
                    + " edited_at = :now WHERE id = :id AND deleted_at IS NULL")
            .bind("h", headline)
            .bind("m", markdown)
            .bind("b", html)
            .bind("now", now.toEpochMilli())
            .bind("id", id)
            .execute()
        == 1;
  }

  boolean mark(Handle h, long id, String column, boolean value) {
    if (!column.equals("pinned") && !column.equals("key_event")) {
      throw new IllegalArgumentException(column);
    }
    return h.createUpdate(
                "UPDATE live_updates SET " + column + " = :v WHERE id = :id AND deleted_at IS NULL")
            .bind("v", value)
            .bind("id", id)
            .execute()
        == 1;
  }

  boolean delete(Handle h, long id, Instant now) {
    return h.createUpdate(
                "UPDATE live_updates SET deleted_at = :now, pinned = FALSE, key_event = FALSE"
                    + " WHERE id = :id AND deleted_at IS NULL")
            .bind("now", now.toEpochMilli())
            .bind("id", id)
            .execute()
        == 1;
  }

  /** The article an update belongs to (deleted or not). */
  Optional<Long> articleOf(Handle h, long updateId) {
    return h.createQuery("SELECT article_id FROM live_updates WHERE id = :id")
        .bind("id", updateId)
        .mapTo(Long.class)
        .findOne();
  }

  /** The story's updates that are not deleted, newest first. */
  List<LiveUpdate> updates(Handle h, long articleId) {
    return h.createQuery(
            "SELECT u.id, u.article_id, u.headline, u.body_markdown, u.body_html,"
                + " COALESCE((SELECT STRING_AGG(au.name, ' and ' ORDER BY la.position)"
                + " FROM live_update_authors la JOIN authors au ON au.id = la.author_id"
                + " WHERE la.update_id = u.id), a.name, '') AS author,"
                + " u.pinned, u.key_event, u.created_at,"
                + " u.edited_at FROM live_updates u LEFT JOIN authors a ON a.id = u.author_id"
                + " WHERE u.article_id = :id AND u.deleted_at IS NULL"
                + " ORDER BY u.created_at DESC, u.id DESC")
        .bind("id", articleId)
        .map(
            (rs, ctx) -> {
              long edited = rs.getLong("edited_at");
              Instant editedAt = rs.wasNull() ? null : Instant.ofEpochMilli(edited);
              return new LiveUpdate(
                  rs.getLong("id"),
                  rs.getLong("article_id"),
                  rs.getString("headline"),
                  rs.getString("body_markdown"),
                  rs.getString("body_html"),
                  rs.getString("author"),
                  rs.getBoolean("pinned"),
                  rs.getBoolean("key_event"),
                  Instant.ofEpochMilli(rs.getLong("created_at")),
                  editedAt);
            })
        .list();
  }
}
