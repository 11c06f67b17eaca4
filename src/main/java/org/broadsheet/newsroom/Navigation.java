package org.broadsheet.newsroom;

import java.time.Instant;
import java.util.List;
import java.util.function.ToIntFunction;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;

/**
 * What a feature adds to the newsroom's frame: entries in the navigation (each with the permission
 * it needs and an optional count, such as comments waiting), and figures, recent work and health
 * lines on the dashboard. The newsroom knows no feature; each contributes one of these.
 */
public interface Navigation {

  /** Where an entry sits in the navigation, so a long list reads as a few short ones. */
  enum Group {
    CONTENT("Content"),
    AUDIENCE("Audience"),
    SITE("Site"),
    PEOPLE("People");

    private final String label;

    Group(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** An entry in the newsroom's navigation. */
  record Entry(
      String key,
      String label,
      String href,
      Role.Permission permission,
      Group group,
      ToIntFunction<User> count) {

    public Entry(String key, String label, String href, Role.Permission permission, Group group) {
      this(key, label, href, permission, group, user -> 0);
    }
  }

  /** An entry as one member sees it. */
  record Item(String key, String label, String href, int count, Group group) {}

  /** A figure on the dashboard, linking to where the work is. */
  record Figure(String label, int count, String href) {}

  /** A piece of recent work on the dashboard. */
  record Recent(String title, String href, String status, String detail, Instant when) {}

  /**
   * A line about the site's health on the dashboard: what it is about, what to say, an optional
   * time (shown in the site's time zone) and the words after it, and whether it needs attention.
   */
  record Status(String label, String text, Instant when, String after, boolean trouble) {

    public Status(String label, String text, boolean trouble) {
      this(label, text, null, "", trouble);
    }
  }

  List<Entry> entries();

  default List<Figure> figures(User user) {
    return List.of();
  }

  default List<Recent> recent(User user) {
    return List.of();
  }

  default List<Status> status(User user) {
    return List.of();
  }
}
