package org.broadsheet.importer;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import org.broadsheet.web.HttpError;
import org.jdbi.v3.core.Jdbi;

/**
 * Permanent redirects from a previous site's addresses (kept by the WordPress import) to the new
 * ones: {@code /?p=ID}, dated permalinks, {@code /category/x/} and page slugs. Only addresses the
 * import recorded answer; anything else is the usual 404. Thread-safe.
 */
public final class Redirects implements org.broadsheet.web.RouteModule {

  private final Jdbi jdbi;
  private final ImportStore store = new ImportStore();

  public Redirects(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The old addresses: tried only when no route of our own matches (their patterns are the least
   * specific), so they never shadow one.
   */
  @Override
  public void addRoutes(org.broadsheet.web.Routes r) {
    r.before("/", this::followPostId);
    r.page("/category/{slug}", this::follow);
    r.page("/{year}/{month}/{day}/{slug}", this::follow);
    r.page("/{slug}", this::follow);
  }

  public Optional<String> lookup(String path) {
    if (path == null || path.length() > 1000) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> store.redirectFor(h, path));
  }

  /** Answers 301 to the new address of an old one, or 404. */
  public void follow(Context ctx) {
    String path = ctx.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String target = lookup(path).orElseThrow(HttpError::notFound);
    ctx.header("Cache-Control", "public, max-age=86400");
    ctx.redirect(target, HttpStatus.MOVED_PERMANENTLY);
  }

  /**
   * {@code /?p=ID}: WordPress's own short address for a post, answered before the front page; an
   * unknown id is "not found" rather than the front page.
   */
  void followPostId(Context ctx) {
    String p = ctx.queryParam("p");
    if (p == null || !p.matches("[0-9]{1,18}")) {
      return;
    }
    String target = lookup("?p=" + p).orElseThrow(HttpError::notFound);
    ctx.header("Cache-Control", "public, max-age=86400");
    ctx.redirect(target, HttpStatus.MOVED_PERMANENTLY);
    ctx.skipRemainingHandlers();
  }
}
