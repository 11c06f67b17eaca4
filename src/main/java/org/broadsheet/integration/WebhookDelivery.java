package org.broadsheet.integration;

import java.time.Instant;
import java.util.List;

/**
 * One event for one endpoint, with its tries: pending (waiting for its next try), delivered, or
 * failed (every try failed). Immutable.
 */
public record WebhookDelivery(
    long id,
    long webhookId,
    String eventType,
    String payload,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Integer lastStatus,
    String lastError,
    Instant createdAt,
    Instant deliveredAt,
    List<Attempt> tries) {

  /** One try: when, the receiver's status code (or the error), how long it took. */
  public record Attempt(Instant at, Integer status, String error, int millis) {}

  /** The webhook-id header: the same for every try, so a receiver can drop repeats. */
  public String messageId() {
    return "msg_" + id;
  }
}
