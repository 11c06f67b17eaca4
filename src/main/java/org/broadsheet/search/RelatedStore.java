package org.broadsheet.search;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.article.RelatedChoices;
import org.broadsheet.article.RelatedLinks;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Jdbi;

/**
 * The stored "More Articles" candidates of each article in rank order (with the same-story ones
 * marked), and the newsroom's pins and exclusions. Thread-safe.
 */
public final class RelatedStore implements RelatedChoices {

  private final Jdbi jdbi;
  private final ChangeFeed changes;
  private final Clock clock;

  private final Audit audit;

  public RelatedStore(Jdbi jdbi, ChangeFeed changes, Clock clock, Audit audit) {
    this.jdbi = jdbi;
    this.changes = changes;
    this.clock = clock;
    this.audit = audit;
  }

  public void replace(long articleId, List<SearchIndex.Related> related) {
    replaceAll(java.util.Map.of(articleId, related));
  }

  /** Replaces several articles' lists in one transaction. */
  public void replaceAll(java.util.Map<Long, List<SearchIndex.Related>> lists) {
    jdbi.useTransaction(
        h -> {
          for (var entry : lists.entrySet()) {
            replace(h, entry.getKey(), entry.getValue());
          }
        });
  }

  private static void replace(
      org.jdbi.v3.core.Handle h, long articleId, List<SearchIndex.Related> related) {
    h.createUpdate("DELETE FROM related_articles WHERE article_id = :a")
        .bind("a", articleId)
        .execute();
    var insert =
        h.prepareBatch(
            "INSERT INTO related_articles (article_id, related_id, rank, score, same_story)"
                + " VALUES (:a, :r, :rank, :s, :story)");
    int rank = 0;
    for (SearchIndex.Related r : related) {
      insert
          .bind("a", articleId)
          .bind("r", r.id())
          .bind("rank", rank++)
          .bind("s", r.score())
          .bind("story", r.sameStory())
          .add();
    }
    if (rank > 0) {
      insert.execute();
    }
  }

  /** The stored candidates, the same-story ones, and the newsroom's pins and exclusions. */
  @Override
  public RelatedLinks links(long articleId) {
    return jdbi.withHandle(
        h -> {
          List<Long> ranked = new ArrayList<>();
          List<Long> story = new ArrayList<>();
          h.createQuery(
                  "SELECT related_id, same_story FROM related_articles WHERE article_id = :a"
                      + " ORDER BY rank")
              .bind("a", articleId)
              .map(
                  (rs, ctx) -> {
                    long id = rs.getLong(1);
                    ranked.add(id);
                    if (rs.getBoolean(2)) {
                      story.add(id);
                    }
                    return id;
                  })
              .list();
          List<Long> pinned = new ArrayList<>();
          Set<Long> excluded = new LinkedHashSet<>();
          for (Choice o : choices(h, articleId)) {
            (o.action() == Action.PIN ? pinned : excluded).add(o.otherId());
          }
          return new RelatedLinks(
              List.copyOf(story), List.copyOf(ranked), List.copyOf(pinned), Set.copyOf(excluded));
        });
  }

  /** The article's pins (in order) and exclusions. */
  @Override
  public List<Choice> choices(long articleId) {
    return jdbi.withHandle(h -> choices(h, articleId));
  }

  private static List<Choice> choices(org.jdbi.v3.core.Handle h, long articleId) {
    return h.createQuery(
            "SELECT other_id, action FROM related_overrides WHERE article_id = :a"
                + " ORDER BY position, other_id")
        .bind("a", articleId)
        .map(
            (rs, ctx) ->
                new Choice(
                    rs.getLong(1),
                    Action.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT))))
        .list();
  }

  /**
   * Pins {@code otherId} into the article's More Articles (after earlier pins), excludes it from
   * both lists, or (with a null action) removes the editor's decision. Recorded in the change feed
   * so every node's pages follow.
   */
  @Override
  public void decide(long articleId, long otherId, Action action, Actor actor) {
    if (articleId == otherId) {
      throw new ValidationException(
          java.util.Map.of("other", "An article cannot be pinned to or excluded from itself."));
    }
    jdbi.useTransaction(
        h -> {
          for (long id : new long[] {articleId, otherId}) {
            if (h.createQuery("SELECT COUNT(*) FROM articles WHERE id = :id")
                    .bind("id", id)
                    .mapTo(Integer.class)
                    .one()
                == 0) {
              throw new ValidationException(
                  java.util.Map.of("article", "There is no article with id " + id + "."));
            }
          }
          h.createUpdate("DELETE FROM related_overrides WHERE article_id = :a AND other_id = :o")
              .bind("a", articleId)
              .bind("o", otherId)
              .execute();
          if (action != null) {
            int position =
                h.createQuery(
                        "SELECT COALESCE(MAX(position), 0) + 1 FROM related_overrides"
                            + " WHERE article_id = :a")
                    .bind("a", articleId)
                    .mapTo(Integer.class)
                    .one();
            h.createUpdate(
                    "INSERT INTO related_overrides (article_id, other_id, action, position,"
                        + " created_at) VALUES (:a, :o, :action, :p, :at)")
                .bind("a", articleId)
                .bind("o", otherId)
                .bind("action", action.name().toLowerCase(java.util.Locale.ROOT))
                .bind("p", position)
                .bind("at", clock.millis())
                .execute();
          }
          changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.RELATED);
          audit.record(
              h,
              actor,
              "article.related-"
                  + (action == null ? "reset" : action.name().toLowerCase(java.util.Locale.ROOT)),
              "article:" + articleId,
              "other=" + otherId);
        });
    changes.pump();
  }

  /** Articles whose lists contain the given one. */
  public List<Long> listing(long relatedId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT article_id FROM related_articles WHERE related_id = :r")
                .bind("r", relatedId)
                .mapTo(Long.class)
                .list());
  }

  public void forget(long articleId) {
    jdbi.useTransaction(
        h ->
            h.createUpdate("DELETE FROM related_articles WHERE article_id = :a OR related_id = :a")
                .bind("a", articleId)
                .execute());
  }
}
