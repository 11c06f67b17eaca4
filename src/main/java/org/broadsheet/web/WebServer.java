package org.broadsheet.web;

import static org.broadsheet.config.Settings.*;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.broadsheet.config.Config;
import org.broadsheet.support.Managed;
import org.broadsheet.support.RateLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty with virtual threads, the page cache in front, security headers
 * on every response, the reader's address resolved once per request, cross-site writes refused,
 * error pages in the site's look (also for requests Jetty rejects before routing), static assets,
 * and the routes every feature contributes through its {@link RouteModule}. Builds without
 * listening; {@link #start} opens the port. Thread-safe once started.
 */
public final class WebServer implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  private static final String HTML = "text/html; charset=utf-8";

  /** What the server is made of, besides the settings and the features' routes. */
  public record Parts(
      ErrorPages errorPages,
      PageCache pageCache,
      HttpCaching caching,
      Assets assets,
      List<String> humanCheckOrigins,
      List<String> privateCookies,
      org.broadsheet.support.OperatorNotices notices,
      org.broadsheet.support.DiskHealth disk) {}

  private final Config config;
  private final ErrorPages errorPages;
  private final org.broadsheet.support.DiskHealth disk;
  private final SecurityHeaders securityHeaders;
  private final AtomicLong cspViolations = new AtomicLong();
  private final Javalin javalin;
  private final String siteOrigin;
  private final List<String> routeList;
  private final List<ApiOperation> apiOperations;

  public WebServer(Config config, Parts parts, List<RouteModule> modules) {
    this.config = config;
    java.net.URI base = java.net.URI.create(config.get(BASE_URL));
    this.siteOrigin = base.getScheme() + "://" + base.getRawAuthority();
    this.errorPages = parts.errorPages();
    this.disk = parts.disk();
    this.securityHeaders = new SecurityHeaders(config.https(), parts.humanCheckOrigins());
    ClientAddress clientAddress = new ClientAddress(config.get(TRUSTED_PROXIES), parts.notices());
    List<String> registered = new java.util.ArrayList<>();
    List<ApiOperation> operations = new java.util.ArrayList<>();
    this.javalin =
        Javalin.create(
            javalinConfig -> {
              configure(javalinConfig, parts);
              javalinConfig.routes.before(WebServer::requestId);
              javalinConfig.routes.after(ctx -> org.slf4j.MDC.remove("request"));
              javalinConfig.routes.before(securityHeaders::apply);
              javalinConfig.routes.before(clientAddress::resolve);
              javalinConfig.routes.before(RequestLimits::check);
              javalinConfig.routes.before(this::refuseCrossSiteWrites);
              Routes routes = new Routes(javalinConfig.routes);
              routes.post("/csp-report", this::cspReport);
              parts.assets().addRoutes(routes);
              modules.forEach(module -> module.addRoutes(routes));
              routes.apply();
              registered.addAll(routes.describe());
              operations.addAll(routes.apiOperations());
              errorHandlers(javalinConfig);
            });
    this.routeList = List.copyOf(registered);
    this.apiOperations = List.copyOf(operations);
  }

  private void configure(JavalinConfig javalinConfig, Parts parts) {
    javalinConfig.startup.showJavalinBanner = false;
    javalinConfig.startup.showOldJavalinVersionWarning = false;
    // Its watcher is a non-daemon thread started by create(): a command that builds the site
    // without serving it would wait for it before exiting.
    javalinConfig.startup.startupWatcherEnabled = false;
    javalinConfig.concurrency.useVirtualThreads = true;
    javalinConfig.http.compressionStrategy = CompressionStrategy.NONE;
    javalinConfig.http.generateEtags = false;
    javalinConfig.http.maxRequestSize = 1_000_000;
    // Media uploads: the library refuses anything over 20 MB with a clear message.
    javalinConfig.jetty.multipartConfig.maxFileSize(21, io.javalin.config.SizeUnit.MB);
    javalinConfig.jetty.multipartConfig.maxTotalRequestSize(22, io.javalin.config.SizeUnit.MB);
    javalinConfig.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
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
          // Javalin attaches its servlet context inside this wrapper, so cache hits never reach
          // the framework.
          server.setHandler(
              new PageCacheHandler(
                  parts.pageCache(), securityHeaders, parts.caching(), parts.privateCookies()));
        });
  }

  private void errorHandlers(JavalinConfig javalinConfig) {
    javalinConfig.routes.exception(
        HttpError.class, (e, ctx) -> error(ctx, e.status(), e.title(), e.getMessage()));
    javalinConfig.routes.exception(
        org.broadsheet.support.ValidationException.class,
        (e, ctx) -> {
          if (isApi(ctx)) {
            Api.problem(
                ctx,
                422,
                "Some fields were refused",
                "Correct the fields listed in errors and send the request again.",
                e.fieldErrors());
          } else {
            error(ctx, 422, "Some fields were refused", e.getMessage());
          }
        });
    javalinConfig.routes.exception(
        Redirect.class,
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
          if (disk.failed(e)) {
            LOG.warn("Refused {} {}: the disk is full", ctx.method(), ctx.path());
            ctx.header("Retry-After", "300");
            error(
                ctx,
                503,
                "Cannot save right now",
                "The site cannot save anything at the moment because its storage is full; nothing"
                    + " you sent was saved. Keep what you wrote and try again in a few minutes.");
            return;
          }
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

  /**
   * Reads and drops a refused request's body when it is not huge, so the answer reaches the client:
   * closing a connection the client is still writing to resets it, and the answer is lost.
   */
  private static void discardBody(Context ctx) {
    long length = ctx.contentLength();
    if (length > 0 && length <= 256 * 1024) {
      try {
        ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      } catch (java.io.IOException e) {
        // the client went away; nothing to answer
      }
    }
  }

  /**
   * Browsers' reports of Content-Security-Policy violations: at most {@value #CSP_REPORT_BYTES}
   * bytes, a few a minute per network and {@value #CSP_REPORTS_LOGGED_PER_MINUTE} logged a minute
   * in all (the rest are counted); what is logged is the report's few fields on one line, stripped
   * of control characters, so a report cannot write log lines of its own.
   */
  private void cspReport(Context ctx) {
    long count = cspViolations.incrementAndGet();
    ctx.status(204);
    if (ctx.contentLength() > CSP_REPORT_BYTES) {
      ctx.status(413);
      discardBody(ctx);
      return;
    }
    if (cspPerNetwork.tryTake(ClientAddress.network(ctx)).isPresent()
        || cspLogged.tryTake("all").isPresent()) {
      discardBody(ctx);
      return;
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > CSP_REPORT_BYTES) {
      ctx.status(413);
      return;
    }
    com.fasterxml.jackson.databind.JsonNode report;
    try {
      report = CSP_JSON.readTree(body);
    } catch (java.io.IOException e) {
      ctx.status(400);
      return;
    }
    if (report == null) {
      ctx.status(400);
      return;
    }
    // The older report-uri format wraps the fields; the Reporting API sends an array of them.
    if (report.isArray() && !report.isEmpty()) {
      report = report.get(0).path("body");
    } else if (report.has("csp-report")) {
      report = report.get("csp-report");
    }
    LOG.warn(
        "Content-Security-Policy violation #{}: directive={} blocked={} page={}",
        count,
        logSafe(report, "violated-directive", "effectiveDirective"),
        logSafe(report, "blocked-uri", "blockedURL"),
        logSafe(report, "document-uri", "documentURL"));
  }

  private static final int CSP_REPORT_BYTES = 16 * 1024;
  private static final int CSP_REPORTS_LOGGED_PER_MINUTE = 60;
  private static final com.fasterxml.jackson.databind.ObjectMapper CSP_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final RateLimits cspPerNetwork = new RateLimits(6, java.time.Clock.systemUTC());
  private final RateLimits cspLogged =
      new RateLimits(CSP_REPORTS_LOGGED_PER_MINUTE, java.time.Clock.systemUTC());

  /** A report field as one short line of printable text, or "-". */
  private static String logSafe(
      com.fasterxml.jackson.databind.JsonNode report, String name, String otherName) {
    String value = report.path(name).asText(report.path(otherName).asText(""));
    StringBuilder clean = new StringBuilder();
    value
        .codePoints()
        .limit(200)
        .forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return clean.isEmpty() ? "-" : clean.toString();
  }

  /** How many CSP violation reports browsers have sent since start. */
  public long cspViolations() {
    return cspViolations.get();
  }

  /** Every route the features registered, as "METHOD path [roles]", in registration order. */
  /** The API operations the features registered, in order. */
  public List<ApiOperation> apiOperations() {
    return apiOperations;
  }

  public List<String> routes() {
    return routeList;
  }

  void error(Context ctx, int status, String title, String message) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    if (isApi(ctx)) {
      Api.problem(ctx, status, title, message, null);
      return;
    }
    if (wantsJson(ctx)) {
      // "error" for API clients, "message" for our own scripts, which show it as it is.
      ctx.json(
          java.util.Map.of("status", status, "title", title, "error", message, "message", message));
      return;
    }
    ctx.contentType(HTML);
    ctx.result(errorBytes(status, title, message));
  }

  private static final java.util.regex.Pattern REQUEST_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * Every request the application answers gets an id, in the log lines it causes and in the {@code
   * X-Request-Id} answer header: the proxy's, when it sent a sane one, else a new one.
   */
  private static void requestId(Context ctx) {
    String given = ctx.header("X-Request-Id");
    String id =
        given != null && REQUEST_ID.matcher(given).matches()
            ? given
            : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    org.slf4j.MDC.put("request", id);
    ctx.header("X-Request-Id", id);
  }

  /** The versioned API, whose errors are RFC 9457 problem details. */
  static boolean isApi(Context ctx) {
    return ctx.path().startsWith("/api/v1/");
  }

  /** A script or an API client: it asked for JSON, sent JSON, or called the API. */
  static boolean wantsJson(Context ctx) {
    String accept = ctx.header("Accept");
    String type = ctx.contentType();
    return ctx.path().startsWith("/api/")
        || (accept != null && accept.contains("application/json") && !accept.contains("text/html"))
        || (type != null && type.startsWith("application/json"));
  }

  byte[] errorBytes(int status, String title, String message) {
    try {
      return errorPages.render(status, title, message);
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

  @Override
  public void start() {
    try {
      javalin.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          HOST.env()
              + "="
              + config.get(HOST)
              + ", "
              + PORT.env()
              + "="
              + config.get(PORT)
              + ": cannot listen there: "
              + rootMessage(e)
              + ". Is another program using the port? Choose another with "
              + PORT.env()
              + ".",
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

  @Override
  public void stop() {
    javalin.stop();
  }

  @Override
  public String name() {
    return "web server";
  }
}
