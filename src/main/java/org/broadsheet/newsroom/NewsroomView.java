package org.broadsheet.newsroom;

import java.util.List;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.site.Site;

/**
 * What every newsroom page shows around its content: who is signed in (null on the sign-in and
 * setup pages), the CSRF token every form carries, the page title, the navigation this member may
 * use (with counts such as comments waiting), which entry is current, a one-line notice after an
 * action, and the form's values and errors.
 */
public record NewsroomView(
    Site site,
    User user,
    String csrf,
    String title,
    String current,
    String notice,
    Map<String, String> values,
    Map<String, String> errors,
    List<Navigation.Item> navigation) {

  public String value(String field) {
    return values.getOrDefault(field, "");
  }

  public boolean hasError(String field) {
    return errors.containsKey(field);
  }

  public String error(String field) {
    return errors.getOrDefault(field, "");
  }

  public boolean can(Role.Permission permission) {
    return user != null && user.can(permission);
  }

  public boolean isCurrent(String entry) {
    return entry.equals(current);
  }

  /** One group of the navigation as shown: its name and its entries, in order. */
  public record NavigationGroup(String label, List<Navigation.Item> items) {}

  /** The navigation in its groups (Content, Audience, Site, People), empty groups left out. */
  public List<NavigationGroup> navigationGroups() {
    List<NavigationGroup> groups = new java.util.ArrayList<>();
    for (Navigation.Group g : Navigation.Group.values()) {
      List<Navigation.Item> items = navigation.stream().filter(i -> i.group() == g).toList();
      if (!items.isEmpty()) {
        groups.add(new NavigationGroup(g.label(), items));
      }
    }
    return groups;
  }

  /** The count shown beside a navigation entry (0 when none). */
  public int count(String entry) {
    return navigation.stream()
        .filter(i -> i.key().equals(entry))
        .mapToInt(Navigation.Item::count)
        .findFirst()
        .orElse(0);
  }

  /** The same view with the form's values and errors (after a refused submission). */
  public NewsroomView withForm(Map<String, String> formValues, Map<String, String> formErrors) {
    return new NewsroomView(
        site, user, csrf, title, current, notice, formValues, formErrors, navigation);
  }
}
