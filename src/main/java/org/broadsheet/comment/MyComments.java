package org.broadsheet.comment;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader's own recent comments, remembered in a signed cookie, so that they can see theirs
 * "awaiting moderation" on a private copy of the page while the shared, cached page never changes
 * per reader. A request with this cookie bypasses the page cache. Thread-safe.
 */
public final class MyComments {

  /** The cookie's name. */
  public static final String COOKIE = "bs_mine";

  /**
   * The cookie a browser gets when its comment is published: signed for the commenter's address, a
   * year long, it lets that browser skip the first-comment hold; the address alone does not. Read
   * only when a comment is posted, so it does not make pages private.
   */
  public static final String TRUST_COOKIE = "bs_trust";

  private final CommentService comments;
  private final boolean secureCookies;

  public MyComments(CommentService comments, boolean secureCookies) {
    this.comments = comments;
    this.secureCookies = secureCookies;
  }

  /** Whether the request carries the cookie at all. */
  public boolean present(Context ctx) {
    return ctx.cookie(COOKIE) != null;
  }

  /** The reader's own pending comments on an article, for a private page. */
  public List<Comment> pending(Context ctx, long articleId) {
    String cookie = ctx.cookie(COOKIE);
    return cookie == null ? List.of() : comments.pendingAmong(articleId, comments.readMine(cookie));
  }

  /** Adds a comment to the reader's cookie (the newest 20 are kept, for a week). */
  void remember(Context ctx, Comment comment) {
    List<Long> ids = new ArrayList<>(comments.readMine(ctx.cookie(COOKIE)));
    ids.add(comment.id());
    List<Long> recent = ids.subList(Math.max(0, ids.size() - 20), ids.size());
    Cookie cookie = new Cookie(COOKIE, comments.signMine(recent));
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSecure(secureCookies);
    cookie.setSameSite(SameSite.LAX);
    cookie.setMaxAge(7 * 24 * 3600);
    ctx.cookie(cookie);
  }

  /** What this browser can show of its earlier comments. */
  CommentSubmission.Proof proof(Context ctx) {
    return new CommentSubmission.Proof(ctx.cookie(TRUST_COOKIE), ids(ctx));
  }

  /** Remembers, for a year, that this browser's comment with this address was published. */
  void trust(Context ctx, Comment comment) {
    if (!comment.isApproved() || comment.authorEmail() == null || comment.authorEmail().isEmpty()) {
      return;
    }
    Cookie cookie = new Cookie(TRUST_COOKIE, comments.signTrust(comment.authorEmail()));
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSecure(secureCookies);
    cookie.setSameSite(SameSite.LAX);
    cookie.setMaxAge(365 * 24 * 3600);
    ctx.cookie(cookie);
  }

  /** The ids in the reader's cookie (signed; a forged or damaged one gives none). */
  List<Long> ids(Context ctx) {
    return comments.readMine(ctx.cookie(COOKIE));
  }
}
