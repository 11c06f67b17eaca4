package org.broadsheet.account;

import java.util.Set;

/**
 * Who is calling the API: a member through their session (all their role allows), or an
 * integration's key (what both the key's scopes and its owner's role allow). Immutable.
 *
 * @param key the key used, or null for a session
 */
public record Caller(User user, ApiKey key, Set<Role.Permission> scopes) {

  public static Caller member(User user) {
    return new Caller(user, null, Set.of(Role.Permission.values()));
  }

  public static Caller key(User owner, ApiKey key) {
    return new Caller(owner, key, key.scopes());
  }

  public boolean can(Role.Permission permission) {
    return user.can(permission) && scopes.contains(permission);
  }

  /** For the audit log: the member, and through which integration. */
  public Actor actor(String address) {
    return key == null
        ? Actor.of(user, address)
        : Actor.of(
            user, "API key \u201c" + key.name() + "\u201d (" + key.prefix() + ") from " + address);
  }
}
