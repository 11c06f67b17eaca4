package org.broadsheet.account;

/**
 * Who does something, for the audit log: a newsroom member from an address, or the system itself (a
 * command, an import, a scheduled job). Immutable.
 *
 * @param user the member, or null for the system
 * @param address where the request came from, or a word such as "command line"
 */
public record Actor(User user, String address) {

  /** The system acting on its own, from {@code where} (e.g. "command line"). */
  public static Actor system(String where) {
    return new Actor(null, where);
  }

  public static Actor of(User user, String address) {
    return new Actor(user, address);
  }

  public Long userId() {
    return user == null ? null : user.id();
  }

  public String email() {
    return user == null ? "" : user.email();
  }
}
