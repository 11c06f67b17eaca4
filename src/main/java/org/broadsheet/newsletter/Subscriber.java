package org.broadsheet.newsletter;

import java.time.Instant;

/** A newsletter subscriber and where they are in the double opt-in. */
public record Subscriber(
    long id,
    String email,
    String name,
    String status,
    String frequency,
    Instant createdAt,
    Instant confirmedAt) {

  public boolean confirmed() {
    return status.equals("confirmed");
  }
}
