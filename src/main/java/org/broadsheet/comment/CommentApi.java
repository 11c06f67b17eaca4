package org.broadsheet.comment;

import static org.broadsheet.account.Role.Permission.MODERATE;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.broadsheet.newsroom.ApiAccess;
import org.broadsheet.web.Api;
import org.broadsheet.web.ApiDoc;
import org.broadsheet.web.ApiOperation;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Routes;

/**
 * Comment moderation in the Admin API: the queue (or another status) and one call per decision,
 * through the same moderation as the newsroom (readers told, pages evicted, audited with the
 * integration's name). Thread-safe.
 */
public final class CommentApi {

  @ApiDoc("A reader's comment as a moderator sees it (without the writer's address).")
  public record ApiComment(
      @ApiDoc(value = "the comment's id", example = "7") long id,
      @ApiDoc(value = "the story it is under", example = "42") long articleId,
      @ApiDoc(value = "the comment it answers, if any", example = "5") Long parentId,
      @ApiDoc(value = "the name it was written under", example = "Rune Reader", required = true)
          String authorName,
      @ApiDoc(
              value = "what it says",
              example = "Will the ban cover allotments too?",
              required = true)
          String body,
      @ApiDoc(
              value = "where it stands",
              example = "pending",
              allowed = {"pending", "approved", "spam", "trash"},
              required = true)
          String status,
      @ApiDoc(value = "why it was held, if it was", example = "[\"a first comment\"]")
          List<String> reasons,
      @ApiDoc(value = "when it was written", example = "2026-12-01T09:15:00Z") Instant createdAt) {}

  @ApiDoc("A page of comments, oldest first.")
  public record ApiCommentList(
      @ApiDoc(value = "the comments", required = true) List<ApiComment> items,
      @ApiDoc(value = "the offset of the next page; absent on the last", example = "50")
          Integer next) {}

  static final String TAG = "Comments (admin)";

  public static final ApiOperation LIST =
      ApiOperation.get("/api/v1/admin/comments", "listComments")
          .tag(TAG)
          .summary("The moderation queue, or the comments with another status")
          .query("status", String.class, "pending (default), approved, spam or trash", "pending")
          .query("article", Long.class, "only under this story", "42")
          .query("limit", Integer.class, "comments per page, 1 to 100 (50)", "50")
          .query("offset", Integer.class, "where the page starts (the previous page's next)", "0")
          .answers(ApiCommentList.class)
          .needs(MODERATE)
          .build();

  private static ApiOperation decide(String verb, String what) {
    return ApiOperation.post("/api/v1/admin/comments/{id}/" + verb, verb + "Comment")
        .tag(TAG)
        .summary(what)
        .path("id", Long.class, "the comment's id", "7")
        .answers(ApiComment.class)
        .needs(MODERATE)
        .build();
  }

  public static final ApiOperation APPROVE =
      decide("approve", "Approve: it appears under the story and its writer is told");
  public static final ApiOperation SPAM = decide("spam", "Mark as spam");
  public static final ApiOperation TRASH = decide("trash", "Move to the trash");

  public static final List<ApiOperation> OPERATIONS = List.of(LIST, APPROVE, SPAM, TRASH);

  private final CommentService comments;
  private final ApiAccess access;

  public CommentApi(CommentService comments, ApiAccess access) {
    this.comments = comments;
    this.access = access;
  }

  public void addRoutes(Routes r) {
    r.api(LIST, this::list);
    r.api(APPROVE, ctx -> decide(ctx, CommentStatus.APPROVED));
    r.api(SPAM, ctx -> decide(ctx, CommentStatus.SPAM));
    r.api(TRASH, ctx -> decide(ctx, CommentStatus.TRASH));
  }

  private void list(Context ctx) {
    String statusText = ctx.queryParam("status");
    CommentStatus status;
    try {
      status =
          statusText == null || statusText.isBlank()
              ? CommentStatus.PENDING
              : CommentStatus.valueOf(statusText.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("status is one of pending, approved, spam or trash.");
    }
    int limit = Api.limit(ctx, 50, 100);
    int offset = Api.offset(ctx);
    Long article = null;
    if (ctx.queryParam("article") != null) {
      try {
        article = Long.parseLong(ctx.queryParam("article").strip());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("article is a story's id.");
      }
    }
    List<Comment> found = comments.queue(status, article, limit + 1, offset);
    List<ApiComment> items = found.stream().limit(limit).map(CommentApi::view).toList();
    Api.send(ctx, 200, new ApiCommentList(items, found.size() > limit ? offset + limit : null));
  }

  private void decide(Context ctx, CommentStatus status) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new HttpError(404, "Not found", "No comment has that id.");
    }
    if (comments.find(id).isEmpty()) {
      throw new HttpError(404, "Not found", "No comment has that id.");
    }
    Comment saved = comments.moderate(id, status, access.caller(ctx).actor(access.address(ctx)));
    Api.send(ctx, 200, view(saved));
  }

  static ApiComment view(Comment c) {
    return new ApiComment(
        c.id(),
        c.articleId(),
        c.parentId(),
        c.authorName(),
        c.body(),
        c.status().dbValue(),
        c.reasons().isEmpty() ? null : c.reasons(),
        c.createdAt());
  }
}
