package org.broadsheet.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.regex.Pattern;
import org.broadsheet.article.ArticlePages;
import org.broadsheet.storage.Database;

/**
 * Every public route in one place, so a reader of the code sees the whole URL space at once. The
 * handlers live in their features; this class only wires paths to them.
 */
public final class Routes {

  private static final Pattern DEMO_IMAGE = Pattern.compile("[a-z0-9][a-z0-9-]{0,80}\\.svg");

  private Routes() {}

  /** The feature handlers the routes point at. */
  public record Pages(
      ArticlePages articles,
      org.broadsheet.comment.CommentPages comments,
      org.broadsheet.captcha.HumanCheckPages humanCheck,
      org.broadsheet.search.SearchPages search,
      org.broadsheet.admin.Newsroom newsroom) {}

  public static void register(
      JavalinConfig config,
      Pages pages,
      Assets assets,
      Database database,
      io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics) {
    ArticlePages articles = pages.articles();
    var comments = pages.comments();
    // The newsroom first, so /admin/... never reaches the public article pattern below.
    pages.newsroom().register(config);
    config.routes.post("/comments", comments::postForm);
    config.routes.post("/api/articles/{id}/comments", comments::postJson);
    config.routes.get("/api/articles/{id}/comments", comments::listJson);
    config.routes.get("/api/articles/{id}/comments/mine", comments::mineJson);
    config.routes.get("/comments/unsubscribe", comments::unsubscribePage);
    config.routes.post("/comments/unsubscribe", comments::unsubscribe);
    config.routes.get("/api/human-check/challenge", pages.humanCheck()::challenge);
    WebServer.page(config, "/search", pages.search()::page);
    config.routes.get("/api/search", pages.search()::json);
    config.routes.get("/api/search/suggest", pages.search()::suggest);
    config.routes.get(
        "/metrics",
        ctx -> {
          // Operators scrape from the machine itself (or through their proxy's own rules).
          if (!java.net.InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress()) {
            throw HttpError.notFound();
          }
          ctx.header("Cache-Control", "no-store");
          ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
          ctx.result(metrics.scrape());
        });
    WebServer.page(config, "/", articles::home);
    WebServer.page(config, "/section/{slug}", articles::section);
    WebServer.page(config, "/tag/{slug}", articles::tag);
    WebServer.page(config, "/author/{slug}", articles::author);
    WebServer.page(config, "/{section}/{year}/{month}/{day}/{slug}", articles::article);
    WebServer.page(config, "/assets/*", ctx -> asset(ctx, assets));
    WebServer.page(config, "/media/demo/{file}", Routes::demoImage);
    WebServer.page(
        config,
        "/favicon.ico",
        ctx ->
            ctx.redirect(
                assets.url("img/favicon.svg"), io.javalin.http.HttpStatus.MOVED_PERMANENTLY));
    config.routes.get(
        "/healthz",
        ctx -> ctx.header("Cache-Control", "no-store").json(java.util.Map.of("status", "ok")));
    config.routes.get(
        "/readyz",
        ctx -> {
          boolean up = database.ping();
          ctx.header("Cache-Control", "no-store")
              .status(up ? 200 : 503)
              .json(
                  java.util.Map.of(
                      "status",
                      up ? "ready" : "unavailable",
                      "database",
                      up ? "ok" : "not answering"));
        });
  }

  private static void asset(Context ctx, Assets assets) {
    Assets.Asset asset = assets.byUrl(ctx.path()).orElseThrow(HttpError::notFound);
    ctx.header("Cache-Control", "public, max-age=31536000, immutable");
    ctx.contentType(asset.contentType());
    ctx.result(asset.bytes());
  }

  private static void demoImage(Context ctx) {
    String file = ctx.pathParam("file");
    if (!DEMO_IMAGE.matcher(file).matches()) {
      throw HttpError.notFound();
    }
    byte[] bytes;
    try {
      bytes = Assets.read("demo/images/" + file);
    } catch (IllegalStateException e) {
      throw HttpError.notFound();
    }
    ctx.header("Cache-Control", "public, max-age=86400");
    ctx.contentType("image/svg+xml");
    ctx.result(bytes);
  }
}
