package org.broadsheet.mail;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.broadsheet.storage.WriteBatcher;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail outbox: messages are queued in the database in the same transaction as the change that
 * caused them, then a worker delivers them with retries and exponential backoff. Messages are
 * claimed in batches with a lease, so two nodes never send the same row; each batch is sent over
 * {@code concurrency} reused connections at no more than {@code ratePerSecond} (0: no limit). A
 * permanent failure (5xx, bad address) or too many attempts marks a message failed; an address that
 * hard-bounced or complained is never sent to again. Thread-safe.
 */
public final class Outbox implements org.broadsheet.support.Managed {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  // Stateless, so one serves every outbox and the static recordCampaign.
  private static final OutboxStore STORE = new OutboxStore();
  static final int MAX_ATTEMPTS = 8;
  static final Duration LEASE = Duration.ofMinutes(1);

  /** Messages claimed at once per SMTP connection: few, so a dead node strands few. */
  static final int CLAIM_PER_SENDER = 25;

  /** A queued message as stored. */
  public record Queued(
      long id,
      MailMessage message,
      String status,
      int attempts,
      String lastError,
      String campaign,
      Instant createdAt,
      Instant sentAt,
      boolean bounced) {}

  /** One mailing and what became of its messages. */
  public record Campaign(
      String key,
      String kind,
      String title,
      Instant createdAt,
      int queued,
      int sent,
      int failed,
      int bounced) {

    public int total() {
      return queued + sent + failed;
    }
  }

  private final Jdbi jdbi;
  private final MailTransport transport;
  private final Clock clock;
  private final String messageIdDomain;
  private final int concurrency;
  private final int ratePerSecond;
  private final Duration lease;
  private final Bucket rate;
  private final WriteBatcher records;

  private final ExecutorService senders;
  private ScheduledExecutorService worker;
  private final com.github.benmanes.caffeine.cache.LoadingCache<String, String[]> bodies;
  private final java.util.concurrent.atomic.AtomicBoolean nudged =
      new java.util.concurrent.atomic.AtomicBoolean();
  // Set when the node stops: nothing more is claimed or sent, and what was claimed but not sent is
  // handed back at once instead of waiting for its lease to run out.
  private volatile boolean stopping;
  private final java.util.concurrent.atomic.AtomicLong sentCount =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong failedCount =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong deferredCount =
      new java.util.concurrent.atomic.AtomicLong();

  public Outbox(Jdbi jdbi, MailTransport transport, Clock clock, String messageIdDomain) {
    this(jdbi, transport, clock, messageIdDomain, 1, 0, LEASE);
  }

  public Outbox(
      Jdbi jdbi,
      MailTransport transport,
      Clock clock,
      String messageIdDomain,
      int concurrency,
      int ratePerSecond) {
    this(jdbi, transport, clock, messageIdDomain, concurrency, ratePerSecond, LEASE);
  }

  /**
   * @param concurrency messages sent at once (one reused connection each)
   * @param ratePerSecond most messages per second, or 0 for no limit
   */
  public Outbox(
      Jdbi jdbi,
      MailTransport transport,
      Clock clock,
      String messageIdDomain,
      int concurrency,
      int ratePerSecond,
      Duration lease) {
    this.jdbi = jdbi;
    this.transport = transport;
    this.lease = lease;
    // Each message is recorded as sent once the server accepted it; concurrent senders' records
    // share commits (group commit).
    this.records = new WriteBatcher(jdbi, () -> {});

    this.clock = clock;
    this.messageIdDomain = messageIdDomain;
    this.concurrency = Math.max(1, concurrency);
    this.ratePerSecond = ratePerSecond;
    this.rate =
        ratePerSecond <= 0
            ? null
            : Bucket.builder()
                .addLimit(
                    Bandwidth.builder()
                        .capacity(ratePerSecond)
                        .refillGreedy(ratePerSecond, Duration.ofSeconds(1))
                        .build())
                .build();
    this.bodies =
        com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumSize(64)
            .build(key -> jdbi.withHandle(h -> STORE.body(h, key)));
    this.senders =
        Executors.newFixedThreadPool(
            this.concurrency,
            Thread.ofPlatform()
                .name("mail-sender-", 0)
                .daemon()
                .priority(Thread.MIN_PRIORITY)
                .factory());
  }

