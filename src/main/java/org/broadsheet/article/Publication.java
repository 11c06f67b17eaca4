package org.broadsheet.article;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The publication rules: which status and publication time a save gives an article, from the button
 * pressed, the article as it is, the time typed for scheduling and whether the member may publish.
 * A pure function of its arguments, so every rule is tested on its own. Stateless.
 */
public final class Publication {

  /** What the editor's buttons ask for. */
  public enum Action {
    /** Keep the status (a draft stays a draft, a published article stays live). */
    SAVE,
    /** Send a draft to an editor. */
    REVIEW,
    PUBLISH,
    SCHEDULE,
    /** A scheduled story back to draft: it will not publish by itself. */
    UNSCHEDULE,
    UNPUBLISH;

    /** The form's spelling ({@code publish}), or null for anything else. */
    public static Action parse(String value) {
      if (value == null) {
        return null;
      }
      for (Action action : values()) {
        if (action.name().toLowerCase(Locale.ROOT).equals(value)) {
          return action;
        }
      }
      return null;
    }

    /** Whether only members who may publish can press it. */
    public boolean publishes() {
      return this != SAVE && this != REVIEW;
    }
  }

  /**
   * The outcome: the status, the publication time (null: now if published, none otherwise) and
   * whether the article waits for review (null: unchanged).
   */
  public record Decision(ArticleStatus status, Instant publishedAt, Boolean inReview) {}

  /** A member pressed a button their role does not have. */
  public static final class NotAllowed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAllowed(String message) {
      super(message);
    }
  }

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  private Publication() {}

  /**
   * Decides a save. {@code current} is the article as stored (null for a new one); {@code
   * publishAt} the time typed, read in {@code zone}. Throws {@link NotAllowed} for a button the
   * member may not press, or a {@link org.broadsheet.support.ValidationException} for a time that
   * cannot be read.
   */
  public static Decision decide(
      Action action, Article current, String publishAt, ZoneId zone, boolean mayPublish) {
    if (action.publishes() && !mayPublish) {
      throw new NotAllowed("Contributors send articles for review; an editor publishes them.");
    }
    ArticleStatus now = current == null ? null : current.status();
    Instant live = current == null ? null : current.publishedAt();
    return switch (action) {
      case PUBLISH ->
          new Decision(
              ArticleStatus.PUBLISHED, current != null && current.isPublic() ? live : null, false);
      case SCHEDULE -> new Decision(ArticleStatus.SCHEDULED, parse(publishAt, zone), false);
      case UNPUBLISH -> new Decision(ArticleStatus.UNPUBLISHED, null, false);
      case UNSCHEDULE -> new Decision(ArticleStatus.DRAFT, null, null);
      case SAVE, REVIEW -> {
        ArticleStatus kept = now == null || now == ArticleStatus.DRAFT ? ArticleStatus.DRAFT : now;
        Instant time =
            now == ArticleStatus.SCHEDULED || now == ArticleStatus.PUBLISHED ? live : null;
        Boolean review = action == Action.REVIEW && kept == ArticleStatus.DRAFT ? true : null;
        yield new Decision(kept, time, review);
      }
    };
  }

  private static Instant parse(String publishAt, ZoneId zone) {
    try {
      LocalDateTime local = LocalDateTime.parse(publishAt == null ? "" : publishAt.strip(), LOCAL);
      if (local.getYear() < 1900 || local.getYear() > 9999) {
        throw new DateTimeParseException("out of range", publishAt, 0);
      }
      return local.atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new org.broadsheet.support.ValidationException(
          Map.of(
              "publishAt",
              "Give the date and time to publish, for example 2026-12-01T07:30 ("
                  + zone.getId()
                  + ")."));
    }
  }

  /** How a scheduled time is shown in the editor's field, in the site's time zone. */
  public static String local(Instant at, ZoneId zone) {
    return LOCAL.format(at.atZone(zone));
  }
}
