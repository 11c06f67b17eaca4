package org.broadsheet.search;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleService;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.jsoup.Jsoup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the search index and the stored "More Articles" in step with the database by following the
 * change feed. The index remembers the last change it applied, so after a crash or downtime it
 * catches up; an index that is missing is rebuilt from the database. Thread-safe (changes arrive
 * one at a time from the feed).
 */
public final class Indexer {

  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);
  static final int RELATED = 4;

  private final SearchIndex index;
  private final ArticleService articles;
  private final RelatedStore related;
  private final ChangeFeed changes;
  private final Consumer<Set<Long>> relatedChanged;

  public Indexer(
      SearchIndex index,
      ArticleService articles,
      RelatedStore related,
      ChangeFeed changes,
      Consumer<Set<Long>> relatedChanged) {
    this.index = index;
    this.articles = articles;
    this.related = related;
    this.changes = changes;
    this.relatedChanged = relatedChanged;
  }

  /** Catches up with the feed (or rebuilds a missing index), then follows it. */
  public void start() {
    long applied = index.appliedChangeId();
    if (applied < 0) {
      rebuild();
    } else {
      long latest = changes.latestId();
      Set<Long> touched = new LinkedHashSet<>();
      for (Change change : changes.since(applied, Integer.MAX_VALUE)) {
        if (change.entity().equals("article")) {
          touched.add(change.entityId());
        }
      }
      touched.forEach(this::reindex);
      index.commit(latest);
      touched.forEach(this::refreshRelatedAround);
    }
    changes.subscribe(this::onChange);
  }

  /** Rebuilds the index and every stored list from the database. */
  public int rebuild() {
    long latest = changes.latestId();
    index.clear();
    List<Long> ids = articles.publishedIds();
    ids.forEach(this::reindex);
    index.commit(latest);
    for (Long id : ids) {
      related.replace(id, index.related(id, RELATED));
    }
    relatedChanged.accept(new LinkedHashSet<>(ids));
    LOG.info("Search index rebuilt: {} articles", ids.size());
    return ids.size();
  }

  void onChange(Change change) {
    if (!change.entity().equals("article")) {
      return;
    }
    try {
      reindex(change.entityId());
      index.commit(change.id());
      refreshRelatedAround(change.entityId());
    } catch (RuntimeException e) {
      LOG.error("Indexing article {} failed; the next start catches up", change.entityId(), e);
    }
  }

  private void reindex(long articleId) {
    articles
        .byId(articleId)
        .filter(Article::isPublic)
        .ifPresentOrElse(a -> index.put(toIndexed(a)), () -> index.remove(articleId));
  }

  /** Recomputes the article's list and the lists it was or now is on. */
  private void refreshRelatedAround(long articleId) {
    Set<Long> affected = new LinkedHashSet<>();
    affected.add(articleId);
    affected.addAll(related.listing(articleId));
    boolean published = articles.byId(articleId).map(Article::isPublic).orElse(false);
    if (published) {
      List<SearchIndex.Related> own = index.related(articleId, RELATED);
      related.replace(articleId, own);
      own.forEach(r -> affected.add(r.id()));
    } else {
      related.forget(articleId);
    }
    for (Long other : affected) {
      if (other != articleId) {
        related.replace(other, index.related(other, RELATED));
      }
    }
    relatedChanged.accept(affected);
  }

  static IndexedArticle toIndexed(Article a) {
    return new IndexedArticle(
        a.id(),
        a.slug(),
        a.headline(),
        a.deck(),
        Jsoup.parse(a.bodyHtml()).text(),
        a.section().slug(),
        a.authors().stream().map(author -> author.slug()).toList(),
        a.tags().stream().map(tag -> tag.name()).toList(),
        a.publishedAt());
  }
}
