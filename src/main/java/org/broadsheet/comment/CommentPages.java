package org.broadsheet.comment;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.HttpError;

/**
 * Comment routes: the plain form POST (303 back to the comment, or the article page again with
 * every typed value and the field messages), the JSON API with the same rules, the reader's own
 * pending comments, and the reply-notification unsubscribe page. Thread-safe.
 */
public final class CommentPages {

  /** Renders an article page with a given form state, for the no-JavaScript error path. */
  @FunctionalInterface
  public interface ArticleRenderer {
    void renderWithForm(Context ctx, long articleId, CommentSection.Form form, int status);
  }

  private final CommentService comments;
  private final CommentViews views;
  private final MyComments mine;
  private final CommentedArticles articles;
  private final ArticleRenderer renderer;
  private final Clock clock;
  private final Function<CommentSection.Node, String> nodeHtml;

  public CommentPages(
      CommentService comments,
      CommentViews views,
      MyComments mine,
      CommentedArticles articles,
      ArticleRenderer renderer,
      Clock clock,
      Function<CommentSection.Node, String> nodeHtml) {
    this.comments = comments;
    this.views = views;
    this.mine = mine;
    this.articles = articles;
    this.renderer = renderer;
    this.clock = clock;
    this.nodeHtml = nodeHtml;
  }

  private CommentSubmission submission(Context ctx, long articleId) {
    String parent = ctx.formParam("parent");
    Long parentId =
        parent != null && parent.matches("[1-9][0-9]{0,17}") ? Long.parseLong(parent) : null;
    return new CommentSubmission(
        articleId,
        parentId,
        ctx.formParam("name"),
        ctx.formParam("email"),
        ctx.formParam("url"),
        ctx.formParam("comment"),
        "1".equals(ctx.formParam("notify")),
        ctx.formParam(comments.humanCheckField()),
        ctx.formParam("hp"),
        ClientAddress.of(ctx),
        ctx.header("User-Agent"),
        clock.instant(),
        mine.proof(ctx));
  }

  private static long articleIdFrom(String raw) {
    if (raw == null || !raw.matches("[1-9][0-9]{0,17}")) {
      throw HttpError.notFound();
    }
    return Long.parseLong(raw);
  }

  /** POST /comments: the form without JavaScript. */
  public void postForm(Context ctx) {
    long articleId = articleIdFrom(ctx.formParam("article"));
    CommentSubmission submission = submission(ctx, articleId);
    try {
      Comment comment = comments.submit(submission);
      String path = articles.path(articleId).orElseThrow(HttpError::notFound);
      mine.remember(ctx, comment);
      mine.trust(ctx, comment);
      ctx.header("Cache-Control", "no-store");
      String target =
          comment.isApproved() ? path + "?c=" + comment.id() : path + "?mine=" + comment.id();
      ctx.redirect(target + "#comment-" + comment.id(), io.javalin.http.HttpStatus.SEE_OTHER);
    } catch (CommentProblem problem) {
      if (problem.status() == 404) {
        throw new HttpError(404, "Article not found", problem.getMessage());
      }
      if (problem.retryAfterSeconds() > 0) {
        ctx.header("Retry-After", Long.toString(problem.retryAfterSeconds()));
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String field : List.of("comment", "name", "email", "url", "remember", "notify")) {
        String value = ctx.formParam(field);
        if (value != null) {
          values.put(field, value);
        }
      }
      Long parentId = submission.parentId();
      String parentName =
          parentId == null ? "" : comments.find(parentId).map(Comment::authorName).orElse("");
      String summary = problem.getMessage();
      renderer.renderWithForm(
          ctx,
          articleId,
          views.form(articleId, values, problem.fieldErrors(), summary, parentId, parentName),
          problem.status());
    }
  }

