package org.broadsheet.app;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.broadsheet.storage.Database;
import org.broadsheet.support.DiskHealth;
import org.broadsheet.web.BearerToken;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/**
 * What an operator's tools call: {@code /healthz} (the process answers), {@code /readyz} (the
 * database answers too) and {@code /metrics} (Prometheus, with the metrics bearer token; off
 * without one). Thread-safe.
 */
final class OperationsRoutes implements RouteModule {

  /** The readiness answer. */
  record Readiness(String status, String database, String disk, String search) {}

  private final Database database;
  private final PrometheusMeterRegistry metrics;
  private final BearerToken metricsToken;
  private final DiskHealth disk;
  private java.nio.file.Path doctorToken;
  private java.util.function.Supplier<String> searchHealth = () -> "ok";
  private java.util.List<org.broadsheet.support.IpAddresses.Range> trustedProxies =
      java.util.List.of();

  OperationsRoutes(
      Database database, PrometheusMeterRegistry metrics, String metricsToken, DiskHealth disk) {
    this.disk = disk;
    this.database = database;
    this.metrics = metrics;
    this.metricsToken = new BearerToken(metricsToken);
  }

  @Override
  public void addRoutes(Routes routes) {
    routes.get("/healthz", ctx -> ctx.header("Cache-Control", "no-store").json(new Health("ok")));
    routes.get("/readyz", this::ready);
    routes.get("/metrics", this::metrics);
    routes.get("/doctor/echo", this::doctorEcho);
    routes.after("*", this::count);
  }

  /**
   * Counts every request the application answered by route pattern, method and status (answers from
   * the page cache's fast path are counted by the cache).
   */
  private void count(Context ctx) {
    io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    metrics
        .counter(
            "broadsheet_http_requests",
            "route",
            endpoint == null ? "unmatched" : endpoint.path,
            "method",
            ctx.method().name(),
            "status",
            Integer.toString(ctx.statusCode()))
        .increment();
  }

  /** What /readyz says of the search index: "ok", or what is wrong. */
  OperationsRoutes withSearch(java.util.function.Supplier<String> health) {
    this.searchHealth = health;
    return this;
  }

  OperationsRoutes withDoctor(java.nio.file.Path tokenFile, java.util.List<String> trustedProxies) {
    this.doctorToken = tokenFile;
    this.trustedProxies =
        trustedProxies.stream()
            .map(p -> org.broadsheet.support.IpAddresses.range(p).orElseThrow())
            .toList();
    return this;
  }

  /** What the doctor's probe saw. */
  record DoctorEcho(
      String peer, String forwardedFor, String forwardedProto, String host, boolean peerTrusted) {}

  /**
   * Answers {@code broadsheet doctor}'s probe, sent through the site's public address: what this
   * server sees of the request (the peer, the forwarding headers, whether the peer is a trusted
   * proxy). Only for a request carrying the token the doctor wrote into the data folder minutes
   * ago; anyone else gets 404.
   */
  private void doctorEcho(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    String sent = ctx.header(Doctor.TOKEN_HEADER);
    String expected = doctorToken == null ? null : Doctor.readToken(doctorToken);
    if (sent == null
        || expected == null
        || !java.security.MessageDigest.isEqual(
            sent.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            expected.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      throw org.broadsheet.web.HttpError.notFound();
    }
    String peer = ctx.req().getRemoteAddr();
    String forwarded = ctx.header("X-Forwarded-For");
    if (forwarded == null) {
      forwarded = org.broadsheet.support.IpAddresses.forwardedFor(ctx.header("Forwarded"));
    }
    ctx.json(
        new DoctorEcho(
            peer,
            forwarded,
            ctx.header("X-Forwarded-Proto"),
            ctx.header("Host"),
            org.broadsheet.support.IpAddresses.isTrusted(peer, trustedProxies)));
  }

  /** The liveness answer. */
  record Health(String status) {}

  /** Ready when the database answers and this node can write (its data folder; its database). */
  private void ready(Context ctx) {
    boolean up = database.ping();
    DiskHealth.Status writes = disk.check();
    String search;
    try {
      search = searchHealth.get();
    } catch (RuntimeException e) {
      search = "cannot be read: " + e.getMessage();
    }
    boolean ready = up && writes.writable() && "ok".equals(search);
    ctx.header("Cache-Control", "no-store")
        .status(ready ? 200 : 503)
        .json(
            new Readiness(
                ready ? "ready" : "unavailable",
                up ? "ok" : "not answering",
                writes.writable() ? "ok" : writes.detail(),
                search));
  }

  private void metrics(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    switch (metricsToken.check(ctx)) {
      case OFF -> throw HttpError.notFound();
      case REFUSED ->
          throw new HttpError(
              401, "Not allowed", "Send Authorization: Bearer <BROADSHEET_METRICS_TOKEN>.");
      case ACCEPTED -> {}
    }
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
    ctx.result(metrics.scrape());
  }
}
