package org.broadsheet.newsletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.MailTransport;
import org.broadsheet.mail.Outbox;
import org.broadsheet.support.ValidationException;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.MutableClock;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The newsletter's and the outbox's storage on both databases, through the services as the site and
 * the newsroom use them: the outbox sends what is due and retries or gives up, readers sign up,
 * confirm and leave, the newsroom imports (a file whole or not at all), searches, deletes and
 * erases, creates and archives newsletters, and a hard bounce stops all mail to an address. Every
 * newsroom write leaves exactly one audit line, and a refused one changes nothing, not even the
 * log. Nothing runs in the background: the site is built but not started, and time is moved by
 * hand.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class NewsletterStoresIT {

  private static final Pattern TOKEN = Pattern.compile("token=([^\\s\"<]+)");

  private final Backend backend;
  private Backend.TestDatabase database;
  private MutableClock clock;
  private Broadsheet app;
  private Jdbi jdbi;
  private Actor editor;

  NewsletterStoresIT(Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void open() {
    database = backend.create();
    clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    app = Broadsheet.create(database.config(), clock);
    jdbi = app.database().jdbi();
    editor =
        Actor.of(
            app.accounts()
                .create("ed@example.org", "Ed", "correct horse battery staple", Role.EDITOR, null),
            "203.0.113.9");
  }

  @AfterEach
  void close() {
    try {
      app.close();
    } finally {
      database.close();
    }
  }

  /** A transport that delivers to a list, refuses gone@ for good and busy@ once. */
  private static final class Recorder implements MailTransport {
    final List<MailMessage> sent = new CopyOnWriteArrayList<>();
    private volatile boolean busyRefused;

    @Override
    public void send(MailMessage message, String messageId) throws MailFailure {
      if (message.recipient().equals("gone@example.org")) {
        throw new MailFailure("550 5.1.1 No such user here", true, null);
      }
      if (message.recipient().equals("busy@example.org") && !busyRefused) {
        busyRefused = true;
        throw new MailFailure("451 4.3.0 Mailbox busy, try again later", false, null);
      }
      sent.add(message);
    }

    List<String> recipients() {
      return sent.stream().map(MailMessage::recipient).toList();
    }
  }

  private static MailMessage mail(String to, String key) {
    return new MailMessage(to, "Hello " + key, "Plain text.\n", "<p>HTML</p>", null, key);
  }

  private Outbox.Queued only(String status, String to) {
    List<Outbox.Queued> found = app.outbox().recent(status, to, 10, 0);
    assertThat(found).as(status + " mail to " + to).hasSize(1);
    return found.getFirst();
  }

  private List<Audit.Entry> audit(String action) {
    return app.audit().latest(1000, 0).stream().filter(e -> e.action().equals(action)).toList();
  }

  private int auditLines() {
    return app.audit().latest(1000, 0).size();
  }

  private int subscribers() {
    return app.subscriberDirectory().search("", "", 1, 0).total();
  }

  private SubscriberDirectory.ImportReport importCsv(String csv, boolean dryRun)
      throws IOException {
    return app.subscriberDirectory()
        .importCsv(new StringReader(csv), dryRun, "subscribers.csv", editor);
  }

  private static String token(MailMessage message) {
    Matcher m = TOKEN.matcher(message.text());
    assertThat(m.find()).as("a link with a token in " + message.text()).isTrue();
    return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
  }

  // ---- the outbox

  @Test
  void theOutboxSendsWhatIsDueRetriesATemporaryRefusalAndGivesUpOnAPermanentOne() {
    Recorder transport = new Recorder();
    try (Outbox outbox = new Outbox(jdbi, transport, clock, "news.example.org")) {
      jdbi.useTransaction(
          h -> {
            outbox.enqueue(h, mail("ok@example.org", "ok"));
            outbox.enqueue(h, mail("ok@example.org", "ok")); // the same key: queued once
            outbox.enqueue(h, mail("busy@example.org", "busy"));
            outbox.enqueue(h, mail("gone@example.org", "gone"));
          });
      assertThat(outbox.recent("queued", "", 10, 0)).hasSize(3);

      assertThat(outbox.deliverDue()).isEqualTo(1);

      assertThat(transport.recipients()).containsExactly("ok@example.org");
      Outbox.Queued ok = outbox.recent("sent", "ok@example.org", 10, 0).getFirst();
      assertThat(ok.sentAt()).isEqualTo(clock.instant());
      assertThat(ok.attempts()).isEqualTo(1);
      Outbox.Queued gone = outbox.recent("failed", "gone@example.org", 10, 0).getFirst();
      assertThat(gone.lastError()).contains("550");
      Outbox.Queued busy = outbox.recent("queued", "busy@example.org", 10, 0).getFirst();
      assertThat(busy.attempts()).isEqualTo(1);
      assertThat(busy.lastError()).contains("451");

      assertThat(outbox.deliverDue()).as("nothing is due before the back-off").isZero();
      clock.advance(Duration.ofSeconds(31));
      assertThat(outbox.deliverDue()).isEqualTo(1);
      assertThat(transport.recipients()).containsExactly("ok@example.org", "busy@example.org");
      assertThat(outbox.byId(busy.id()).orElseThrow().status()).isEqualTo("sent");

      clock.advance(Duration.ofHours(2));
      assertThat(outbox.deliverDue()).as("a permanent refusal is never retried").isZero();
      assertThat(outbox.recent("", "", 10, 0))
          .extracting(Outbox.Queued::status)
          .containsExactlyInAnyOrder("sent", "sent", "failed");
    }
  }

  @Test
  void aCampaignStoresItsBodyOnceAndEachReaderGetsTheirOwnLinks() {
    Recorder transport = new Recorder();
    try (Outbox outbox = new Outbox(jdbi, transport, clock, "news.example.org")) {
      jdbi.useTransaction(
          h -> {
            Outbox.recordCampaign(h, "article:7", "article", "Tram line reopens", clock.millis());
            outbox.storeBody(
                h,
                "article:7",
                "Read it. Leave: " + Outbox.placeholder("unsubscribe"),
                "<p>Leave: " + Outbox.placeholder("unsubscribe") + "</p>");
            outbox.enqueueShared(
                h,
                "Tram line reopens",
                "article:7",
                "article:7",
                List.of(
                    new Outbox.Copy(
                        "anna@example.org",
                        Map.of("unsubscribe", "https://x/u?a&b"),
                        "https://x/u?a&b",
                        "article:7:1"),
                    new Outbox.Copy(
                        "bo@example.org",
                        Map.of("unsubscribe", "https://x/u?bo"),
                        "https://x/u?bo",
                        "article:7:2")));
          });

      assertThat(outbox.deliverDue()).isEqualTo(2);

      assertThat(transport.sent)
          .extracting(MailMessage::text)
          .containsExactlyInAnyOrder(
              "Read it. Leave: https://x/u?a&b", "Read it. Leave: https://x/u?bo");
      assertThat(transport.sent)
          .extracting(MailMessage::html)
          .contains("<p>Leave: https://x/u?a&amp;b</p>");
      Outbox.Campaign campaign = outbox.campaigns(10, 0).getFirst();
      assertThat(campaign.key()).isEqualTo("article:7");
      assertThat(campaign.title()).isEqualTo("Tram line reopens");
      assertThat(campaign.sent()).isEqualTo(2);
      assertThat(campaign.total()).isEqualTo(2);
    }
  }

  // ---- subscriptions

  @Test
  void aHundredSignUpsAtOnceFromOneNetworkPassTheLimitNotOnceMore() throws Exception {
    Subscriptions subscriptions = app.subscriptions();
    java.util.concurrent.atomic.AtomicInteger accepted =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger limited =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < 100; i++) {
        int n = i;
        pool.submit(
            () -> {
              go.await();
              try {
                subscriptions.subscribe(
                    "parallel" + n + "@example.org",
                    "",
                    new Subscriptions.Choices(List.of(), "each", List.of()),
                    "203.0.113.0/24");
                accepted.incrementAndGet();
              } catch (Subscriptions.RateLimited e) {
                limited.incrementAndGet();
              }
              return null;
            });
      }
      go.countDown();
    }
    assertThat(accepted.get()).isEqualTo(Subscriptions.SIGNUPS_PER_NETWORK_PER_HOUR);
    assertThat(limited.get()).isEqualTo(100 - Subscriptions.SIGNUPS_PER_NETWORK_PER_HOUR);
    int stored =
        app.database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM subscribers WHERE email LIKE 'parallel%'")
                        .mapTo(Integer.class)
                        .one());
    assertThat(stored).isEqualTo(Subscriptions.SIGNUPS_PER_NETWORK_PER_HOUR);

    // A day later the counts are forgotten, and their locks with them.
    clock.advance(java.time.Duration.ofDays(1).plusMinutes(1));
    assertThat(subscriptions.purgeRequests()).isPositive();
    int locks =
        app.database()
            .jdbi()
            .withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM rate_locks").mapTo(Integer.class).one());
    assertThat(locks).isZero();
  }

  @Test
  void aReaderSubscribesConfirmsOnceAndUnsubscribesWithOneClick() {
    Subscriptions subscriptions = app.subscriptions();
    subscriptions.subscribe(
        " Reader@Example.org ",
        "Rita",
        new Subscriptions.Choices(List.of(), "each", List.of()),
        "198.51.100.0/24");

    Subscriber pending = subscriptions.byEmail("reader@example.org").orElseThrow();
    assertThat(pending.status()).isEqualTo("pending");
    assertThat(pending.name()).isEqualTo("Rita");
    assertThat(pending.createdAt()).isEqualTo(clock.instant());
    assertThat(pending.confirmedAt()).isNull();
    MailMessage confirmation = only("queued", "reader@example.org").message();
    assertThat(confirmation.subject()).startsWith("Confirm your subscription");
    String token = token(confirmation);
    assertThat(subscriptions.confirmState(token)).isEqualTo(Subscriptions.TokenState.VALID);

    clock.advance(Duration.ofMinutes(5));
    Subscriber confirmed = subscriptions.confirm(token).orElseThrow();
    subscriptions.confirm(token);

    assertThat(confirmed.confirmed()).isTrue();
    assertThat(confirmed.confirmedAt()).isEqualTo(clock.instant());
    List<String> subjects =
        app.outbox().recent("queued", "reader@example.org", 10, 0).stream()
            .map(q -> q.message().subject())
            .toList();
    assertThat(subjects).hasSize(2).contains(confirmation.subject());
    assertThat(subjects)
        .as("one welcome, however often the button is pressed")
        .filteredOn(subject -> subject.startsWith("Welcome to"))
        .hasSize(1);
    long news = app.subscriptions().newsletters().open().getFirst().id();
    Subscriptions.Choices choices = subscriptions.choicesOf(confirmed.id());
    assertThat(choices.newsletters()).containsExactly(news);
    assertThat(choices.frequency()).isEqualTo("each");
    assertThat(choices.sections()).isEmpty();

    // An article mailing queued for the reader, then the one-click unsubscribe.
    jdbi.useTransaction(
        h ->
            app.outbox()
                .enqueue(
                    h, mail("reader@example.org", "article:1:" + confirmed.id()), "article:1"));
    Subscriber left =
        subscriptions.unsubscribe(subscriptions.unsubscribeToken(confirmed.id())).orElseThrow();

    assertThat(left.status()).isEqualTo("unsubscribed");
    Outbox.Queued article = only("failed", "reader@example.org");
    assertThat(article.campaign()).isEqualTo("article:1");
    assertThat(article.lastError()).isEqualTo("unsubscribed before it was sent");
    assertThat(app.outbox().recent("queued", "reader@example.org", 10, 0))
        .as("mail that is not a mailing still goes")
        .hasSize(2);
    assertThat(subscriptions.unsubscribe(subscriptions.unsubscribeToken(confirmed.id())))
        .as("harmless to repeat")
        .map(Subscriber::status)
        .contains("unsubscribed");
    assertThat(subscriptions.unsubscribe("forged-token")).isEmpty();
  }

  // ---- the newsroom's subscriber directory

  @Test
  void anImportIsCheckedWholeAndARefusedOneChangesNothingNotEvenTheLog() throws IOException {
    int lines = auditLines();

    assertThatThrownBy(
            () ->
                importCsv(
                    "email,name,status\n"
                        + "anna@example.org,Anna,confirmed\n"
                        + "not-an-address,X,confirmed\n"
                        + "c@example.org,C,maybe\n",
                    false))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Nothing was imported")
        .hasMessageContaining("Line 3")
        .hasMessageContaining("Line 4");

    assertThat(subscribers()).isZero();
    assertThat(auditLines()).isEqualTo(lines);
    assertThat(app.outbox().recent("", "", 10, 0)).isEmpty();
  }

  @Test
  void theDirectoryImportsSearchesDeletesAndErases() throws IOException {
    String csv =
        "email,name,status,frequency,newsletters\n"
            + "anna@example.org,Anna,confirmed,each,news\n"
            + "bo@example.org,\"Bo, Jr.\",pending,daily,\n"
            + "cy@example.org,Cy,unsubscribed,,\n";

    SubscriberDirectory.ImportReport dry = importCsv(csv, true);

    assertThat(dry.added()).isEqualTo(3);
    assertThat(subscribers()).as("a dry run adds nobody").isZero();
    assertThat(audit("subscribers.import-dry-run"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.target()).isEqualTo("subscribers.csv");
              assertThat(e.detail()).isEqualTo("3 added, 0 updated, 0 kept");
              assertThat(e.userEmail()).isEqualTo("ed@example.org");
            });

    SubscriberDirectory.ImportReport real = importCsv(csv, false);

    assertThat(real.added()).isEqualTo(3);
    assertThat(audit("subscribers.import"))
        .singleElement()
        .extracting(Audit.Entry::detail)
        .isEqualTo("3 added, 0 updated, 0 kept");
    assertThat(app.outbox().recent("", "", 10, 0)).as("an import mails nobody").isEmpty();
    SubscriberDirectory directory = app.subscriberDirectory();
    SubscriberDirectory.Result anna = directory.search("ANNA", "", 50, 0);
    assertThat(anna.total()).isEqualTo(1);
    assertThat(anna.rows().getFirst().subscriber().confirmedAt()).isEqualTo(clock.instant());
    assertThat(anna.rows().getFirst().newsletters()).containsExactly("The news");
    assertThat(directory.search("", "pending", 50, 0).rows())
        .extracting(r -> r.subscriber().name())
        .containsExactly("Bo, Jr.");
    assertThat(directory.search("100%", "", 50, 0).total()).as("% is not a wildcard").isZero();
    assertThat(directory.counts())
        .containsEntry("confirmed", 1)
        .containsEntry("pending", 1)
        .containsEntry("unsubscribed", 1)
        .containsEntry("bounced", 0);
    java.io.StringWriter export = new java.io.StringWriter();
    directory.exportCsv(export);
    assertThat(export.toString())
        .contains("anna@example.org,Anna,confirmed,each,news,,")
        .contains("\"Bo, Jr.\",pending,daily,news,,")
        .contains(",import");

    // An import cannot renew consent.
    SubscriberDirectory.ImportReport again =
        importCsv("email,status\ncy@example.org,confirmed\nbo@example.org,confirmed\n", false);
    assertThat(again.kept()).isEqualTo(1);
    assertThat(again.updated()).isEqualTo(1);
    assertThat(again.notes()).singleElement().asString().contains("cy@example.org stays");
    assertThat(directory.search("cy@", "", 50, 0).rows().getFirst().subscriber().status())
        .isEqualTo("unsubscribed");

    // Delete keeps the mail history; erase keeps nothing, not even in the log.
    long bo = directory.search("bo@", "", 50, 0).rows().getFirst().subscriber().id();
    long annaId = anna.rows().getFirst().subscriber().id();
    long cy = directory.search("cy@", "", 50, 0).rows().getFirst().subscriber().id();
    jdbi.useTransaction(
        h -> {
          app.outbox().enqueue(h, mail("bo@example.org", "digest:bo"), "digest:daily:x");
          app.outbox().enqueue(h, mail("anna@example.org", "article:anna"), "article:1");
        });
    int lines = auditLines();

    assertThat(directory.delete(bo, editor)).isTrue();
    assertThat(directory.delete(bo, editor)).as("gone already").isFalse();
    assertThat(directory.delete(cy, editor)).isTrue();
    assertThat(directory.erase(annaId, editor)).contains("anna@example.org");
    assertThat(directory.erase(annaId, editor)).isEmpty();

    assertThat(subscribers()).isZero();
    assertThat(auditLines()).isEqualTo(lines + 3);
    assertThat(audit("subscriber.delete"))
        .extracting(Audit.Entry::target, Audit.Entry::detail)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("subscriber:" + bo, "bo@example.org"),
            org.assertj.core.groups.Tuple.tuple("subscriber:" + cy, "cy@example.org"));
    assertThat(audit("subscriber.erase"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.target()).isEqualTo("subscriber:" + annaId);
              assertThat(e.detail()).isEmpty();
            });
    Outbox.Queued cancelled = only("failed", "bo@example.org");
    assertThat(cancelled.lastError()).isEqualTo("subscriber deleted before it was sent");
    assertThat(app.outbox().recent("", "anna@example.org", 10, 0)).isEmpty();
    assertThat(app.outbox().recent("", "bo@example.org", 10, 0))
        .as("a deleted subscriber's mail history stays")
        .hasSize(1);
  }

  // ---- newsletters

  @Test
  void aNewsletterIsCreatedWithOneAuditLineAndArchivedFromReadersChoice() {
    Newsletters newsletters = app.subscriptions().newsletters();
    int lines = auditLines();

    Newsletter breaking =
        newsletters.create(
            " Breaking ", "", "The biggest stories, at once.", "breaking", "each", editor);

    assertThat(breaking.slug()).isEqualTo("breaking");
    assertThat(breaking.name()).isEqualTo("Breaking");
    assertThat(newsletters.open()).extracting(Newsletter::slug).containsExactly("news", "breaking");
    assertThat(newsletters.byId(breaking.id())).contains(breaking);
    assertThat(auditLines()).isEqualTo(lines + 1);
    assertThat(audit("newsletter.create"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.target()).isEqualTo("newsletter:breaking");
              assertThat(e.detail()).isEqualTo("Breaking");
            });

    assertThatThrownBy(() -> newsletters.create("Breaking", "", "", "", "", editor))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Another newsletter has this slug");
    assertThatThrownBy(() -> newsletters.create("Late", "Not A Slug!", "", "", "", editor))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> newsletters.update(999_999, "Gone", "", "", "", false, editor))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("no longer exists");
    assertThat(newsletters.all()).hasSize(2);
    assertThat(auditLines()).as("refused writes leave no audit line").isEqualTo(lines + 1);

    newsletters.update(
        breaking.id(), "Breaking news", "Archived.", "breaking", "reader", true, editor);

    assertThat(newsletters.open()).extracting(Newsletter::slug).containsExactly("news");
    Newsletter archived = newsletters.all().getLast();
    assertThat(archived.archived()).isTrue();
    assertThat(archived.name()).isEqualTo("Breaking news");
    assertThat(archived.cadence()).as("the reader's choice").isNull();
    assertThat(archived.tagSlug()).isEqualTo("breaking");
    assertThat(audit("newsletter.update"))
        .singleElement()
        .extracting(Audit.Entry::target)
        .isEqualTo("newsletter:" + breaking.id());
  }

  // ---- bounces

  @Test
  void aHardBounceSuppressesTheAddressForEveryKindOfMail() throws IOException {
    importCsv("email,status\nhard@example.org,confirmed\n", false);
    Recorder transport = new Recorder();
    try (Outbox outbox = new Outbox(jdbi, transport, clock, "news.example.org")) {
      jdbi.useTransaction(h -> outbox.enqueue(h, mail("hard@example.org", "first"), "article:1"));
      assertThat(outbox.deliverDue()).isEqualTo(1);
      long first = outbox.recent("sent", "hard@example.org", 1, 0).getFirst().id();
      jdbi.useTransaction(h -> outbox.enqueue(h, mail("hard@example.org", "queued-before")));

      Bounces.Outcome outcome =
          app.bounces()
              .record(
                  "Hard@Example.org",
                  Bounces.Kind.HARD,
                  "<" + first + ".1a2b@news.example.org>",
                  "550 5.1.1 user unknown");

      assertThat(outcome.suppressed()).isTrue();
      assertThat(outcome.knownSubscriber()).isTrue();
      assertThat(app.subscriptions().byEmail("hard@example.org").orElseThrow().status())
          .isEqualTo("bounced");
      assertThat(outbox.byId(first).orElseThrow().bounced()).isTrue();
      assertThat(only("failed", "hard@example.org").lastError()).contains("suppressed: bounced");

      // Account mail queued later does not go either, and signing up again sends nothing.
      jdbi.useTransaction(h -> outbox.enqueue(h, mail("hard@example.org", "reset")));
      app.subscriptions()
          .subscribe(
              "hard@example.org",
              "",
              new Subscriptions.Choices(List.of(), "each", List.of()),
              "198.51.100.0/24");
      assertThat(outbox.deliverDue()).isZero();
      assertThat(transport.sent).hasSize(1);
      assertThat(outbox.recent("failed", "hard@example.org", 10, 0)).hasSize(2);
      assertThat(outbox.recent("queued", "hard@example.org", 10, 0)).isEmpty();
      assertThat(app.subscriberDirectory().counts()).containsEntry("bounced", 1);
    }

    // Soft bounces suppress only when they repeat within the window.
    Bounces bounces = app.bounces();
    assertThat(bounces.record("full@example.org", Bounces.Kind.SOFT, null, "452").suppressed())
        .isFalse();
    clock.advance(Bounces.SOFT_WINDOW.plusDays(1));
    assertThat(bounces.record("full@example.org", Bounces.Kind.SOFT, null, "452").suppressed())
        .isFalse();
    assertThat(bounces.record("full@example.org", Bounces.Kind.SOFT, null, "452").suppressed())
        .as("the first one is too old to count")
        .isFalse();
    assertThat(bounces.record("full@example.org", Bounces.Kind.SOFT, null, "452").suppressed())
        .isTrue();
    assertThat(bounces.lift("full@example.org")).isTrue();
    assertThat(bounces.lift("full@example.org")).isFalse();
  }

  // ---- the welcome mail and a test send

  @Test
  void theWelcomeMailAndATestSendAreSavedWithTheirAuditLineOrNotAtAll() {
    Subscriptions subscriptions = app.subscriptions();
    int lines = auditLines();

    assertThatThrownBy(
            () -> subscriptions.saveWelcome(new Subscriptions.WelcomeMail(" \t", "Hi"), editor))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Write a subject");
    assertThat(app.settings().get(Subscriptions.WELCOME_SUBJECT)).isEmpty();
    assertThat(auditLines()).isEqualTo(lines);

    subscriptions.saveWelcome(
        new Subscriptions.WelcomeMail("  Hello {name}  ", "Welcome.\r\n\r\nBye.\r\n"), editor);

    assertThat(app.settings().get(Subscriptions.WELCOME_SUBJECT)).contains("Hello {name}");
    assertThat(app.settings().get(Subscriptions.WELCOME_BODY)).contains("Welcome.\n\nBye.");
    assertThat(audit("newsletter.welcome"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.target()).isEqualTo("welcome mail");
              assertThat(e.detail()).isEqualTo("Hello {name}");
            });

    app.articles().createSection("news", "News", "");
    app.articles().createAuthor("reporter", "Rita Reporter", "");
    Article article =
        app.articles()
            .create(
                new ArticleDraft(
                    "",
                    "news",
                    "Tram line reopens",
                    "Two weeks early.",
                    "Body.",
                    ArticleStatus.PUBLISHED,
                    null,
                    List.of("reporter"),
                    List.of(),
                    null));
    int before = auditLines();

    assertThatThrownBy(() -> app.mailings().sendTest(article.id(), "not an address", editor))
        .isInstanceOf(ValidationException.class);
    assertThat(auditLines()).isEqualTo(before);
    app.mailings().sendTest(article.id(), "Proof@Example.org", editor);

    Outbox.Queued test = only("queued", "proof@example.org");
    assertThat(test.message().subject()).isEqualTo("[Test] Tram line reopens");
    assertThat(test.message().text()).contains("Two weeks early.");
    assertThat(auditLines()).isEqualTo(before + 1);
    assertThat(audit("newsletter.test"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.target()).isEqualTo("article:" + article.id());
              assertThat(e.detail()).isEqualTo("Proof@Example.org");
            });
    assertThat(app.outbox().campaigns(10, 0))
        .extracting(Outbox.Campaign::title)
        .containsExactly("Test: Tram line reopens");
  }
}
