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
      org.broadsheet.admin.Newsroom newsroom,
      org.broadsheet.feed.DistributionPages distribution,
      org.broadsheet.importer.Redirects redirects,
      org.broadsheet.newsletter.NewsletterPages newsletter,
      org.broadsheet.newsletter.BounceWebhook bounces) {}

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
    var newsletter = pages.newsletter();
    config.routes.get("/subscribe", newsletter::form);
    config.routes.post("/subscribe", newsletter::subscribe);
    config.routes.get("/newsletter/confirm", newsletter::confirmPage);
    config.routes.post("/newsletter/confirm", newsletter::confirm);
    config.routes.get("/newsletter/unsubscribe", newsletter::unsubscribePage);
    config.routes.post("/newsletter/unsubscribe", newsletter::unsubscribe);
    config.routes.get("/newsletter/preferences", newsletter::preferencesPage);
    config.routes.post("/newsletter/preferences", newsletter::savePreferences);
    config.routes.post("/api/newsletter/bounces", pages.bounces()::handle);
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
    var d = pages.distribution();
    var rss = org.broadsheet.feed.DistributionPages.Format.RSS;
    var atom = org.broadsheet.feed.DistributionPages.Format.ATOM;
    var json = org.broadsheet.feed.DistributionPages.Format.JSON;
    WebServer.page(config, "/feed.xml", ctx -> d.siteFeed(ctx, rss));
    WebServer.page(config, "/atom.xml", ctx -> d.siteFeed(ctx, atom));
    WebServer.page(config, "/feed.json", ctx -> d.siteFeed(ctx, json));
    for (String kind : java.util.List.of("section", "tag", "author")) {
      io.javalin.http.Handler rssHandler =
          switch (kind) {
            case "section" -> ctx -> d.sectionFeed(ctx, rss);
            case "tag" -> ctx -> d.tagFeed(ctx, rss);
            default -> ctx -> d.authorFeed(ctx, rss);
          };
      io.javalin.http.Handler atomHandler =
          switch (kind) {
            case "section" -> ctx -> d.sectionFeed(ctx, atom);
            case "tag" -> ctx -> d.tagFeed(ctx, atom);
            default -> ctx -> d.authorFeed(ctx, atom);
          };
      io.javalin.http.Handler jsonHandler =
          switch (kind) {
            case "section" -> ctx -> d.sectionFeed(ctx, json);
            case "tag" -> ctx -> d.tagFeed(ctx, json);
            default -> ctx -> d.authorFeed(ctx, json);
          };
      WebServer.page(config, "/" + kind + "/{slug}/feed.xml", rssHandler);
      WebServer.page(config, "/" + kind + "/{slug}/atom.xml", atomHandler);
      WebServer.page(config, "/" + kind + "/{slug}/feed.json", jsonHandler);
    }
    WebServer.page(config, "/{section}/{year}/{month}/{day}/{slug}/comments.xml", d::commentFeed);
    WebServer.page(config, "/sitemap.xml", d::sitemapIndex);
    WebServer.page(config, "/sitemaps/articles-{page}.xml", d::articleSitemap);
    WebServer.page(config, "/sitemaps/news.xml", d::newsSitemap);
    WebServer.page(config, "/sitemaps/sections.xml", d::sectionSitemap);
    WebServer.page(config, "/sitemaps/authors.xml", d::authorSitemap);
    WebServer.page(config, "/robots.txt", d::robots);
    var redirects = pages.redirects();
    WebServer.page(
        config,
        "/",
        ctx -> {
          if (!redirects.followPostId(ctx)) {
            articles.home(ctx);
          }
        });
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
    // Addresses of a previous site (kept by the WordPress import); registered last so they never
    // shadow a route of our own.
    WebServer.page(config, "/category/{slug}", redirects::follow);
    WebServer.page(config, "/{year}/{month}/{day}/{slug}", redirects::follow);
    WebServer.page(config, "/{slug}", redirects::follow);
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
