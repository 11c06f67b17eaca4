package org.broadsheet.account;

import java.time.Instant;
import java.util.Set;

/**
 * An integration's key to the Admin API: a name people recognise ("Wire importer"), the permissions
 * it is limited to (never more than its owner's role allows), who made it, and when it was last
 * used. The secret itself is shown once when made and kept only as a hash. Immutable.
 *
 * @param prefix the public part of the key ({@code bs_7f3a9c2e}), shown in lists and logs
 */
public record ApiKey(
    long id,
    String name,
    String prefix,
    Set<Role.Permission> scopes,
    long ownerId,
    String ownerName,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
