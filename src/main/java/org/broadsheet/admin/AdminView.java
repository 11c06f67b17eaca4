package org.broadsheet.admin;

import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.web.Site;

/**
 * What every newsroom page shows around its content: who is signed in (null on the sign-in and
 * setup pages), the CSRF token every form carries, the page title, which navigation entry is
 * current, a one-line notice after an action, the form's values and errors, and the number of
 * comments waiting for moderation.
 */
public record AdminView(
    Site site,
    User user,
    String csrf,
    String title,
    String current,
    String notice,
    Map<String, String> values,
    Map<String, String> errors,
    int heldComments) {

  public String value(String field) {
    return values.getOrDefault(field, "");
  }

  public boolean hasError(String field) {
    return errors.containsKey(field);
  }

  public String error(String field) {
    return errors.getOrDefault(field, "");
  }

  public boolean can(String permission) {
    return user != null && user.can(Role.Permission.valueOf(permission));
  }

  public boolean isCurrent(String entry) {
    return entry.equals(current);
  }

  /** The same view with the form's values and errors (after a refused submission). */
  public AdminView withForm(Map<String, String> formValues, Map<String, String> formErrors) {
    return new AdminView(
        site, user, csrf, title, current, notice, formValues, formErrors, heldComments);
  }
}