  /** Queues a message inside the caller's transaction; a repeated idempotency key is ignored. */
  public void enqueue(Handle h, MailMessage m) {
    enqueue(h, m, null);
  }

  /** Queues a message that belongs to a mailing (see {@link #recordCampaign}). */
  public void enqueue(Handle h, MailMessage m, String campaign) {
    STORE.insert(h, m, campaign, clock.instant());
  }

  /** Names a mailing for the newsroom's history; harmless to repeat. */
  public static void recordCampaign(Handle h, String key, String kind, String title, long now) {
    STORE.insertCampaign(h, key, kind, title.length() > 300 ? title.substring(0, 300) : title, now);
  }

  /**
   * How many queued messages have not been tried yet, including any being sent right now (retries
   * waiting for their next attempt are not counted).
   */
  public long untried() {
    return jdbi.withHandle(STORE::untried);
  }

  /**
   * How long the most overdue message has waited past the time it was due (its first try or a
   * retry): near zero while mail flows, growing when the mail server or the senders are stuck; zero
   * when nothing is due.
   */
  public Duration overdue() {
    return jdbi.withHandle(STORE::earliestDue)
        .map(due -> Duration.between(due, clock.instant()))
        .filter(age -> !age.isNegative())
        .orElse(Duration.ZERO);
  }

