package org.broadsheet.search;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The stored "More Articles" of each article, in rank order. Thread-safe. */
public final class RelatedStore {

  private final Jdbi jdbi;

  public RelatedStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void replace(long articleId, List<SearchIndex.Related> related) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM related_articles WHERE article_id = :a")
              .bind("a", articleId)
              .execute();
          int rank = 0;
          for (SearchIndex.Related r : related) {
            h.createUpdate(
                    "INSERT INTO related_articles (article_id, related_id, rank, score) VALUES (:a, :r, :rank, :s)")
                .bind("a", articleId)
                .bind("r", r.id())
                .bind("rank", rank++)
                .bind("s", r.score())
                .execute();
          }
        });
  }

  public List<Long> relatedTo(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT related_id FROM related_articles WHERE article_id = :a ORDER BY rank")
                .bind("a", articleId)
                .mapTo(Long.class)
                .list());
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
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM related_articles WHERE article_id = :a OR related_id = :a")
                .bind("a", articleId)
                .execute());
  }
}
