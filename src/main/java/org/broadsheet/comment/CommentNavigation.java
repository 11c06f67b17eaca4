package org.broadsheet.comment;

import static org.broadsheet.account.Role.Permission.*;

import java.util.List;
import org.broadsheet.account.User;
import org.broadsheet.newsroom.Navigation;

/** The newsroom's Comments entry and the dashboard's count of comments waiting. Thread-safe. */
public final class CommentNavigation implements Navigation {

  private final CommentService comments;

  public CommentNavigation(CommentService comments) {
    this.comments = comments;
  }

  @Override
  public List<Entry> entries() {
    return List.of(
        new Entry(
            "comments",
            "Comments",
            "/admin/comments",
            MODERATE,
            Group.AUDIENCE,
            user -> comments.countHeld()));
  }

  @Override
  public List<Figure> figures(User user) {
    return user.can(MODERATE)
        ? List.of(new Figure("comments waiting", comments.countHeld(), "/admin/comments"))
        : List.of();
  }
}
