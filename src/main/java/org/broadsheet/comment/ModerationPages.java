package org.broadsheet.comment;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Sessions;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;

/**
 * Comment moderation: the queue of held comments with the reasons each was held and its score, the
 * spam and trash folders, a per-article view, bulk approve / spam / trash, and the blocklist.
 * Editors and admins only. Thread-safe.
 */
public final class ModerationPages {

  /** One comment in the queue, with the article it belongs to. */
  public record Item(Comment comment, String articleHeadline, String articleUrl) {}

  public record QueuePage(
      NewsroomView view,
      List<Item> items,
      String status,
      Long articleId,
      int page,
      boolean more,
      List<CommentService.Block> blocks) {}

  static final int PAGE = 50;

  private final CommentService comments;
  private final CommentedArticles articles;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;

  public ModerationPages(
      CommentService comments,
      CommentedArticles articles,
      NewsroomAccess access,
      NewsroomFrame frame) {
    this.comments = comments;
    this.articles = articles;
    this.access = access;
    this.frame = frame;
  }

  private static Actor actor(Context ctx, Sessions.Current session) {
    return Actor.of(session.user(), ClientAddress.of(ctx));
  }

  public void queue(Context ctx) {
    String raw = Optional.ofNullable(ctx.queryParam("status")).orElse("pending");
    CommentStatus status =
        switch (raw) {
          case "spam" -> CommentStatus.SPAM;
          case "trash" -> CommentStatus.TRASH;
          case "approved" -> CommentStatus.APPROVED;
          default -> CommentStatus.PENDING;
        };
    Long articleId = Forms.queryId(ctx, "article").orElse(null);
    int page = org.broadsheet.web.Pager.parse(ctx.queryParam("page"));
    List<Comment> found = comments.queue(status, articleId, PAGE + 1, (page - 1) * PAGE);
    boolean more = found.size() > PAGE;
    List<Comment> shown = more ? found.subList(0, PAGE) : found;
    Map<Long, String> headlines =
        articles.headlines(shown.stream().map(Comment::articleId).distinct().toList());
    List<Item> items = new ArrayList<>();
    for (Comment c : shown) {
      items.add(
          new Item(
              c,
              headlines.getOrDefault(c.articleId(), "(article " + c.articleId() + ")"),
              articles.path(c.articleId()).orElse("")));
    }
    frame.render(
        ctx,
        "comment/newsroom/comments.jte",
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
    Sessions.Current session = access.member(ctx);
    String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
    if (!List.of("approve", "spam", "trash").contains(action)) {
      throw HttpError.badRequest("Choose approve, spam or trash.");
    }
    int done = 0;
    for (long id : Forms.formIds(ctx, "ids")) {
      if (comments.find(id).isEmpty()) {
        continue;
      }
      CommentStatus status =
          switch (action) {
            case "approve" -> CommentStatus.APPROVED;
            case "spam" -> CommentStatus.SPAM;
            default -> CommentStatus.TRASH;
          };
      comments.moderate(id, status, actor(ctx, session));
      done++;
    }
    String back = Optional.ofNullable(ctx.formParam("back")).orElse("pending");
    if (!List.of("pending", "spam", "trash", "approved").contains(back)) {
      back = "pending";
    }
    ctx.redirect("/admin/comments?status=" + back + "&done=moderated", HttpStatus.SEE_OTHER);
  }

  /**
   * Approve, spam or trash one comment: one click on its own button. A script asking for JSON gets
   * the outcome in one request; a plain form post returns to the queue.
   */
  public void one(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    Comment comment = comments.find(id).orElseThrow(HttpError::notFound);
    String action = ctx.pathParam("action");
    CommentStatus status =
        switch (action) {
          case "approve" -> CommentStatus.APPROVED;
          case "spam" -> CommentStatus.SPAM;
          case "trash" -> CommentStatus.TRASH;
          default -> throw HttpError.badRequest("Choose approve, spam or trash.");
        };
    comments.moderate(id, status, actor(ctx, session));
    String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
    if (accept.contains("application/json")) {
      ctx.header("Cache-Control", "no-store");
      ctx.json(
          java.util.Map.of(
              "id",
              id,
              "status",
              status.name().toLowerCase(java.util.Locale.ROOT),
              "message",
              switch (status) {
                    case APPROVED -> "Approved";
                    case SPAM -> "Marked as spam";
                    default -> "Moved to the trash";
                  }
                  + ": the comment by "
                  + comment.authorName()
                  + "."));
      return;
    }
    String back = Optional.ofNullable(ctx.formParam("back")).orElse("pending");
    if (!List.of("pending", "spam", "trash", "approved").contains(back)) {
      back = "pending";
    }
    ctx.redirect("/admin/comments?status=" + back + "&done=moderated", HttpStatus.SEE_OTHER);
  }

  /** Publishes a reply from the signed-in member under a comment (approving it first if held). */
  public void reply(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    comments.find(id).orElseThrow(HttpError::notFound);
    try {
      comments.staffReply(actor(ctx, session), id, Forms.text(ctx, "body"));
    } catch (org.broadsheet.comment.CommentProblem e) {
      throw new HttpError(422, "Reply not posted", e.getMessage());
    }
    ctx.redirect("/admin/comments?status=approved&done=moderated", HttpStatus.SEE_OTHER);
  }

  /** Takes an entry off the blocklist. */
  public void unblock(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    if (!comments.unblock(id, actor(ctx, session))) {
      throw HttpError.notFound();
    }
    ctx.redirect("/admin/comments?done=saved#block-heading", HttpStatus.SEE_OTHER);
  }

  /** Adds a word, address, domain or IP range to the blocklist. */
  public void block(Context ctx) {
    Sessions.Current session = access.member(ctx);
    String kind = Optional.ofNullable(ctx.formParam("kind")).orElse("");
    String value = Optional.ofNullable(ctx.formParam("value")).orElse("");
    try {
      comments.block(kind, value, actor(ctx, session));
    } catch (RuntimeException e) {
      throw new HttpError(
          422,
          "Not blocked",
          "Give a word, email address, domain, or IP address or range to block.");
    }
    ctx.redirect("/admin/comments?done=saved", HttpStatus.SEE_OTHER);
  }
}
