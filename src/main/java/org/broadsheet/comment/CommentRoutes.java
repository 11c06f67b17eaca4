package org.broadsheet.comment;

import static org.broadsheet.account.Role.Permission.*;

import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/**
 * The comment feature's routes: the reader's form and JSON API, the reply-mail unsubscribe page,
 * and the newsroom's moderation queue and blocklist. Thread-safe.
 */
public final class CommentRoutes implements RouteModule {

  private final CommentPages pages;
  private final ModerationPages moderation;

  public CommentRoutes(CommentPages pages, ModerationPages moderation) {
    this.pages = pages;
    this.moderation = moderation;
  }

  @Override
  public void addRoutes(Routes r) {
    r.post("/comments", pages::postForm);
    r.post("/api/articles/{id}/comments", pages::postJson);
    r.get("/api/articles/{id}/comments", pages::listJson);
    r.get("/api/articles/{id}/comments/mine", pages::mineJson);
    r.get("/comments/unsubscribe", pages::unsubscribePage);
    r.post("/comments/unsubscribe", pages::unsubscribe);
    r.get("/comments/notify", pages::notifyPage);
    r.post("/comments/notify", pages::confirmNotify);

    r.get("/admin/comments", moderation::queue, MODERATE);
    r.post("/admin/comments/bulk", moderation::bulk, MODERATE);
    r.post("/admin/comments/block", moderation::block, MODERATE);
    r.post("/admin/comments/block/{id}/remove", moderation::unblock, MODERATE);
    r.post("/admin/comments/{id}/reply", moderation::reply, MODERATE);
    r.post("/admin/comments/{id}/{action}", moderation::one, MODERATE);
  }
}
