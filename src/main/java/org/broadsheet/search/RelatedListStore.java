package org.broadsheet.search;

import java.util.List;
import java.util.Locale;
import org.broadsheet.article.RelatedChoices;
import org.jdbi.v3.core.Handle;

/**
 * SQL for More Articles: each article's ranked candidates (with the same-story ones marked) and the
 * newsroom's pins and exclusions. Every method takes the caller's handle. Stateless, thread-safe.
 */
final class RelatedListStore {

  /** One stored candidate, in rank order. */
  record Candidate(long id, boolean sameStory) {}

  /**
   * Makes the stored list exactly {@code related}: rows no longer in it are deleted, the rest are
   * written with an upsert. Every node computes the same lists from the same changes, so two nodes
   * writing one article's list at once both succeed and leave it whole (a delete-then-insert made
   * the slower one fail on a duplicate key).
   */
  void replace(Handle h, long articleId, List<SearchIndex.Related> related) {
    h.createUpdate(
            "DELETE FROM related_articles WHERE article_id = :a AND related_id NOT IN (<keep>)")
        .bind("a", articleId)
        .bindList(
            "keep",
            related.isEmpty()
                ? List.of(-1L)
                : related.stream().map(SearchIndex.Related::id).toList())
        .execute();
    var upsert =
        h.prepareBatch(
            "INSERT INTO related_articles (article_id, related_id, rank, score, same_story)"
                + " VALUES (:a, :r, :rank, :s, :story)"
                + " ON CONFLICT (article_id, related_id) DO UPDATE SET rank = excluded.rank,"
                + " score = excluded.score, same_story = excluded.same_story");
    int rank = 0;
    for (SearchIndex.Related r : related) {
      upsert
          .bind("a", articleId)
          .bind("r", r.id())
          .bind("rank", rank++)
          .bind("s", r.score())
          .bind("story", r.sameStory())
          .add();
    }
    if (rank > 0) {
      upsert.execute();
    }
  }

  List<Candidate> candidates(Handle h, long articleId) {
    return h.createQuery(
            "SELECT related_id, same_story FROM related_articles WHERE article_id = :a"
                + " ORDER BY rank")
        .bind("a", articleId)
        .map((rs, ctx) -> new Candidate(rs.getLong(1), rs.getBoolean(2)))
        .list();
  }

  List<RelatedChoices.Choice> choices(Handle h, long articleId) {
    return h.createQuery(
            "SELECT other_id, action FROM related_overrides WHERE article_id = :a"
                + " ORDER BY position, other_id")
        .bind("a", articleId)
        .map(
            (rs, ctx) ->
                new RelatedChoices.Choice(
                    rs.getLong(1),
                    RelatedChoices.Action.valueOf(rs.getString(2).toUpperCase(Locale.ROOT))))
        .list();
  }

  boolean articleExists(Handle h, long id) {
    return h.createQuery("SELECT COUNT(*) FROM articles WHERE id = :id")
            .bind("id", id)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  void forgetChoice(Handle h, long articleId, long otherId) {
    h.createUpdate("DELETE FROM related_overrides WHERE article_id = :a AND other_id = :o")
        .bind("a", articleId)
        .bind("o", otherId)
        .execute();
  }

  void addChoice(
      Handle h, long articleId, long otherId, RelatedChoices.Action action, long createdAt) {
    int position =
        h.createQuery(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM related_overrides"
                    + " WHERE article_id = :a")
            .bind("a", articleId)
            .mapTo(Integer.class)
            .one();
    h.createUpdate(
            "INSERT INTO related_overrides (article_id, other_id, action, position, created_at)"
                + " VALUES (:a, :o, :action, :p, :at)")
        .bind("a", articleId)
        .bind("o", otherId)
        .bind("action", action.name().toLowerCase(Locale.ROOT))
        .bind("p", position)
        .bind("at", createdAt)
        .execute();
  }

  List<Long> listing(Handle h, long relatedId) {
    return h.createQuery("SELECT article_id FROM related_articles WHERE related_id = :r")
        .bind("r", relatedId)
        .mapTo(Long.class)
        .list();
  }

  void forget(Handle h, long articleId) {
    h.createUpdate("DELETE FROM related_articles WHERE article_id = :a OR related_id = :a")
        .bind("a", articleId)
        .execute();
  }
}
