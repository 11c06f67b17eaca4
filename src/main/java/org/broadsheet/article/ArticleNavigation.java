package org.broadsheet.article;

import static org.broadsheet.account.Role.Permission.*;

import java.util.ArrayList;
import java.util.List;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.newsroom.Navigation;

/**
 * What the article feature adds to the newsroom: the Articles and "Sections and authors" entries,
 * and on the dashboard the counts by status and the recently changed articles, of the articles the
 * member may see. Thread-safe.
 */
public final class ArticleNavigation implements Navigation {

  private final ArticleService articles;

  public ArticleNavigation(ArticleService articles) {
    this.articles = articles;
  }

  @Override
  public List<Entry> entries() {
    return List.of(
        new Entry("articles", "Articles", "/admin/articles", WRITE_OWN, Group.CONTENT),
        new Entry("front", "Front page", "/admin/front", EDIT_ALL, Group.CONTENT),
        new Entry("taxonomy", "Sections and authors", "/admin/taxonomy", TAXONOMY, Group.CONTENT));
  }

  /** The rows of the newsroom's article list this member may see. */
  List<ArticleRow> rows(
      User user, EditorialStatus status, String section, String author, String q, int limit) {
    boolean all = user.can(Role.Permission.EDIT_ALL);
    return articles.newsroomRows(
        all ? null : user.id(), all ? null : user.authorId(), status, section, author, q, limit);
  }

  /** A page of the rows this member may see, sorted. */
  List<ArticleRow> rows(
      User user,
      EditorialStatus status,
      String section,
      String author,
      String q,
      String sort,
      int limit,
      int offset) {
    boolean all = user.can(Role.Permission.EDIT_ALL);
    return articles.newsroomRows(
        all ? null : user.id(),
        all ? null : user.authorId(),
        status,
        section,
        author,
        q,
        sort,
        limit,
        offset);
  }

  @Override
  public List<Figure> figures(User user) {
    List<Figure> figures = new ArrayList<>();
    if (!user.can(WRITE_OWN)) {
      return figures;
    }
    for (EditorialStatus status : EditorialStatus.values()) {
      figures.add(
          new Figure(
              status.label().toLowerCase(java.util.Locale.ROOT),
              rows(user, status, "", "", "", 100_000).size(),
              "/admin/articles?status=" + status.id()));
    }
    return figures;
  }

  @Override
  public List<Recent> recent(User user) {
    if (!user.can(WRITE_OWN)) {
      return List.of();
    }
    return rows(user, null, "", "", "", 10).stream()
        .map(
            row ->
                new Recent(
                    row.headline(),
                    "/admin/articles/" + row.id(),
                    row.status().label(),
                    row.section() + " · " + row.authors(),
                    row.when()))
        .toList();
  }
}