  /** POST /api/articles/{id}/comments: the same rules, answered in JSON. */
  public void postJson(Context ctx) {
    long articleId = articleIdFrom(ctx.pathParam("id"));
    ctx.header("Cache-Control", "no-store");
    try {
      Comment comment = comments.submit(submission(ctx, articleId));
      mine.remember(ctx, comment);
      mine.trust(ctx, comment);
      String message =
          switch (comment.status()) {
            case APPROVED -> "Thank you, your comment is published.";
            case PENDING ->
                "Thank you. Your comment is awaiting moderation and will appear once approved.";
            default -> "Thank you. Your comment is awaiting moderation.";
          };
      String status = comment.status() == CommentStatus.APPROVED ? "approved" : "pending";
      CommentSection.Node node = views.single(comment);
      if (comment.status() == CommentStatus.SPAM) {
        node =
            new CommentSection.Node(
                comment,
                node.html(),
                node.initials(),
                node.colour(),
                false,
                true,
                node.time(),
                node.isoTime(),
                List.of());
      }
      ctx.status(201)
          .json(
              Map.of(
                  "id",
                  comment.id(),
                  "status",
                  status,
                  "message",
                  message,
                  "html",
                  nodeHtml.apply(node)));
    } catch (CommentProblem problem) {
      if (problem.retryAfterSeconds() > 0) {
        ctx.header("Retry-After", Long.toString(problem.retryAfterSeconds()));
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("message", problem.getMessage());
      body.put("code", problem.code());
      body.put("errors", problem.fieldErrors());
      ctx.status(problem.status()).json(body);
    }
  }

  /** GET /api/articles/{id}/comments: approved comments, oldest first, with parent ids. */
  public void listJson(Context ctx) {
    long articleId = articleIdFrom(ctx.pathParam("id"));
    if (articles.path(articleId).isEmpty()) {
      throw HttpError.notFound();
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (Comment c : comments.approved(articleId)) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", c.id());
      item.put("parentId", c.parentId());
      item.put("author", c.authorName());
      item.put("url", c.webAddress().isEmpty() ? null : c.webAddress());
      item.put("createdAt", c.createdAt().toString());
      item.put("text", c.body());
      item.put("html", CommentText.toHtml(c.body()));
      list.add(item);
    }
    ctx.header("Cache-Control", "public, max-age=30");
    ctx.json(Map.of("articleId", articleId, "open", comments.open(articleId), "comments", list));
  }

  /**
   * GET /api/articles/{id}/comments/mine: the reader's own pending comments (from the signed
   * cookie).
   */
  public void mineJson(Context ctx) {
    long articleId = articleIdFrom(ctx.pathParam("id"));
    ctx.header("Cache-Control", "private, no-store");
    List<Map<String, Object>> list = new ArrayList<>();
    for (Comment c : comments.pendingAmong(articleId, mine.ids(ctx))) {
      list.add(
          Map.of(
              "id",
              c.id(),
              "parentId",
              c.parentId() == null ? 0 : c.parentId(),
              "html",
              nodeHtml.apply(views.single(c))));
    }
    ctx.json(Map.of("comments", list));
  }

  /**
   * GET /comments/unsubscribe: a page with a button; a GET never changes anything (mail scanners
   * follow links).
   */
  public void unsubscribePage(Context ctx) {
    String token = ctx.queryParam("token");
    comments
        .unsubscribeTarget(token)
        .orElseThrow(() -> HttpError.badRequest("This unsubscribe link is damaged or incomplete."));
    tokenPage(ctx, UNSUBSCRIBE, token, false);
  }

  /** POST /comments/unsubscribe: stops reply notifications; repeating it is harmless. */
  public void unsubscribe(Context ctx) {
    String token = ctx.formParam("token");
    long commentId =
        comments
            .unsubscribeTarget(token)
            .orElseThrow(
                () -> HttpError.badRequest("This unsubscribe link is damaged or incomplete."));
    comments.stopReplyNotifications(commentId);
    tokenPage(ctx, UNSUBSCRIBE, token, true);
  }

  /** GET /comments/notify: the confirmation link's page, with a button (GET changes nothing). */
  public void notifyPage(Context ctx) {
    String token = ctx.queryParam("token");
    comments
        .notifyTarget(token)
        .orElseThrow(
            () -> HttpError.badRequest("This confirmation link is damaged or incomplete."));
    tokenPage(ctx, CONFIRM, token, false);
  }

  /** POST /comments/notify: the address confirmed it wants mail about replies. */
  public void confirmNotify(Context ctx) {
    String token = ctx.formParam("token");
    long commentId =
        comments
            .notifyTarget(token)
            .orElseThrow(
                () -> HttpError.badRequest("This confirmation link is damaged or incomplete."));
    comments.startReplyNotifications(commentId);
    tokenPage(ctx, CONFIRM, token, true);
  }

  /** A small page behind a mailed link: what it does, a button, then what was done. */
  private record TokenPage(
      String title, String question, String action, String button, String done) {}

  private static final TokenPage UNSUBSCRIBE =
      new TokenPage(
          "Stop reply emails?",
          "You will get no more emails about replies to that comment.",
          "/comments/unsubscribe",
          "Unsubscribe",
          "Unsubscribed. You will get no more emails about replies to that comment.");

  private static final TokenPage CONFIRM =
      new TokenPage(
          "Email me about replies?",
          "You will get an email when someone replies to your comment, with a link to stop them.",
          "/comments/notify",
          "Yes, email me",
          "Confirmed. You will get an email when someone replies to your comment.");

  private static void tokenPage(Context ctx, TokenPage page, String token, boolean done) {
    StringBuilder safeToken = new StringBuilder();
    CommentText.escape(safeToken, token);
    String body =
        done
            ? "<h1>Done</h1><p>" + page.done() + "</p><p><a href=\"/\">Front page</a></p>"
            : "<h1>"
                + page.title()
                + "</h1><p>"
                + page.question()
                + "</p><form method=\"post\" action=\""
                + page.action()
                + "\"><input type=\"hidden\" name=\"token\" value=\""
                + safeToken
                + "\"><button type=\"submit\">"
                + page.button()
                + "</button></form>";
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
            + " content=\"width=device-width, initial-scale=1\"><title>"
            + page.title()
            + "</title></head><body><main>"
            + body
            + "</main></body></html>");
  }
}
