package org.broadsheet.live;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.Markdown;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Live coverage of a story: switching it to live, posting, editing, pinning, marking as key events
 * and deleting its updates, and closing it (it stays an ordinary story with its updates). Bodies go
 * through the same sanitizer as articles; every write is one transaction with its audit line and a
 * change on the feed, so every node's page cache drops the story's pages. Who may do what is
 * checked by the caller (the newsroom's routes). Thread-safe.
 */
public final class LiveCoverage {

  static final int HEADLINE_MAX = 200;
  static final int BODY_MAX = 50_000;

  private final Jdbi jdbi;
  private final ChangeFeed changes;
  private final Markdown markdown;
  private final Audit audit;
  private final Clock clock;
  private final LiveStore store = new LiveStore();
  private final KeyEvents keyEvents;

  /** Told when an update is marked as a key event (the newsletters mail it), after commit. */
  public interface KeyEvents {
    void marked(long articleId, LiveUpdate update);
  }

  public LiveCoverage(Jdbi jdbi, ChangeFeed changes, Markdown markdown, Audit audit, Clock clock) {
    this(jdbi, changes, markdown, audit, clock, (a, u) -> {});
  }

  public LiveCoverage(
      Jdbi jdbi,
      ChangeFeed changes,
      Markdown markdown,
      Audit audit,
      Clock clock,
      KeyEvents keyEvents) {
    this.keyEvents = keyEvents;
    this.jdbi = jdbi;
    this.changes = changes;
    this.markdown = markdown;
    this.audit = audit;
    this.clock = clock;
  }

  /** The story's coverage, if it ever went live. */
  public Optional<LiveStream> stream(long articleId) {
    return jdbi.withHandle(
        h ->
            store
                .state(h, articleId)
                .filter(s -> s.since() != null)
                .map(
                    s ->
                        new LiveStream(
                            articleId,
                            Instant.ofEpochMilli(s.since()),
                            s.until() == null ? null : Instant.ofEpochMilli(s.until()),
                            store.updates(h, articleId))));
  }

  /** Switches the story to live (again, if it was closed). */
  public void start(long articleId, Actor actor) {
    write(
        articleId,
        actor,
        "live.start",
        "",
        h -> {
          store.start(h, articleId, clock.instant());
          return true;
        });
  }

  /** Ends the coverage: the story stays, with its updates, as an ordinary story. */
  public void close(long articleId, Actor actor) {
    write(
        articleId,
        actor,
        "live.close",
        "",
        h -> {
          requireLive(h, articleId);
          store.close(h, articleId, clock.instant());
          return true;
        });
  }

  /** Posts an update under the member's byline; returns its id. */
  public long post(long articleId, String headline, String body, Actor actor) {
    return post(articleId, headline, body, java.util.List.of(), actor);
  }

  /**
   * Posts an update under these bylines (author slugs, in order; none: the member's own); returns
   * its id. Which bylines the member may give is checked by the caller.
   */
  public long post(
      long articleId, String headline, String body, java.util.List<String> bylines, Actor actor) {
    String h1 = cleanHeadline(headline);
    String text = cleanBody(body);
    long[] id = new long[1];
    write(
        articleId,
        actor,
        "live.post",
        h1,
        h -> {
          requireRunning(h, articleId);
          id[0] =
              store.insert(
                  h,
                  articleId,
                  h1,
                  text,
                  markdown.toSafeHtml(text),
                  actor.user() == null ? null : actor.user().authorId(),
                  actor.userId(),
                  clock.instant());
          if (!bylines.isEmpty()) {
            java.util.List<Long> authors = store.authorIds(h, bylines);
            if (authors.size() != bylines.size()) {
              throw new ValidationException(
                  Map.of("updateAuthors", "One of the bylines does not exist any more."));
            }
            store.setAuthors(h, id[0], authors);
          }
          changes.record(h, Change.Entity.LIVE_UPDATE, id[0], Change.Kind.CREATED);
          return true;
        });
    return id[0];
  }

  /** Edits an update (marked as edited on the page). */
  public void edit(long updateId, String headline, String body, Actor actor) {
    String h1 = cleanHeadline(headline);
    String text = cleanBody(body);
    long articleId = articleOf(updateId);
    write(
        articleId,
        actor,
        "live.edit",
        "update:" + updateId,
        h -> store.edit(h, updateId, h1, text, markdown.toSafeHtml(text), clock.instant()));
  }

  public void pin(long updateId, boolean pinned, Actor actor) {
    long articleId = articleOf(updateId);
    write(
        articleId,
        actor,
        pinned ? "live.pin" : "live.unpin",
        "update:" + updateId,
        h -> store.mark(h, updateId, "pinned", pinned));
  }

  public void keyEvent(long updateId, boolean key, Actor actor) {
    long articleId = articleOf(updateId);
    write(
        articleId,
        actor,
        key ? "live.key-event" : "live.not-key-event",
        "update:" + updateId,
        h -> store.mark(h, updateId, "key_event", key));
    if (key) {
      jdbi.withHandle(h -> store.updates(h, articleId)).stream()
          .filter(u -> u.id() == updateId)
          .findFirst()
          .ifPresent(u -> keyEvents.marked(articleId, u));
    }
  }

  public void delete(long updateId, Actor actor) {
    long articleId = articleOf(updateId);
    write(
        articleId,
        actor,
        "live.delete",
        "update:" + updateId,
        h -> store.delete(h, updateId, clock.instant()));
  }

  /** The story an update belongs to. */
  public long articleOf(long updateId) {
    return jdbi.withHandle(h -> store.articleOf(h, updateId))
        .orElseThrow(() -> new ValidationException(Map.of("update", "There is no such update.")));
  }

  private interface Work {
    boolean run(Handle h);
  }

  private void write(long articleId, Actor actor, String action, String detail, Work work) {
    jdbi.useTransaction(
        h -> {
          if (store.state(h, articleId).isEmpty()) {
            throw new ValidationException(Map.of("article", "There is no such story."));
          }
          if (!work.run(h)) {
            throw new ValidationException(
                Map.of("update", "That update was deleted meanwhile; reload the page."));
          }
          audit.record(h, actor, action, "article:" + articleId, detail);
          changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.LIVE);
        });
    changes.pump();
  }

  private void requireLive(Handle h, long articleId) {
    if (store.state(h, articleId).map(LiveStore.State::since).isEmpty()) {
      throw new ValidationException(Map.of("article", "This story is not live."));
    }
  }

  private void requireRunning(Handle h, long articleId) {
    LiveStore.State state = store.state(h, articleId).orElseThrow();
    if (state.since() == null || state.until() != null) {
      throw new ValidationException(
          Map.of("body", "This story is not live: switch it to live to post updates."));
    }
  }

  private static String cleanHeadline(String headline) {
    String h = headline == null ? "" : headline.strip();
    if (h.length() > HEADLINE_MAX || h.chars().anyMatch(Character::isISOControl)) {
      throw new ValidationException(
          Map.of("headline", "Keep the update's headline to one line of up to 200 characters."));
    }
    return h;
  }

  private static String cleanBody(String body) {
    String b = body == null ? "" : body.strip();
    if (b.isEmpty()) {
      throw new ValidationException(Map.of("body", "Write the update first."));
    }
    if (b.length() > BODY_MAX) {
      throw new ValidationException(
          Map.of("body", "Keep an update under 50,000 characters; split it in two."));
    }
    return b;
  }
}
