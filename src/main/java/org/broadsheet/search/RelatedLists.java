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
public final class RelatedLists implements RelatedChoices {

  private final Jdbi jdbi;
  private final ChangeFeed changes;
  private final Clock clock;

  private final Audit audit;
  private final RelatedListStore store = new RelatedListStore();

  public RelatedLists(Jdbi jdbi, ChangeFeed changes, Clock clock, Audit audit) {
    this.jdbi = jdbi;
    this.changes = changes;
    this.clock = clock;
    this.audit = audit;
  }

  public void replace(long articleId, List<SearchIndex.Related> related) {
    replaceAll(java.util.Map.of(articleId, related));
  }

  /**
   * Every node writes the lists around each change it applies, so two nodes often write the same
   * lists at once, their rows in different orders (their indexes may rank a candidate differently
   * for a moment): on PostgreSQL each could then wait for a row the other holds, a deadlock. The
   * writers take one named lock first and write one after the other; each write is a few rows.
   */
  private static final String WRITING = "related-lists";

  /** Replaces several articles' lists in one transaction. */
  public void replaceAll(java.util.Map<Long, List<SearchIndex.Related>> lists) {
    jdbi.useTransaction(
        h -> {
          org.broadsheet.storage.Locks.exclusive(h, WRITING);
          for (var entry : lists.entrySet()) {
            store.replace(h, entry.getKey(), entry.getValue());
          }
        });
  }

  /** The stored candidates, the same-story ones, and the newsroom's pins and exclusions. */
  @Override
  public RelatedLinks links(long articleId) {
    return jdbi.withHandle(
        h -> {
          List<Long> ranked = new ArrayList<>();
          List<Long> story = new ArrayList<>();
          for (RelatedListStore.Candidate c : store.candidates(h, articleId)) {
            ranked.add(c.id());
            if (c.sameStory()) {
              story.add(c.id());
            }
          }
          List<Long> pinned = new ArrayList<>();
          Set<Long> excluded = new LinkedHashSet<>();
          for (Choice o : store.choices(h, articleId)) {
            (o.action() == Action.PIN ? pinned : excluded).add(o.otherId());
          }
          return new RelatedLinks(
              List.copyOf(story), List.copyOf(ranked), List.copyOf(pinned), Set.copyOf(excluded));
        });
  }

  /** The article's pins (in order) and exclusions. */
  @Override
  public List<Choice> choices(long articleId) {
    return jdbi.withHandle(h -> store.choices(h, articleId));
  }

  /**
   * Pins {@code otherId} into the article's More Articles (after earlier pins), excludes it from
   * both lists, or (with a null action) removes the editor's decision; with its change-feed row (so
   * every node's pages follow) and its audit line, in one transaction.
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
            if (!store.articleExists(h, id)) {
              throw new ValidationException(
                  java.util.Map.of("article", "There is no article with id " + id + "."));
            }
          }
          store.forgetChoice(h, articleId, otherId);
          if (action != null) {
            store.addChoice(h, articleId, otherId, action, clock.millis());
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
    return jdbi.withHandle(h -> store.listing(h, relatedId));
  }

  public void forget(long articleId) {
    jdbi.useTransaction(
        h -> {
          org.broadsheet.storage.Locks.exclusive(h, WRITING);
          store.forget(h, articleId);
        });
  }
}