  /**
   * The outbox's figures in the metrics: messages waiting for their first try, how overdue the most
   * overdue one is, and what this node sent, had deferred and gave up on.
   */
  public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.Gauge.builder("broadsheet_outbox_waiting", this, Outbox::untried)
        .description("Messages in the outbox not yet tried")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "broadsheet_outbox_overdue_seconds", this, o -> o.overdue().toMillis() / 1000.0)
        .description("How long the most overdue message has waited past its time to be sent")
        .register(registry);
    Map<String, java.util.concurrent.atomic.AtomicLong> counts =
        Map.of("sent", sentCount, "deferred", deferredCount, "failed", failedCount);
    Map<String, String> meanings =
        Map.of(
            "sent", "Messages this node handed to the mail server",
            "deferred", "Attempts that failed for now; the message is retried later",
            "failed", "Messages given up on (refused for good, suppressed, or too many attempts)");
    counts.forEach(
        (name, count) ->
            io.micrometer.core.instrument.FunctionCounter.builder(
                    "broadsheet_mail_" + name, count, java.util.concurrent.atomic.AtomicLong::get)
                .description(meanings.get(name))
                .register(registry));
  }

  /** Messages this node handed to the mail server since it started. */
  public long sentCount() {
    return sentCount.get();
  }

  /** Messages this node gave up on since it started (refused for good, or too many attempts). */
  public long failedCount() {
    return failedCount.get();
  }

  /** Attempts this node saw fail for a while (the message is retried later) since it started. */
  public long deferredCount() {
    return deferredCount.get();
  }

  /**
   * Delivers every message that is due now; returns how many were sent. Messages are claimed a few
   * per sender at a time under a lease (renewed while they are being sent) and each is recorded as
   * sent the moment the mail server accepted it, so a node that dies re-sends at most the messages
   * it had on the wire, and the rest of its claim is free for another node once the lease ends.
   */
  public int deliverDue() {
    int sent = 0;
    int batchSize = concurrency * CLAIM_PER_SENDER;
    Claim current = stopping ? new Claim(List.of(), clock.instant()) : claim(batchSize);
    List<Future<Boolean>> sending = submit(current);
    while (!current.isEmpty()) {
      // A pipeline, so the senders never wait for the database: the next batch is claimed while
      // this one is on the wire.
      Claim next;
      try {
        next = stopping ? new Claim(List.of(), clock.instant()) : claim(batchSize);
      } catch (RuntimeException e) {
        await(sending);
        current.handBackSkipped();
        throw e;
      }
      sent += count(await(sending));
      current.handBackSkipped();
      if (stopping) {
        next.handBackAll();
        break;
      }
      sending = submit(next);
      current = next;
    }
    return sent;
  }

  /** Messages this node has claimed, and until when. Thread-safe. */
  private final class Claim {
    final List<Queued> messages;
    private Instant until;
    private final java.util.Set<Long> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Long> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Long> skipped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Claim(List<Queued> messages, Instant until) {
      this.messages = messages;
      this.until = until;
      messages.forEach(q -> open.add(q.id()));
    }

    boolean isEmpty() {
      return messages.isEmpty();
    }

    /**
     * Whether the message is still ours to send; renews the lease on what is left of the claim once
     * half of it has passed. A message whose lease ran out and that another node took since is not
     * ours any more.
     */
    synchronized boolean stillOurs(long id) {
      Instant now = clock.instant();
      if (now.isAfter(until.minus(lease.dividedBy(2)))) {
        List<Long> left = List.copyOf(open);
        Instant renewed = now.plus(lease);
        int[] counts = jdbi.inTransaction(h -> STORE.renew(h, left, until, renewed));
        for (int i = 0; i < left.size(); i++) {
          if (counts[i] != 1) {
            lost.add(left.get(i));
          }
        }
        until = renewed;
      }
      return !lost.contains(id);
    }

    void done(long id) {
      open.remove(id);
    }

    /** Not sent because the node is stopping: handed back when the batch is over. */
    void skip(long id) {
      skipped.add(id);
    }

    /** Makes the messages skipped while stopping due again, for any node to send. */
    synchronized void handBackSkipped() {
      handBack(List.copyOf(skipped));
      skipped.clear();
    }

    /** Makes every message of a claim that was never handed to a sender due again. */
    synchronized void handBackAll() {
      handBack(messages.stream().map(Queued::id).toList());
    }

    private void handBack(List<Long> ids) {
      if (ids.isEmpty()) {
        return;
      }
      Instant now = clock.instant();
      // Only rows still held under this claim's lease: one another node took since is left alone.
      int[] counts = jdbi.inTransaction(h -> STORE.renew(h, ids, until, now));
      LOG.info(
          "Stopping: handed back {} claimed messages for another node or the next start",
          java.util.Arrays.stream(counts).sum());
    }
  }

  /**
   * Claims up to {@code limit} due messages: suppressed addresses are failed at once, the rest are
   * leased to this node.
   */
  private Claim claim(int limit) {
    Instant now = clock.instant();
    Instant until = now.plus(leaseFor(limit));
    List<Queued> mine =
        jdbi.inTransaction(
            h -> {
              List<Queued> due = new ArrayList<>();
              for (OutboxStore.Due d : STORE.due(h, now, limit)) {
                due.add(
                    d.suppressed() == null
                        ? queued(d.row())
                        : withError(queued(d.row()), "suppressed: " + d.suppressed()));
              }
              if (due.isEmpty()) {
                return due;
              }
              int[] counts = STORE.lease(h, due.stream().map(Queued::id).toList(), until, now);
              List<Queued> claimed = new ArrayList<>(due.size());
              for (int i = 0; i < due.size(); i++) {
                if (counts[i] != 1) {
                  continue;
                }
                Queued q = due.get(i);
                if (q.lastError() != null && q.lastError().startsWith("suppressed: ")) {
                  failedCount.incrementAndGet();
                  STORE.fail(h, q.id(), q.lastError() + " address, never mailed again");
                } else {
                  claimed.add(q);
                }
              }
              return claimed;
            });
    return new Claim(mine, until);
  }

  /** A stored message; one of a campaign is its campaign's body with this reader's values. */
  private MailMessage message(OutboxStore.Row row) {
    String text = row.textBody();
    String html = row.htmlBody();
    if (row.bodyKey() != null) {
      String[] body = bodies.get(row.bodyKey());
      Map<String, String> vars = readVars(row.bodyVars());
      text = fill(body[0], vars, false);
      html = body[1] == null ? null : fill(body[1], vars, true);
    }
    return new MailMessage(
        row.recipient(), row.subject(), text, html, row.listUnsubscribe(), row.idempotencyKey());
  }

  /** The placeholder a shared body holds for a reader's value. */
  public static String placeholder(String name) {
    return "{{bs:" + name + "}}";
  }

  /** The body with each placeholder replaced, in one pass (a campaign fills 100,000 of these). */
  static String fill(String body, Map<String, String> vars, boolean html) {
    StringBuilder out = new StringBuilder(body.length() + 512);
    int from = 0;
    while (true) {
      int at = body.indexOf("{{bs:", from);
      int end = at < 0 ? -1 : body.indexOf("}}", at);
      if (end < 0) {
        return out.append(body, from, body.length()).toString();
      }
      String value = vars.get(body.substring(at + 5, end));
      out.append(body, from, at);
      if (value == null) {
        out.append(body, at, end + 2);
      } else if (html) {
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          switch (c) {
            case '&' -> out.append("&amp;");
            case '<' -> out.append("&lt;");
            case '>' -> out.append("&gt;");
            case '"' -> out.append("&quot;");
            case '\'' -> out.append("&#39;");
            default -> out.append(c);
          }
        }
      } else {
        out.append(value);
      }
      from = end + 2;
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static Map<String, String> readVars(String json) {
    try {
      return json == null
          ? Map.of()
          : JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Stores a campaign's body once (text and HTML with {@link #placeholder}s); harmless to repeat.
   */
  public void storeBody(Handle h, String key, String text, String html) {
    STORE.insertBody(h, key, text, html, clock.millis());
  }

  /** One reader's copy of a stored body: the reader's values and keys. */
  public record Copy(
      String recipient, Map<String, String> vars, String listUnsubscribe, String idempotencyKey) {}

  /**
   * Queues readers' copies of a stored body in one batch: only the readers' values are stored, and
   * they are filled in (HTML-escaped in the HTML part) when each message is sent.
   */
  public void enqueueShared(
      Handle h, String subject, String bodyKey, String campaign, List<Copy> copies) {
    long now = clock.millis();
    List<OutboxStore.SharedCopy> rows = new ArrayList<>(copies.size());
    for (Copy c : copies) {
      String json;
      try {
        json = JSON.writeValueAsString(c.vars());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      rows.add(
          new OutboxStore.SharedCopy(c.recipient(), json, c.listUnsubscribe(), c.idempotencyKey()));
    }
    STORE.insertShared(h, subject, bodyKey, campaign, rows, now);
  }

  /**
   * How long a claimed batch is ours before it is renewed: a batch waits while the one before it is
   * sent, so at a low rate the lease also covers two batches' sending time.
   */
  private Duration leaseFor(int batchSize) {
    return rate == null ? lease : lease.plusSeconds(2L * batchSize / Math.max(1, ratePerSecond));
  }

  private static Queued withError(Queued q, String error) {
    return new Queued(
        q.id(),
        q.message(),
        q.status(),
        q.attempts(),
        error,
        q.campaign(),
        q.createdAt(),
        q.sentAt(),
        q.bounced());
  }

  /** Hands a claimed batch to the pool of senders. */
  private List<Future<Boolean>> submit(Claim claim) {
    List<Future<Boolean>> outcomes = new ArrayList<>(claim.messages.size());
    for (Queued q : claim.messages) {
      outcomes.add(senders.submit(() -> sendOne(claim, q)));
    }
    return outcomes;
  }

  /** Waits for a batch: whether each message went. */
  private static List<Boolean> await(List<Future<Boolean>> sending) {
    List<Boolean> outcomes = new ArrayList<>(sending.size());
    for (Future<Boolean> f : sending) {
      try {
        outcomes.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcomes.add(false);
      } catch (ExecutionException e) {
        LOG.warn("Sending a message failed: {}", e.getCause().toString());
        outcomes.add(false);
      }
    }
    return outcomes;
  }

  private static int count(List<Boolean> outcomes) {
    return (int) outcomes.stream().filter(Boolean::booleanValue).count();
  }

  /**
   * Sends one claimed message if it is still ours and records the outcome before the next: sent as
   * soon as the server accepted it, or rescheduled.
   */
  private boolean sendOne(Claim claim, Queued q) throws InterruptedException {
    try {
      if (stopping || !claim.stillOurs(q.id())) {
        claim.skip(q.id());
        return false;
      }
      if (rate != null) {
        rate.asBlocking().consume(1);
        if (stopping) {
          claim.skip(q.id());
          return false;
        }
      }
      try {
        transport.send(q.message(), messageId(q.id(), q.message().idempotencyKey()));
      } catch (MailTransport.MailFailure failure) {
        recordFailure(q, failure);
        return false;
      }
      // Recorded before this connection sends anything else: a node that dies re-sends at most
      // the one message per connection that was on the wire.
      try {
        records.write(
            h -> {
              STORE.markSent(h, List.of(q.id()), clock.instant());
              return null;
            });
      } catch (RuntimeException e) {
        LOG.error("Recording sent message {} failed; it may go out again", q.id(), e);
        return false;
      }
      sentCount.incrementAndGet();
      return true;
    } finally {
      claim.done(q.id());
    }
  }

  /** The Message-ID of an outbox row: bounce reports that quote it find the row again. */
  String messageId(long id, String key) {
    return "<" + id + "." + Integer.toHexString(key.hashCode()) + "@" + messageIdDomain + ">";
  }

  /** The outbox row a Message-ID names, if it is one of ours. */
  public static Optional<Long> rowOf(String messageId) {
    if (messageId == null) {
      return Optional.empty();
    }
    var m =
        java.util.regex.Pattern.compile("<?([0-9]{1,18})\\.[0-9a-f-]+@[^>]*>?")
            .matcher(messageId.strip());
    return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  private void recordFailure(Queued q, MailTransport.MailFailure failure) {
    int attempts = q.attempts() + 1;
    boolean giveUp = failure.permanent() || attempts >= MAX_ATTEMPTS;
    (giveUp ? failedCount : deferredCount).incrementAndGet();
    Duration backoff = Duration.ofSeconds(Math.min(3600, 30L << Math.min(attempts - 1, 10)));
    LOG.warn(
        "Mail {} to outbox row {} {}: {}",
        giveUp ? "failed for good" : "will be retried",
        q.id(),
        giveUp ? "" : "in " + backoff.toSeconds() + " s",
        failure.getMessage());
    String error =
        failure.getMessage().length() > 500
            ? failure.getMessage().substring(0, 500)
            : failure.getMessage();
    jdbi.useTransaction(
        h ->
            STORE.reschedule(
                h,
                q.id(),
                giveUp ? "failed" : "queued",
                attempts,
                clock.instant().plus(backoff),
                error));
  }

  private Queued queued(OutboxStore.Row row) {
    return new Queued(
        row.id(),
        message(row),
        row.status(),
        row.attempts(),
        row.lastError(),
        row.campaignKey(),
        row.createdAt(),
        row.sentAt(),
        row.bounced());
  }

  /** The newest messages, optionally of one status or to one address, for the newsroom. */
  public List<Queued> recent(String status, String recipient, int limit, int offset) {
    return recent(status, recipient, false, limit, offset);
  }

  /**
   * The newest messages, optionally of one status, to one address, or belonging to a mailing only
   * (not account mail such as password resets).
   */
  public List<Queued> recent(
      String status, String recipient, boolean mailingsOnly, int limit, int offset) {
    List<OutboxStore.Row> rows =
        jdbi.withHandle(
            h ->
                STORE.recent(
                    h,
                    status == null ? "" : status,
                    recipient == null ? "" : recipient,
                    mailingsOnly,
                    limit,
                    offset));
    return rows.stream().map(this::queued).toList();
  }

  public Optional<Queued> byId(long id) {
    return jdbi.withHandle(h -> STORE.byId(h, id)).map(this::queued);
  }

  /** Mailings, newest first, with the fate of their messages. */
  public List<Campaign> campaigns(int limit, int offset) {
    return jdbi.withHandle(h -> STORE.campaigns(h, limit, offset));
  }

  /** Starts delivering in the background every five seconds. */
  @Override
  public void start() {
    start(Duration.ofSeconds(5));
  }

  /** Starts delivering in the background at the given interval. */
  public void start(Duration interval) {
    worker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform()
                .name("mail-outbox")
                .daemon()
                .priority(Thread.MIN_PRIORITY)
                .factory());
    worker.scheduleWithFixedDelay(
        () -> {
          try {
            deliverDue();
          } catch (RuntimeException e) {
            LOG.warn("Mail delivery round failed: {}", e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Delivers now instead of at the next round (after a campaign was queued, say). */
  public void nudge() {
    if (worker != null && nudged.compareAndSet(false, true)) {
      worker.execute(
          () -> {
            nudged.set(false);
            try {
              deliverDue();
            } catch (RuntimeException e) {
              LOG.warn("Mail delivery round failed: {}", e.getMessage());
            }
          });
    }
  }

  /**
   * Lets the messages on the wire finish (each is recorded as sent, not sent again at the next
   * start), hands back what was claimed but not yet sent, then stops; nothing is interrupted.
   */
  @Override
  public void stop() {
    stopping = true;
    if (worker != null) {
      worker.shutdown();
      await(worker);
    }
    senders.shutdown();
    await(senders);
    records.stop();
    if (transport instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("Closing the mail transport: {}", e.getMessage());
      }
    }
  }

  private static void await(java.util.concurrent.ExecutorService executor) {
    try {
      if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("Mail delivery did not finish within 60 s of stopping");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return "mail outbox";
  }
}
