package org.broadsheet.comment;

import java.util.List;
import java.util.Map;

/**
 * The "Leave a Reply" region of an article page: the approved thread (plus the reader's own pending
 * comments on a private page), and the form with whatever the reader typed and the messages for it.
 *
 * @param articleId the article
 * @param open whether new comments are accepted
 * @param total approved comments on the article
 * @param roots top-level comments on this page of the thread, with their replies
 * @param newestFirst the order of top-level comments
 * @param page page of top-level comments (1-based)
 * @param pageCount how many pages of top-level comments
 * @param form the form state
 */
public record CommentSection(
    long articleId,
    boolean open,
    int total,
    List<Node> roots,
    boolean newestFirst,
    int page,
    int pageCount,
    Form form) {

  /** One comment in the thread with its replies. */
  public record Node(
      Comment comment,
      String html,
      String initials,
      int colour,
      boolean canReply,
      boolean pending,
      String time,
      String isoTime,
      List<Node> children) {}

  /**
   * The form: values to show again, field messages, the comment replied to, and the human check.
   *
   * @param humanCheck altcha, or the provider's name
   * @param challengeUrl where the widget fetches a challenge (altcha)
   * @param workerUrl the solver's script (altcha)
   * @param siteKey a provider's public site key
   * @param widgetClass the CSS class a provider's widget script looks for
   */
  public record Form(
      Map<String, String> values,
      Map<String, String> errors,
      String summary,
      Long parentId,
      String parentName,
      boolean emailRequired,
      String humanCheck,
      String humanCheckField,
      String challengeUrl,
      String workerUrl,
      String siteKey,
      String widgetClass) {

    public String value(String field) {
      return values.getOrDefault(field, "");
    }

    public String error(String field) {
      return errors.get(field);
    }

    public boolean hasError(String field) {
      return errors.containsKey(field);
    }

    public boolean checked(String field) {
      return "1".equals(values.get(field));
    }
  }

  public String countLabel() {
    return total == 0 ? "No comments yet" : total == 1 ? "1 comment" : total + " comments";
  }

  public boolean hasPrevious() {
    return page > 1;
  }

  public boolean hasNext() {
    return page < pageCount;
  }
}
