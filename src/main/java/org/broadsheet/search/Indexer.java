package org.broadsheet.search;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
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
public final class Indexer implements org.broadsheet.support.Managed {

  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

  /** Candidates stored per article: enough for the story so far and for More Articles. */
  static final int RELATED = 10;

  private static final int BATCH = 500;

  /** Reports how far a rebuild has got (the command line shows a progress bar). */
  public interface Progress {
    void begin(String phase, long total);

    void step();

    void end();

    Progress NONE =
        new Progress() {
          @Override
          public void begin(String phase, long total) {}

          @Override
          public void step() {}

          @Override
          public void end() {}
        };
  }

  private SearchIndex index;
  private final ArticleService articles;
  private final RelatedLists related;
  private final ChangeFeed changes;
  private final Consumer<Set<Long>> relatedChanged;
  private final IndexGenerations generations;
  private final Function<Path, SearchIndex> opener;
  private int generation;

  /**
   * Follows the feed into the current generation of {@code generations} (opened with {@code opener}
   * when first needed, so a command that never searches never opens, or locks, the index); {@code
   * relatedChanged} hears which articles' lists were recomputed.
   */
  public Indexer(
      ArticleService articles,
      RelatedLists related,
      ChangeFeed changes,
      Consumer<Set<Long>> relatedChanged,
      IndexGenerations generations,
      Function<Path, SearchIndex> opener) {
    this(null, articles, related, changes, relatedChanged, generations, opener, -1);
  }

  private Indexer(
      SearchIndex index,
      ArticleService articles,
      RelatedLists related,
      ChangeFeed changes,
      Consumer<Set<Long>> relatedChanged,
      IndexGenerations generations,
      Function<Path, SearchIndex> opener,
      int generation) {
    this.index = index;
    this.articles = articles;
    this.related = related;
    this.changes = changes;
    this.relatedChanged = relatedChanged;
    this.generations = generations;
    this.opener = opener;
    this.generation = generation;
  }

  public RelatedLists relatedStore() {
    return related;
  }

  /**
   * Catches up with the feed (or rebuilds a missing index), then follows it from the last change
   * the index applied.
   */
  @Override
  public synchronized void start() {
    SearchIndex index = index();
    if (index.appliedChangeId() < 0) {
      rebuild();
    } else {
      catchUp(index).forEach(this::refreshRelatedAround);
    }
    if (generations != null) {
      generations.removeOlderThan(generation);
    }
    changes.follow("search index", this::onChange, index.appliedChangeId());
  }

  /** The index searches read, opened on first use. */
  public synchronized SearchIndex index() {
    if (index == null) {
      generation = generations.current();
      index = opener.apply(generations.dir(generation));
    }
    return index;
  }

  /**
   * Closes the index if it was opened. Nothing else runs on its own: changes arrive from the feed's
   * thread or a writer's.
   */
  @Override
  public synchronized void stop() {
    if (index != null) {
      index.close();
      index = null;
    }
  }

  @Override
  public String name() {
    return "search indexer";
  }

  /** Applies the changes the target has not seen yet; returns the articles they touched. */
  private Set<Long> catchUp(SearchIndex target) {
    long applied = target.appliedChangeId();
    long latest = changes.latestId();
    Set<Long> touched = new LinkedHashSet<>();
    for (Change change : changes.since(applied, Integer.MAX_VALUE)) {
      if (change.is(Change.Entity.ARTICLE)) {
        touched.add(change.entityId());
      }
    }
    touched.forEach(id -> reindex(target, id));
    target.commit(latest);
    return touched;
  }

  /** Rebuilds the index and every stored list from the database, in place. */
  public synchronized int rebuild() {
    int count = build(index(), Progress.NONE);
    relatedChanged.accept(new LinkedHashSet<>(articles.publishedIds()));
    LOG.info("Search index rebuilt: {} articles", count);
    return count;
  }

