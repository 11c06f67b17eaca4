package org.broadsheet.admin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentService;
import org.broadsheet.comment.CommentStatus;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Links;

/**
 * Comment moderation: the queue of held comments with the reasons each was held and its score, the
 * spam and trash folders, a per-article view, bulk approve / spam / trash, and the blocklist.
 * Editors and admins only. Thread-safe.
 */
public final class ModerationPages {

  /** One comment in the queue, with the article it belongs to. */
  public record Item(Comment comment, String articleHeadline, String articleUrl) {}

  public record QueuePage(
      AdminView view,
      List<Item> items,
      String status,
      Long articleId,
      int page,
      boolean more,
      List<CommentService.Block> blocks) {}

  static final int PAGE = 50;

  private final CommentService comments;
  private final ArticleService articles;
  private final AdminAccess access;
  private final Audit audit;
  private final Links links;
  private final AccountPages frame;
  private final java.util.function.Function<Context, String> clientIp;

  public ModerationPages(
      CommentService comments,
      ArticleService articles,
      AdminAccess access,
      Audit audit,
      Links links,
      AccountPages frame,
      java.util.function.Function<Context, String> clientIp) {
    this.comments = comments;
    this.articles = articles;
    this.access = access;
    this.audit = audit;
    this.links = links;
    this.frame = frame;
    this.clientIp = clientIp;
  }

  public void queue(Context ctx) {
    access.require(ctx, Role.Permission.MODERATE);
    String raw = Optional.ofNullable(ctx.queryParam("status")).orElse("pending");
    CommentStatus status =
        switch (raw) {
          case "spam" -> CommentStatus.SPAM;
          case "trash" -> CommentStatus.TRASH;
          case "approved" -> CommentStatus.APPROVED;
          default -> CommentStatus.PENDING;
        };
    String article = ctx.queryParam("article");
    Long articleId =
        article != null && article.matches("[1-9][0-9]{0,17}") ? Long.parseLong(article) : null;
    int page = org.broadsheet.web.Pager.parse(ctx.queryParam("page"));
    List<Comment> found = comments.queue(status, articleId, PAGE + 1, (page - 1) * PAGE);
    boolean more = found.size() > PAGE;
    List<Comment> shown = more ? found.subList(0, PAGE) : found;
    Map<Long, ArticleSummary> byId = new HashMap<>();
    articles
        .summaries(shown.stream().map(Comment::articleId).distinct().toList())
        .forEach(a -> byId.put(a.id(), a));
    List<Item> items = new ArrayList<>();
    for (Comment c : shown) {
      ArticleSummary a = byId.get(c.articleId());
      String headline =
          a != null
              ? a.headline()
              : articles
                  .byId(c.articleId())
                  .map(x -> x.headline())
                  .orElse("(article " + c.articleId() + ")");
      items.add(new Item(c, headline, a == null ? "" : links.article(a)));
    }
    frame.render(
        ctx,
        "admin/comments.jte",
        new QueuePage(
            frame.view(ctx, "Comments", "comments"),
            items,
            status.dbValue(),
            articleId,
            page,
            more,
            comments.blocks()),
        200);
  }

  /** Approve, mark as spam or trash the selected comments. */
  public void bulk(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.MODERATE);
    String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
    if (!List.of("approve", "spam", "trash").contains(action)) {
      throw HttpError.badRequest("Choose approve, spam or trash.");
    }
    int done = 0;
    for (String raw : ctx.formParams("ids")) {
      if (!raw.matches("[1-9][0-9]{0,17}")) {
        continue;
      }
      long id = Long.parseLong(raw);
      if (comments.find(id).isEmpty()) {
        continue;
      }
      switch (action) {
        case "approve" -> comments.approve(id);
        case "spam" -> comments.markSpam(id);
        default -> comments.trash(id);
      }
      audit.record(session.user(), "comment." + action, "comment:" + id, "", clientIp.apply(ctx));
      done++;
    }
    String back = Optional.ofNullable(ctx.formParam("back")).orElse("pending");
    if (!List.of("pending", "spam", "trash", "approved").contains(back)) {
      back = "pending";
    }
    ctx.redirect("/admin/comments?status=" + back + "&done=moderated", HttpStatus.SEE_OTHER);
  }

  /** Publishes a reply from the signed-in member under a comment (approving it first if held). */
  public void reply(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.MODERATE);
    long id = AdminAccess.pathId(ctx, "id");
    Comment parent = comments.find(id).orElseThrow(HttpError::notFound);
    if (!parent.isApproved()) {
      comments.approve(id);
    }
    try {
      Comment reply =
          comments.staffReply(
              id,
              session.user().name(),
              session.user().email(),
              Optional.ofNullable(ctx.formParam("body")).orElse(""));
      audit.record(
          session.user(),
          "comment.reply",
          "comment:" + id,
          "reply:" + reply.id(),
          clientIp.apply(ctx));
    } catch (org.broadsheet.comment.CommentProblem e) {
      throw new HttpError(422, "Reply not posted", e.getMessage());
    }
    ctx.redirect("/admin/comments?status=approved&done=moderated", HttpStatus.SEE_OTHER);
  }

  /** Takes an entry off the blocklist. */
  public void unblock(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.MODERATE);
    long id = AdminAccess.pathId(ctx, "id");
    if (!comments.unblock(id)) {
      throw HttpError.notFound();
    }
    audit.record(session.user(), "comment.unblock", "block:" + id, "", clientIp.apply(ctx));
    ctx.redirect("/admin/comments?done=saved#block-heading", HttpStatus.SEE_OTHER);
  }

  /** Adds a word, address, domain or IP range to the blocklist. */
  public void block(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.MODERATE);
    String kind = Optional.ofNullable(ctx.formParam("kind")).orElse("");
    String value = Optional.ofNullable(ctx.formParam("value")).orElse("");
    try {
      comments.block(kind, value);
    } catch (RuntimeException e) {
      throw new HttpError(
          422,
          "Not blocked",
          "Give a word, email address, domain, or IP address or range to block.");
    }
    audit.record(session.user(), "comment.block", kind, value, clientIp.apply(ctx));
    ctx.redirect("/admin/comments?done=saved", HttpStatus.SEE_OTHER);
  }
}
