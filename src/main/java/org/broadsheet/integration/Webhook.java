package org.broadsheet.integration;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An endpoint that is told when something happens: its address, the events it wants, the secret its
 * deliveries are signed with, and whether it was turned off after deliveries kept failing.
 * Immutable.
 *
 * @param failures deliveries in a row that failed every try
 */
public record Webhook(
    long id,
    String name,
    String url,
    Set<String> events,
    String secret,
    Instant createdAt,
    int failures,
    Instant disabledAt,
    String disabledReason) {

  /** Every event an endpoint can ask for, with what it means. */
  public static final List<Event> EVENTS =
      List.of(
          new Event("article.published", "a story went live"),
          new Event("article.updated", "a live story was changed"),
          new Event("article.unpublished", "a story was taken off the site"),
          new Event("comment.held", "a comment waits for a moderator"),
          new Event("comment.approved", "a comment was approved"),
          new Event("subscriber.confirmed", "a reader confirmed a newsletter subscription"),
          new Event("subscriber.unsubscribed", "a reader unsubscribed"),
          new Event("live.update_posted", "an update was posted to a live story"));

  /** One kind of event. */
  public record Event(String type, String meaning) {}

  public boolean enabled() {
    return disabledAt == null;
  }

  public boolean wants(String type) {
    return events.contains(type) || "ping".equals(type);
  }
}
