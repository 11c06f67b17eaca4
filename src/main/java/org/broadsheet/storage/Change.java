package org.broadsheet.storage;

import java.time.Instant;
import java.util.Locale;

/**
 * One row of the change feed: something happened to one entity. Ids grow monotonically, so a
 * follower that remembers the last id it applied can always catch up. Entities and kinds are closed
 * sets: a writer records one of them, a follower switches over them.
 *
 * @param id position in the feed
 * @param entity what kind of thing changed
 * @param entityId the changed thing's id (0 for site-wide settings)
 * @param kind what happened
 * @param at when it was recorded
 */
public record Change(long id, Entity entity, long entityId, Kind kind, Instant at) {

  /** What changed. */
  public enum Entity {
    ARTICLE,
    SECTION,
    AUTHOR,
    COMMENT,
    /** Site-wide: settings, or something every page shows (bylines, tag names). */
    SETTINGS,
    /** The human check's signing key (rotated). */
    HUMAN_CHECK_KEY,
    /** A newsletter subscriber (confirmed, unsubscribed): for webhooks, no page shows them. */
    SUBSCRIBER,
    /** One update of a live story (posted); the story's pages follow its ARTICLE/LIVE change. */
    LIVE_UPDATE,
    /** Written by a newer version of Broadsheet on another node. */
    UNKNOWN;

    public String dbValue() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Entity fromDb(String value) {
      for (Entity e : values()) {
        if (e.dbValue().equals(value)) {
          return e;
        }
      }
      return UNKNOWN;
    }
  }

  /** What happened to it. */
  public enum Kind {
    CREATED,
    UPDATED,
    PUBLISHED,
    UNPUBLISHED,
    CORRECTED,
    ERASED,
    REVIEW,
    RELATED,
    COMMENTS_CLOSED,
    COMMENTS_OPENED,
    COMMENTS_ERASED,
    BYLINE,
    TAG,
    APPROVED,
    PENDING,
    SPAM,
    TRASH,
    ROTATED,
    /** A front's lead and featured stories were arranged (entity id 0: the home page). */
    FRONT,
    /** The cards of the links an article embeds were fetched: its pages show them now. */
    EMBEDS,
    /** Its live coverage changed: started, closed, or an update posted, edited or deleted. */
    LIVE,
    /** A subscriber confirmed their subscription. */
    CONFIRMED,
    /** A subscriber left (every newsletter). */
    UNSUBSCRIBED,
    /** Written by a newer version of Broadsheet on another node. */
    UNKNOWN;

    public String dbValue() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Kind fromDb(String value) {
      for (Kind k : values()) {
        if (k.dbValue().equals(value)) {
          return k;
        }
      }
      return UNKNOWN;
    }
  }

  /** Whether this is a change to that kind of entity. */
  public boolean is(Entity what) {
    return entity == what;
  }
}
