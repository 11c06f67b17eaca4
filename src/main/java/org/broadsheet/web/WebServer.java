package org.broadsheet.web;

import static org.broadsheet.config.Settings.*;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.broadsheet.article.ArticlePages;
import org.broadsheet.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty with virtual threads, security headers on every response, error
 * pages in the site's look (also for requests Jetty rejects before routing, such as bad
 * percent-encoding), and the routes each feature contributes. Thread-safe once started.
 */
public final class WebServer {

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  private static final String HTML = "text/html; charset=utf-8";

  private final Config config;
  private final SiteChrome chrome;
  private final Templates templates;
  private final SecurityHeaders securityHeaders;
  private final AtomicLong cspViolations = new AtomicLong();
  private final Javalin javalin;
  private final String siteOrigin;

  public WebServer(
      Config config,
      SiteChrome chrome,
      Templates templates,
      PageCache pageCache,
      HttpCaching caching,
      java.util.List<String> humanCheckOrigins,
      Consumer<JavalinConfig> routes) {
    this.config = config;
    java.net.URI base = java.net.URI.create(config.get(BASE_URL));
    this.siteOrigin = base.getScheme() + "://" + base.getRawAuthority();
    this.chrome = chrome;
    this.templates = templates;
    this.securityHeaders =
        new SecurityHeaders(config.get(BASE_URL).startsWith("https://"), humanCheckOrigins);
    this.javalin =
        Javalin.create(
            javalinConfig -> {
              javalinConfig.startup.showJavalinBanner = false;
              javalinConfig.startup.showOldJavalinVersionWarning = false;
              javalinConfig.concurrency.useVirtualThreads = true;
              javalinConfig.http.compressionStrategy = CompressionStrategy.NONE;
              javalinConfig.http.generateEtags = false;
              javalinConfig.http.maxRequestSize = 1_000_000;
              // Media uploads: the library refuses anything over 20 MB with a clear message.
              javalinConfig.jetty.multipartConfig.maxFileSize(21, io.javalin.config.SizeUnit.MB);
              javalinConfig.jetty.multipartConfig.maxTotalRequestSize(
                  22, io.javalin.config.SizeUnit.MB);
              javalinConfig.jetty.multipartConfig.maxInMemoryFileSize(
                  1, io.javalin.config.SizeUnit.MB);
              javalinConfig.jetty.host = config.get(HOST);
              javalinConfig.jetty.port = config.get(PORT);
              javalinConfig.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setSendServerVersion(false);
                    // Room for a long search query in the URL; longer addresses get a 414 page.
                    http.setRequestHeaderSize(16 * 1024);
                  });
              javalinConfig.jetty.modifyServer(
                  server -> {
                    server.setErrorHandler(new JettyErrorPages(this::errorBytes, securityHeaders));
                    // Javalin attaches its servlet context inside this wrapper, so cache hits never
                    // reach the framework.
                    server.setHandler(new PageCacheHandler(pageCache, securityHeaders, caching));
                  });
              javalinConfig.routes.before(securityHeaders::apply);
              javalinConfig.routes.before(this::refuseCrossSiteWrites);
              javalinConfig.routes.post("/csp-report", this::cspReport);
              routes.accept(javalinConfig);
              javalinConfig.routes.exception(
                  HttpError.class, (e, ctx) -> error(ctx, e.status(), e.title(), e.getMessage()));
              javalinConfig.routes.exception(
                  ArticlePages.MovedPermanently.class,
                  (e, ctx) -> {
                    ctx.header("Cache-Control", "public, max-age=3600");
                    ctx.redirect(e.location(), io.javalin.http.HttpStatus.MOVED_PERMANENTLY);
                  });
              javalinConfig.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) -> {
                    int status = e.getStatus();
                    if (status == 404) {
                      HttpError notFound = HttpError.notFound();
                      error(ctx, 404, notFound.title(), notFound.getMessage());
                    } else {
                      error(
                          ctx,
                          status,
                          status >= 500 ? "Something went wrong" : "Request not accepted",
                          e.getMessage());
                    }
                  });
              javalinConfig.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    String incident = UUID.randomUUID().toString().substring(0, 8);
                    LOG.error("Incident {} on {} {}", incident, ctx.method(), ctx.path(), e);
                    error(
                        ctx,
                        500,
                        "Something went wrong",
                        "The page could not be shown because of a fault on our side (incident "
                            + incident
                            + "). Please try again in a moment.");
                  });
              javalinConfig.routes.error(
                  404,
                  ctx -> {
                    if (ctx.result() == null) {
                      HttpError notFound = HttpError.notFound();
                      error(ctx, 404, notFound.title(), notFound.getMessage());
                    }
                  });
            });
  }

  /** Registers a GET route that also answers HEAD. */
  public static void page(JavalinConfig config, String path, Handler handler) {
    config.routes.get(path, handler);
    config.routes.head(path, handler);
  }

  /**
   * Forms are only accepted from this site's own pages: a state-changing request whose Origin is
   * another site (or that the browser marks cross-site) is refused before any handler runs.
   */
  private void refuseCrossSiteWrites(Context ctx) {
    String method = ctx.method().name();
    if (method.equals("GET")
        || method.equals("HEAD")
        || method.equals("OPTIONS")
        || ctx.path().equals("/csp-report")) {
      return;
    }
    String origin = ctx.header("Origin");
    String fetchSite = ctx.header("Sec-Fetch-Site");
    boolean foreignOrigin =
        origin != null
            && !origin.equals(siteOrigin)
            && !origin.equals(ctx.scheme() + "://" + ctx.host());
    if (foreignOrigin || "cross-site".equals(fetchSite)) {
      throw new HttpError(
          403, "Request refused", "Forms on this site can only be sent from its own pages.");
    }
  }

  private void cspReport(Context ctx) {
    long count = cspViolations.incrementAndGet();
    String body = ctx.body();
    LOG.warn(
        "Content-Security-Policy violation #{}: {}",
        count,
        body.length() > 2000 ? body.substring(0, 2000) : body);
    ctx.status(204);
  }

  /** How many CSP violation reports browsers have sent since start. */
  public long cspViolations() {
    return cspViolations.get();
  }

  void error(Context ctx, int status, String title, String message) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(HTML);
    ctx.result(errorBytes(status, title, message));
  }

  byte[] errorBytes(int status, String title, String message) {
    try {
      Chrome frame = chrome.chrome(title, "", "/", "");
      return templates.render("error/error.jte", new ErrorPage(frame, status, title, message));
    } catch (RuntimeException e) {
      LOG.error("Could not render the error page for status {}", status, e);
      String safe = message.replace("&", "&amp;").replace("<", "&lt;");
      return ("<!DOCTYPE html><html lang=\"en\"><title>"
              + status
              + "</title><h1>"
              + status
              + "</h1><p>"
              + safe
              + "</p></html>")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  public void start() {
    try {
      javalin.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "BROADSHEET_HOST="
              + config.get(HOST)
              + ", BROADSHEET_PORT="
              + config.get(PORT)
              + ": cannot listen there: "
              + rootMessage(e)
              + ". Is another program using the port? Choose another with BROADSHEET_PORT.",
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  public int port() {
    return javalin.port();
  }

  public void stop() {
    javalin.stop();
  }
}