  /**
   * Fills {@code target} from scratch with every published article, then computes and stores every
   * article's related list (on all cores, in batches).
   */
  private int build(SearchIndex target, Progress progress) {
    long latest = changes.latestId();
    target.clear();
    List<Long> ids = articles.publishedIds();
    progress.begin("Indexing", ids.size());
    for (Long id : ids) {
      reindex(target, id);
      progress.step();
    }
    target.commit(latest);
    progress.end();
    progress.begin("More Articles", ids.size());
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      List<java.util.concurrent.Future<?>> batches = new java.util.ArrayList<>();
      for (int from = 0; from < ids.size(); from += BATCH) {
        List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
        batches.add(
            pool.submit(
                () -> {
                  java.util.Map<Long, List<SearchIndex.Related>> lists =
                      new java.util.LinkedHashMap<>();
                  for (Long id : batch) {
                    lists.put(id, target.related(id, RELATED));
                    progress.step();
                  }
                  related.replaceAll(lists);
                }));
      }
      for (var batch : batches) {
        batch.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while computing More Articles", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("Computing More Articles failed", e.getCause());
    }
    progress.end();
    return ids.size();
  }

  /**
   * {@code broadsheet reindex}: builds the next generation beside the one serving (which keeps
   * answering searches meanwhile), then makes it current; running nodes take it over within
   * seconds. Returns the number of articles indexed.
   */
  public static int rebuildNextGeneration(
      IndexGenerations generations,
      Function<Path, SearchIndex> opener,
      ArticleService articles,
      RelatedLists related,
      ChangeFeed changes,
      Progress progress) {
    int next = generations.next();
    int count;
    try (SearchIndex fresh = opener.apply(generations.dir(next))) {
      count =
          new Indexer(fresh, articles, related, changes, ids -> {}, generations, opener, next)
              .build(fresh, progress);
    } catch (RuntimeException e) {
      generations.remove(next);
      throw e;
    }
    generations.makeCurrent(next);
    return count;
  }

  /**
   * Takes over a generation that {@code broadsheet reindex} built, once {@code current} names it:
   * catches it up with the feed, swaps it in and deletes the old one. Returns whether it switched.
   */
  public synchronized boolean followGeneration() {
    if (generations == null || index == null) {
      return false;
    }
    int current = generations.current();
    if (current == generation) {
      return false;
    }
    SearchIndex fresh = opener.apply(generations.dir(current));
    if (fresh.appliedChangeId() < 0) {
      build(fresh, Progress.NONE);
    } else {
      catchUp(fresh);
    }
    index.adopt(fresh);
    generation = current;
    generations.removeOlderThan(current);
    relatedChanged.accept(new LinkedHashSet<>(articles.publishedIds()));
    LOG.info("Search switched to the rebuilt index gen-{}", current);
    return true;
  }

  /** Applies one change; a failure is thrown so the feed retries it (and a restart catches up). */
  synchronized void onChange(Change change) {
    if (!change.is(Change.Entity.ARTICLE)) {
      return;
    }
    reindex(index(), change.entityId());
    index().commit(change.id());
    refreshRelatedAround(change.entityId());
  }

  private void reindex(SearchIndex target, long articleId) {
    articles
        .byId(articleId)
        .filter(Article::isPublic)
        .ifPresentOrElse(a -> target.put(toIndexed(a)), () -> target.remove(articleId));
  }

  /**
   * Recomputes the article's list and the lists it was or now is on. Each list is written on its
   * own; the pages showing any of them are evicted even when one write failed, and the first
   * failure is then thrown so the feed retries the change.
   */
  private void refreshRelatedAround(long articleId) {
    Set<Long> affected = new LinkedHashSet<>();
    affected.add(articleId);
    RuntimeException failure = null;
    try {
      affected.addAll(related.listing(articleId));
      boolean published = articles.byId(articleId).map(Article::isPublic).orElse(false);
      if (published) {
        List<SearchIndex.Related> own = index().related(articleId, RELATED);
        related.replace(articleId, own);
        own.forEach(r -> affected.add(r.id()));
      } else {
        related.forget(articleId);
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Long other : affected) {
      if (other != articleId) {
        try {
          related.replace(other, index().related(other, RELATED));
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
    }
    relatedChanged.accept(affected);
    if (failure != null) {
      throw failure;
    }
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
