package org.broadsheet.article;

/**
 * What the member saving an article may do with it: publish (or only save and send for review), and
 * whose bylines they may put on it — anyone's (editors and admins), or only their own and those an
 * editor already put there (authors and contributors).
 *
 * @param ownByline the member's own author profile, or null when they have none
 */
public record EditorRights(boolean mayPublish, boolean anyByline, Long ownByline) {
  /**
   * Whether someone may change this article: editors any; writers their own (made by them or with
   * their byline), and once it is out only if they may publish. {@code can} is what they may do (a
   * member's role, or an API key's scopes within it).
   */
  public static boolean mayEdit(
      java.util.function.Predicate<org.broadsheet.account.Role.Permission> can,
      long userId,
      Long authorId,
      Article article,
      java.util.Optional<Long> createdBy) {
    if (can.test(org.broadsheet.account.Role.Permission.EDIT_ALL)) {
      return true;
    }
    if (!can.test(org.broadsheet.account.Role.Permission.WRITE_OWN)) {
      return false;
    }
    boolean own =
        createdBy.map(id -> id == userId).orElse(false)
            || (authorId != null && article.authors().stream().anyMatch(a -> a.id() == authorId));
    if (!own) {
      return false;
    }
    return can.test(org.broadsheet.account.Role.Permission.PUBLISH)
        || article.status() == ArticleStatus.DRAFT;
  }
}
