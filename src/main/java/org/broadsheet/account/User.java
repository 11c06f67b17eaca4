package org.broadsheet.account;

import java.time.Instant;

/** A newsroom member. {@code authorId} links to their public author profile, if any. */
public record User(
    long id,
    String email,
    String name,
    Role role,
    Long authorId,
    boolean active,
    Instant createdAt,
    Instant sessionsValidAfter) {

  public boolean can(Role.Permission permission) {
    return active && role.can(permission);
  }
}
