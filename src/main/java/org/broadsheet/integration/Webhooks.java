package org.broadsheet.integration;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.Managed;
import org.broadsheet.support.OutboundHttp;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.Api;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks: endpoints set up in the newsroom are told of what happens on the site. Events come from
 * the change feed, which every node follows: each event is added once per endpoint (a unique row,
 * whoever adds it first), and a node takes a delivery for one try with a short lease, so each is
 * delivered once across nodes. A failed try is repeated with growing waits; an endpoint whose
 * delivery fails every try is turned off, with a notice in the newsroom. Every try is signed
 * (Standard Webhooks) and logged with its status code. Thread-safe.
 */
public final class Webhooks implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration KEEP = Duration.ofDays(30);
  private static final Duration LONGEST_WAIT = Duration.ofHours(6);
  private static final int ANSWER_BYTES = 64 * 1024;

  /** One event for endpoints: its type and its data. */
  public record Event(String type, Object data) {}

  /** Options: tries per delivery, the first wait, and whether private addresses may be targets. */
  public record Options(int attempts, Duration firstWait, boolean privateTargets) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final SecureRandom random;
  private final Audit audit;
  private final ChangeFeed changes;
  private final OutboundHttp http;
  private final Options options;
  private final Function<Change, Optional<Event>> events;
  private final WebhookStore store = new WebhookStore();
  private ScheduledExecutorService worker;

  public Webhooks(
      Jdbi jdbi,
      Clock clock,
      SecureRandom random,
      Audit audit,
      ChangeFeed changes,
      OutboundHttp http,
      Options options,
      Function<Change, Optional<Event>> events) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.random = random;
    this.audit = audit;
    this.changes = changes;
    this.http = http;
    this.options = options;
    this.events = events;
  }

  /** Follows the change feed from where the site last was (from now on, the first time). */
  public void follow() {
    long after = jdbi.withHandle(store::cursor).orElseGet(changes::latestId);
    changes.follow("webhooks", this::onChange, after);
  }

  // ---- the newsroom's side

  public List<Webhook> all() {
    return jdbi.withHandle(store::all);
  }

  public Optional<Webhook> byId(long id) {
    return jdbi.withHandle(h -> store.byId(h, id));
  }

  /** The newest deliveries of an endpoint, each with its tries. */
  public List<WebhookDelivery> recent(long webhookId, int limit) {
    return jdbi.withHandle(
        h ->
            store.recent(h, webhookId, limit).stream()
                .map(
                    d ->
                        new WebhookDelivery(
                            d.id(),
                            d.webhookId(),
                            d.eventType(),
                            d.payload(),
                            d.status(),
                            d.attempts(),
                            d.nextAttemptAt(),
                            d.lastStatus(),
                            d.lastError(),
                            d.createdAt(),
                            d.deliveredAt(),
                            store.attempts(h, d.id())))
                .toList());
  }

  /** Sets up an endpoint; its signing secret is made here. */
  public Webhook create(String name, String url, Set<String> wanted, Actor actor) {
    Checked c = check(name, url, wanted);
    String secret = WebhookSignature.newSecret(random);
    long id =
        jdbi.inTransaction(
            h -> {
              long newId =
                  store.insert(
                      h, c.name(), c.url(), c.events(), secret, actor.userId(), clock.instant());
              audit.record(
                  h,
                  actor,
                  "webhook.create",
                  "webhook:" + newId + " " + c.name(),
                  c.url() + " " + String.join(",", c.events()));
              return newId;
            });
    return byId(id).orElseThrow();
  }

  public Webhook update(long id, String name, String url, Set<String> wanted, Actor actor) {
    Checked c = check(name, url, wanted);
    jdbi.useTransaction(
        h -> {
          store
              .byId(h, id)
              .orElseThrow(
                  () -> new ValidationException(Map.of("webhook", "There is no such webhook.")));
          store.update(h, id, c.name(), c.url(), c.events());
          audit.record(h, actor, "webhook.update", "webhook:" + id + " " + c.name(), c.url());
        });
    return byId(id).orElseThrow();
  }

  /** Turns an endpoint on again; what failed while it was off is tried again. */
  public void enable(long id, Actor actor) {
    jdbi.useTransaction(
        h -> {
          store.enable(h, id);
          audit.record(h, actor, "webhook.enable", "webhook:" + id, "");
        });
    nudge();
  }

  public void delete(long id, Actor actor) {
    jdbi.useTransaction(
        h -> {
          store.delete(h, id);
          audit.record(h, actor, "webhook.delete", "webhook:" + id, "");
        });
  }

  /** Sends a "ping" event to one endpoint now (the newsroom's "Send test" button). */
  public void sendTest(long id, Actor actor) {
    Webhook w =
        byId(id)
            .orElseThrow(
                () -> new ValidationException(Map.of("webhook", "There is no such webhook.")));
    String payload =
        envelope(
            new Event("ping", Map.of("webhook", w.name(), "message", "A test from the newsroom.")));
    jdbi.useTransaction(
        h -> {
          store.enqueue(
              h,
              id,
              "test:" + Long.toHexString(random.nextLong()),
              "ping",
              payload,
              clock.instant());
          audit.record(h, actor, "webhook.test", "webhook:" + id + " " + w.name(), "");
        });
    nudge();
  }

  private record Checked(String name, String url, Set<String> events) {}

  private Checked check(String name, String url, Set<String> wanted) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty() || cleanName.length() > 80) {
      errors.put(
          "name", "Name the webhook (up to 80 characters), e.g. \u201cApp notifications\u201d.");
    }
    String cleanUrl = url == null ? "" : url.strip();
    try {
      URI uri = URI.create(cleanUrl);
      if (cleanUrl.length() > 2000) {
        errors.put("url", "That address is too long.");
      } else {
        http.checkTarget(uri);
      }
    } catch (IllegalArgumentException e) {
      errors.put(
          "url", "Give the receiver's full address, e.g. https://hooks.example.org/broadsheet.");
    } catch (OutboundHttp.Refused e) {
      errors.put(
          "url",
          "Webhooks cannot go there: "
              + e.getMessage()
              + (options.privateTargets()
                  ? "."
                  : ". Use a public https:// address (the operator can allow private ones)."));
    }
    Set<String> known = new LinkedHashSet<>();
    Webhook.EVENTS.forEach(e -> known.add(e.type()));
    Set<String> events = new LinkedHashSet<>();
    for (String e : wanted == null ? Set.<String>of() : wanted) {
      if (!known.contains(e)) {
        errors.put("events", "Unknown event " + e + ".");
      }
      events.add(e);
    }
    if (events.isEmpty()) {
      errors.put("events", "Choose at least one event.");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Checked(cleanName, cleanUrl, events);
  }

  // ---- events

  /**
   * Change-feed listener: turns a change into an event for each endpoint that wants it (and existed
   * when it happened). Costs one query per change while no endpoint is set up; the cursor moves
   * only when an event is added, so a restart may look at a few changes again, which adds nothing
   * twice.
   */
  void onChange(Change change) {
    List<Webhook> hooks = jdbi.withHandle(store::all);
    if (hooks.isEmpty()) {
      return;
    }
    Optional<Event> event = events.apply(change);
    if (event.isEmpty()) {
      return;
    }
    List<Webhook> wanting =
        hooks.stream()
            .filter(w -> w.events().contains(event.get().type()))
            .filter(w -> !change.at().isBefore(w.createdAt()))
            .toList();
    if (wanting.isEmpty()) {
      return;
    }
    String payload = envelope(event.get());
    int[] added = {0};
    jdbi.useTransaction(
        h -> {
          for (Webhook w : wanting) {
            if (store.enqueue(
                h, w.id(), "change:" + change.id(), event.get().type(), payload, clock.instant())) {
              added[0]++;
            }
          }
          store.advance(h, change.id());
        });
    if (added[0] > 0) {
      nudge();
    }
  }

  private String envelope(Event event) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", event.type());
    body.put("timestamp", clock.instant().toString());
    body.put("data", event.data());
    return new String(Api.bytes(body), StandardCharsets.UTF_8);
  }

  // ---- deliveries

  /** Tries every delivery that is due; returns how many were tried. */
  public int deliverDue() {
    Instant now = clock.instant();
    int tried = 0;
    for (long id : jdbi.withHandle(h -> store.due(h, now, 20))) {
      if (stopping) {
        break; // the rest is left due, for another node or the next start
      }
      if (jdbi.withHandle(h -> store.lease(h, id, now, now.plus(LEASE)))) {
        deliver(id);
        tried++;
      }
    }
    return tried;
  }

  private void deliver(long deliveryId) {
    WebhookDelivery d = jdbi.withHandle(h -> store.delivery(h, deliveryId)).orElse(null);
    if (d == null) {
      return;
    }
    Webhook w = byId(d.webhookId()).orElse(null);
    if (w == null || !w.enabled()) {
      return;
    }
    byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
    Instant started = clock.instant();
    Integer status = null;
    String error = null;
    long t0 = System.nanoTime();
    try {
      Map<String, String> headers =
          new LinkedHashMap<>(
              WebhookSignature.headers(w.secret(), d.messageId(), started.getEpochSecond(), body));
      OutboundHttp.Answer answer =
          http.post(URI.create(w.url()), body, "application/json", headers, ANSWER_BYTES);
      status = answer.status();
      if (status < 200 || status > 299) {
        error = "answered " + status;
      }
    } catch (OutboundHttp.Refused | IllegalArgumentException e) {
      error = e.getMessage();
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1_000_000);
    int attempts = d.attempts() + 1;
    Integer code = status;
    String problem = error;
    Instant now = clock.instant();
    jdbi.useTransaction(
        h -> {
          store.recordAttempt(h, deliveryId, started, code, problem, millis);
          if (problem == null) {
            store.delivered(h, deliveryId, attempts, code, now);
            store.setFailures(h, w.id(), 0);
            return;
          }
          boolean last = attempts >= options.attempts();
          store.failedTry(h, deliveryId, attempts, code, problem, now.plus(wait(attempts)), last);
          if (last) {
            store.setFailures(h, w.id(), w.failures() + 1);
            store.disable(
                h,
                w.id(),
                now,
                "A delivery failed "
                    + attempts
                    + " tries in a row (last: "
                    + problem
                    + "). Fix the receiver, then turn the webhook on again.");
            LOG.warn(
                "Webhook {} ({}) turned off: {} tries failed, last: {}",
                w.id(),
                w.name(),
                attempts,
                problem);
          }
        });
  }

  /**
   * The wait after the n-th failed try: the first wait, four times longer each time, at most 6 h.
   */
  Duration wait(int attempts) {
    long seconds = options.firstWait().toSeconds();
    for (int i = 1; i < attempts && seconds < LONGEST_WAIT.toSeconds(); i++) {
      seconds *= 4;
    }
    return Duration.ofSeconds(Math.min(seconds, LONGEST_WAIT.toSeconds()));
  }

  /** Forgets finished deliveries older than 30 days. */
  public int purge() {
    return jdbi.withHandle(h -> store.purgeBefore(h, clock.instant().minus(KEEP)));
  }

  private void nudge() {
    ScheduledExecutorService w;
    synchronized (this) {
      w = worker;
    }
    if (w != null) {
      w.execute(this::tick);
    }
  }

  private void tick() {
    try {
      while (deliverDue() > 0) {
        // until nothing is due
      }
    } catch (RuntimeException e) {
      LOG.warn("Webhook deliveries failed; trying again shortly", e);
    }
  }

  @Override
  public synchronized void start() {
    if (worker != null) {
      return;
    }
    worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhooks");
              t.setDaemon(true);
              return t;
            });
    worker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  // Set when the node stops: the delivery on the wire finishes, no other is taken.
  private volatile boolean stopping;

  @Override
  public void stop() {
    stopping = true;
    ScheduledExecutorService w;
    synchronized (this) {
      w = worker;
      worker = null;
    }
    if (w != null) {
      w.shutdown();
      try {
        w.awaitTermination(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    http.stop();
  }

  @Override
  public String name() {
    return "webhooks";
  }
}
