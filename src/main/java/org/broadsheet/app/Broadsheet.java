package org.broadsheet.app;

import static org.broadsheet.config.Settings.*;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Passwords;
import org.broadsheet.account.Sessions;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleAdminPages;
import org.broadsheet.article.ArticleLookup;
import org.broadsheet.article.ArticleNavigation;
import org.broadsheet.article.ArticlePages;
import org.broadsheet.article.ArticleRoutes;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.TaxonomyPages;
import org.broadsheet.captcha.CountedHumanCheck;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.captcha.HumanCheckKeys;
import org.broadsheet.captcha.HumanCheckMetrics;
import org.broadsheet.captcha.HumanCheckPages;
import org.broadsheet.captcha.ProofOfWork;
import org.broadsheet.captcha.SpentChallenges;
import org.broadsheet.captcha.provider.FailureMode;
import org.broadsheet.captcha.provider.SiteVerifyProvider;
import org.broadsheet.comment.CommentNavigation;
import org.broadsheet.comment.CommentPages;
import org.broadsheet.comment.CommentRoutes;
import org.broadsheet.comment.CommentService;
import org.broadsheet.comment.CommentViews;
import org.broadsheet.comment.ModerationPages;
import org.broadsheet.comment.MyComments;
import org.broadsheet.config.Config;
import org.broadsheet.config.Fallback;
import org.broadsheet.demo.DemoImages;
import org.broadsheet.embed.EmbedCards;
import org.broadsheet.embed.Provider;
import org.broadsheet.feed.DistributionPages;
import org.broadsheet.importer.ImportPages;
import org.broadsheet.importer.Redirects;
import org.broadsheet.importer.WxrImporter;
import org.broadsheet.mail.DevOutboxTransport;
import org.broadsheet.mail.MailTransport;
import org.broadsheet.mail.Outbox;
import org.broadsheet.mail.SmtpTransport;
import org.broadsheet.media.MediaLibrary;
import org.broadsheet.media.MediaPages;
import org.broadsheet.newsletter.ArticleMailings;
import org.broadsheet.newsletter.BounceWebhook;
import org.broadsheet.newsletter.Bounces;
import org.broadsheet.newsletter.Digests;
import org.broadsheet.newsletter.NewsletterAdminPages;
import org.broadsheet.newsletter.NewsletterPages;
import org.broadsheet.newsletter.NewsletterRoutes;
import org.broadsheet.newsletter.Newsletters;
import org.broadsheet.newsletter.SubscriberDirectory;
import org.broadsheet.newsletter.Subscriptions;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomRoutes;
import org.broadsheet.newsroom.NewsroomService;
import org.broadsheet.newsroom.PeoplePages;
import org.broadsheet.newsroom.SettingsPages;
import org.broadsheet.newsroom.SignInPages;
import org.broadsheet.search.IndexGenerations;
import org.broadsheet.search.Indexer;
import org.broadsheet.search.RelatedLists;
import org.broadsheet.search.SearchIndex;
import org.broadsheet.search.SearchPages;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.site.SiteErrorPages;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.storage.Database;
import org.broadsheet.storage.RateBuckets;
import org.broadsheet.storage.WriteBatcher;
import org.broadsheet.support.DiskHealth;
import org.broadsheet.support.Markdown;
import org.broadsheet.support.OperatorNotices;
import org.broadsheet.support.OutboundHttp;
import org.broadsheet.support.Signer;
import org.broadsheet.support.TaskQueue;
import org.broadsheet.web.Assets;
import org.broadsheet.web.CacheTag;
import org.broadsheet.web.HttpCaching;
import org.broadsheet.web.PageCache;
import org.broadsheet.web.Templates;
import org.broadsheet.web.WebServer;
import org.jdbi.v3.core.Jdbi;

/**
 * The application: the one place where every part is built, by constructor, from one {@link
 * Config}, for the server and the command line alike. Building opens and migrates the database and
 * starts nothing; {@link #start} starts what owns threads (in order, through the {@link Lifecycle})
 * and opens the HTTP port last; {@link #close} stops everything in reverse order. Each feature is
 * wired in its own step below and adds its routes and its newsroom navigation to one list each.
 * Thread-safe once built.
 */
public final class Broadsheet implements AutoCloseable {

  /** The foundation every feature stands on. */
  record Core(
      Config config,
      Clock clock,
      Lifecycle lifecycle,
      Database database,
      ChangeFeed changes,
      WriteBatcher writes,
      SecureRandom random,
      Templates templates,
      Assets assets,
      PageCache pageCache,
      HttpCaching caching,
      PrometheusMeterRegistry metrics,
      Audit audit,
      OperatorNotices notices,
      DiskHealth disk,
      RateBuckets rateBuckets) {

    Jdbi jdbi() {
      return database.jdbi();
    }
  }

  /** Site settings and chrome, and the articles the chrome lists sections of. */
  record Site(
      SiteSettings settings,
      SiteChrome chrome,
      Signer signer,
      Markdown markdown,
      RelatedLists related,
      ArticleService articles) {}

  /** The human check on reader forms. */
  record Checks(
      HumanCheckKeys keys,
      SpentChallenges spent,
      ProofOfWork proofOfWork,
      HumanCheck humanCheck,
      List<String> providerOrigins) {}

  /** Members, sessions and the audit log. */
  record People(
      Accounts accounts,
      Sessions sessions,
      Audit audit,
      NewsroomAccess access,
      org.broadsheet.account.ApiKeys apiKeys) {}

  /** Reader comments. */
  record Comments(
      ArticleLookup lookup, CommentService service, CommentViews views, MyComments mine) {}

  /** Newsletters and their mailings. */
  record Newsletter(
      Newsletters newsletters,
      Subscriptions subscriptions,
      SubscriberDirectory directory,
      ArticleMailings mailings,
      Digests digests,
      Bounces bounces) {}

  private final Core core;
  private final Site site;
  private final Checks checks;
  private final Outbox outbox;
  private final People people;
  private final NewsroomService newsroom;
  private final Comments comments;
  private final Indexer indexer;
  private final Newsletter newsletter;
  private final MediaLibrary media;
  private final WxrImporter wxrImporter;
  private final Jobs jobs;
  private final org.broadsheet.live.LiveCoverage live;
  private final org.broadsheet.live.LiveEvents liveEvents;
  private final WebServer web;
  private org.broadsheet.integration.Webhooks webhooks;
  private final org.broadsheet.storage.Backups backups;

  private Broadsheet(Core core) {
    this.core = core;
    this.media =
        new MediaLibrary(
            core.jdbi(),
            core.config().mediaDir(),
            core.clock(),
            MediaLibrary.Limits.defaults(),
            core.audit());
    this.site = site(core, media);
    this.checks = checks(core);
    this.outbox = core.lifecycle().manage(outbox(core));
    this.people = people(core);
    this.newsroom = newsroomService();
    this.comments = comments(core, site, checks, outbox);
    this.indexer = core.lifecycle().manage(indexer(core, site));
    this.newsletter = newsletter(core, site, outbox);
    core.lifecycle().manage(newsletter.mailings());
    this.wxrImporter =
        new WxrImporter(
            core.jdbi(),
            site.articles(),
            media,
            site.chrome().links(),
            core.clock(),
            21L * 1024 * 1024);
    core.lifecycle().manage(core.changes());
    this.jobs =
        core.lifecycle()
            .manage(
                new Jobs(
                    core.clock(),
                    site.articles(),
                    newsletter.digests(),
                    indexer,
                    checks.spent(),
                    comments.service(),
                    people.sessions(),
                    people.accounts(),
                    newsletter.subscriptions(),
                    core.rateBuckets()));
    this.backups = core.lifecycle().manage(backups(core));
    observe(core, outbox);
    this.live =
        new org.broadsheet.live.LiveCoverage(
            core.jdbi(),
            core.changes(),
            site.markdown(),
            core.audit(),
            core.clock(),
            newsletter.mailings()::keyEvent);
    this.liveEvents = new org.broadsheet.live.LiveEvents(20_000);
    core.changes().follow("live readers", liveEvents::onChange);
    this.web = core.lifecycle().manage(buildWeb());
    // Managed after the server, so it stops first: open live connections end before the server
    // waits for its requests to finish.
    core.lifecycle().manage(liveEvents);
  }

  /** Opens and migrates the database and builds every part; starts nothing, listens on nothing. */
  public static Broadsheet create(Config config) {
    return create(config, Clock.systemUTC());
  }

  public static Broadsheet create(Config config, Clock clock) {
    Lifecycle lifecycle = new Lifecycle();
    try {
      Database database = lifecycle.close("database", Database.open(config));
      database.migrate();
      ChangeFeed changes = new ChangeFeed(database.jdbi(), clock, Duration.ofSeconds(1));
      OperatorNotices notices = new OperatorNotices(clock);
      Core core =
          new Core(
              config,
              clock,
              lifecycle,
              database,
              changes,
              lifecycle.manage(new WriteBatcher(database.jdbi(), changes::pump)),
              new SecureRandom(),
              new Templates(),
              new Assets(),
              new PageCache(config.get(PAGE_CACHE), config.get(PAGE_CACHE_ENTRIES)),
              new HttpCaching(config.get(CACHE_MAX_AGE)),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              new Audit(database.jdbi(), clock),
              notices,
              new DiskHealth(config.get(DATA_DIR), database::writeProbe, notices, clock),
              new RateBuckets(database, clock));
      return new Broadsheet(core);
    } catch (RuntimeException e) {
      lifecycle.close();
      throw e;
    }
  }

  private static Site site(Core core, MediaLibrary media) {
    Jdbi jdbi = core.jdbi();
    SiteSettings settings = new SiteSettings(jdbi, core.changes());
    core.changes().follow("site settings", settings::onChange);
    Signer signer = new Signer(() -> signingKey(settings, core.random()));
    // Made now: made lazily, it would be written (and the change feed pumped) from inside
    // whichever transaction first signs something, which can deadlock with the feed.
    signer.sign("startup");
    Markdown markdown = new Markdown(core.config().get(BASE_URL));
    RelatedLists related = new RelatedLists(jdbi, core.changes(), core.clock(), core.audit());
    ArticleService articles =
        new ArticleService(
            jdbi,
            core.changes(),
            markdown,
            core.clock(),
            core.config().get(TIME_ZONE),
            related,
            core.audit());
    core.changes().follow("article cache", articles::onChange);
    SiteChrome chrome =
        new SiteChrome(core.config(), articles::sections, settings, core.assets(), media::picture);
    core.changes().follow("site chrome", chrome::onChange);
    return new Site(settings, chrome, signer, markdown, related, articles);
  }

  private static String signingKey(SiteSettings settings, SecureRandom random) {
    return settings
        .get("site.signing-key")
        .orElseGet(
            () -> {
              byte[] key = new byte[32];
              random.nextBytes(key);
              // Nodes starting together on a new database all keep the first one's key.
              return settings.putIfAbsent("site.signing-key", HexFormat.of().formatHex(key));
            });
  }

  private static Checks checks(Core core) {
    Config config = core.config();
    HumanCheckKeys keys =
        new HumanCheckKeys(
            core.jdbi(),
            core.random(),
            core.clock(),
            config.get(HUMAN_CHECK_EXPIRY),
            core.changes());
    core.changes().follow("human-check keys", keys::onChange);
    SpentChallenges spent = new SpentChallenges(core.jdbi());
    HumanCheckMetrics metrics = new HumanCheckMetrics(core.metrics());
    ProofOfWork proofOfWork =
        new ProofOfWork(
            keys,
            spent,
            metrics,
            core.clock(),
            config.get(HUMAN_CHECK_EXPIRY),
            config.get(HUMAN_CHECK_DIFFICULTY));
    if (config.get(HUMAN_CHECK).selfHosted()) {
      return new Checks(keys, spent, proofOfWork, proofOfWork, List.of());
    }
    SiteVerifyProvider.Kind kind =
        SiteVerifyProvider.Kind.fromSetting(config.get(HUMAN_CHECK).id()).orElseThrow();
    String verifyUrl = config.get(HUMAN_CHECK_VERIFY_URL);
    HumanCheck provider =
        new CountedHumanCheck(
            new SiteVerifyProvider(
                kind,
                config.get(HUMAN_CHECK_SECRET),
                verifyUrl.isEmpty() ? null : java.net.URI.create(verifyUrl),
                config.get(HUMAN_CHECK_MIN_SCORE),
                null,
                config.get(HUMAN_CHECK_FAILURE_MODE) == Fallback.HOLD
                    ? FailureMode.HOLD
                    : FailureMode.REJECT,
                Duration.ofSeconds(5),
                null),
            metrics);
    java.util.Set<String> origins = new java.util.LinkedHashSet<>(kind.scriptSrc());
    origins.addAll(kind.frameSrc());
    origins.addAll(kind.connectSrc());
    return new Checks(keys, spent, proofOfWork, provider, List.copyOf(origins));
  }

  private static Outbox outbox(Core core) {
    Config config = core.config();
    MailTransport transport =
        config.smtpEnabled()
            ? new SmtpTransport(config, core.clock())
            : new DevOutboxTransport(
                config.get(DATA_DIR).resolve("outbox"), config.get(MAIL_FROM), core.clock());
    return new Outbox(
        core.jdbi(),
        transport,
        core.clock(),
        java.net.URI.create(config.get(BASE_URL)).getHost(),
        config.get(MAIL_CONCURRENCY),
        config.get(MAIL_RATE),
        Duration.ofSeconds(config.get(MAIL_LEASE_SECONDS)));
  }

  private static People people(Core core) {
    Accounts accounts =
        new Accounts(
            core.jdbi(), new Passwords(core.random()), core.random(), core.clock(), core.audit());
    Sessions sessions = new Sessions(core.jdbi(), core.random(), core.clock(), core.audit());
    org.broadsheet.account.ApiKeys apiKeys =
        new org.broadsheet.account.ApiKeys(
            core.jdbi(), core.clock(), core.random(), core.audit(), accounts);
    return new People(
        accounts,
        sessions,
        core.audit(),
        new NewsroomAccess(sessions, core.config().https(), apiKeys),
        apiKeys);
  }

  private static Comments comments(Core core, Site site, Checks checks, Outbox outbox) {
    ArticleLookup lookup = new ArticleLookup(site.articles(), site.chrome().links());
    CommentService service =
        new CommentService(
            core.jdbi(),
            core.writes(),
            core.changes(),
            checks.humanCheck(),
            core.config(),
            outbox,
            lookup,
            site.signer(),
            core.clock(),
            core.rateBuckets().source(),
            core.audit());
    core.changes().follow("comment cache", service::onChange);
    CommentViews views =
        new CommentViews(service, core.config(), core.assets().url("js/human-check-worker.js"));
    return new Comments(lookup, service, views, new MyComments(service, core.config().https()));
  }

  private static Indexer indexer(Core core, Site site) {
    Config config = core.config();
    return new Indexer(
        site.articles(),
        site.related(),
        core.changes(),
        ids -> {
          core.pageCache().evict(ids.stream().map(CacheTag::related).toList());
          site.articles().forgetCachedPages();
        },
        new IndexGenerations(config.searchIndexDir()),
        dir -> openSearchIndex(config, dir));
  }

  /** Opens one generation of the search index in the configured folder. */
  public static SearchIndex openSearchIndex(Config config, java.nio.file.Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
      return new SearchIndex(org.apache.lucene.store.FSDirectory.open(dir), config.get(LANGUAGE));
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalStateException(
          SEARCH_INDEX_DIR.env()
              + "="
              + config.searchIndexDir()
              + ": cannot open the search index ("
              + e.getMessage()
              + "). Is another Broadsheet using this folder? Give each node its own.",
          e);
    }
  }

  private static Newsletter newsletter(Core core, Site site, Outbox outbox) {
    Jdbi jdbi = core.jdbi();
    Newsletters newsletters = new Newsletters(jdbi, core.clock(), core.audit());
    Subscriptions subscriptions =
        new Subscriptions(
            jdbi,
            outbox,
            site.signer(),
            core.clock(),
            core.config().get(BASE_URL),
            () -> site.chrome().site().title(),
            newsletters,
            site.articles()::sections,
            site.settings(),
            core.changes(),
            core.audit());
    ArticleMailings mailings =
        new ArticleMailings(
            jdbi,
            site.articles(),
            subscriptions,
            outbox,
            site.chrome().links(),
            core.clock(),
            () -> site.chrome().site().title(),
            core.templates(),
            core.audit(),
            500,
            site.chrome().site()::picture);
    core.changes().follow("article mailings", mailings::onChange);
    Digests digests =
        new Digests(
            jdbi,
            site.articles(),
            subscriptions,
            outbox,
            site.chrome().links(),
            core.clock(),
            core.config().get(TIME_ZONE),
            () -> site.chrome().site().title(),
            core.templates());
    SubscriberDirectory directory =
        new SubscriberDirectory(
            jdbi, newsletters, site.articles()::sections, core.clock(), core.audit());
    return new Newsletter(
        newsletters, subscriptions, directory, mailings, digests, new Bounces(jdbi, core.clock()));
  }

  /** The server with every feature's routes; the one list a new feature is added to. */
  private WebServer buildWeb() {
    org.broadsheet.newsroom.ApiAccess apiAccess =
        new org.broadsheet.newsroom.ApiAccess(
            people.access(),
            people.apiKeys(),
            core.config().get(API_READS),
            core.rateBuckets().source().limit("api", core.config().get(API_RATE)));
    org.broadsheet.article.ArticleApi articleApi =
        new org.broadsheet.article.ArticleApi(
            site.articles(),
            site.chrome(),
            core.pageCache(),
            core.caching(),
            apiAccess,
            core.config().get(TIME_ZONE));
    this.webhooks = webhooks(articleApi);
    EmbedCards embeds = embedCards();
    ArticlePages articlePages =
        new ArticlePages(
            site.articles(),
            site.chrome(),
            core.templates(),
            core.pageCache(),
            core.caching(),
            comments.service(),
            comments.views(),
            comments.mine(),
            embeds,
            live,
            liveEvents);
    // After the caches below it, so a page is never re-rendered from stale objects.
    core.changes().follow("page cache", articlePages::onChange);
    ArticleNavigation articleNavigation = new ArticleNavigation(site.articles());
    NewsroomFrame frame =
        new NewsroomFrame(
            site.chrome(),
            core.templates(),
            people.access(),
            List.of(
                articleNavigation,
                MediaPages.NAVIGATION,
                new CommentNavigation(comments.service()),
                NewsletterRoutes.NAVIGATION,
                NewsroomRoutes.NAVIGATION,
                ImportPages.NAVIGATION,
                org.broadsheet.integration.IntegrationPages.navigation(this.webhooks),
                new OperationsNavigation(this.backups, this.outbox, core.clock())));
    return new WebServer(
        core.config(),
        new WebServer.Parts(
            new SiteErrorPages(site.chrome(), core.templates()),
            core.pageCache(),
            core.caching(),
            core.assets(),
            checks.providerOrigins(),
            List.of(MyComments.COOKIE),
            core.notices(),
            core.disk()),
        List.of(
            newsroomRoutes(frame),
            articleRoutes(frame, articlePages, articleNavigation),
            commentRoutes(frame, articlePages),
            new MediaPages(media, people.access(), frame),
            newsletterRoutes(frame),
            new ImportPages(wxrImporter, people.access(), people.audit(), frame),
            new HumanCheckPages(checks.proofOfWork()),
            new SearchPages(
                    indexer::index,
                    site.articles(),
                    site.chrome(),
                    core.templates(),
                    core.metrics())
                .withApi(articleApi, apiAccess),
            new DistributionPages(
                site.articles(),
                comments.service(),
                site.chrome(),
                site.settings(),
                core.pageCache(),
                core.caching(),
                core.clock(),
                live),
            new OperationsRoutes(
                    core.database(), core.metrics(), core.config().get(METRICS_TOKEN), core.disk())
                .withDoctor(Doctor.tokenFile(core.config()), core.config().get(TRUSTED_PROXIES))
                .withSearch(Broadsheet.searchHealth(indexer)),
            new DemoImages(),
            new Redirects(core.jdbi()),
            new org.broadsheet.integration.ApiDocumentRoutes(
                ApiCatalog.operations(),
                apiAccess,
                site.chrome(),
                core.templates(),
                core.pageCache(),
                core.caching()),
            articleApi::addRoutes,
            new org.broadsheet.media.MediaApi(media, apiAccess)::addRoutes,
            new org.broadsheet.comment.CommentApi(comments.service(), apiAccess)::addRoutes,
            new org.broadsheet.newsletter.SubscriberApi(
                    newsletter.directory(), newsletter.subscriptions(), apiAccess)
                ::addRoutes,
            new org.broadsheet.newsroom.AuditApi(core.audit())::addRoutes,
            new org.broadsheet.integration.IntegrationPages(
                people.apiKeys(), this.webhooks, people.access(), frame)));
  }

  /**
   * What /metrics shows besides the features' own: the JVM, the page cache's hits and misses, how
   * far behind the change feed's slowest follower is, the mail waiting in the outbox, and the
   * database pool. Requests by route and status are counted as they are answered.
   */
  private static void observe(Core core, Outbox outbox) {
    var registry = core.metrics();
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    core.lifecycle()
        .close("GC metrics", new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics())
        .bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "broadsheet_page_cache_hits", core.pageCache(), c -> c.hits())
        .description("Answers served from the page cache")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "broadsheet_page_cache_misses", core.pageCache(), c -> c.misses())
        .description("Answers that had to be rendered")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "broadsheet_change_feed_lag",
            core.changes(),
            c -> {
              long latest = c.latestId();
              return c.cursors().values().stream()
                  .mapToLong(Long::longValue)
                  .map(cursor -> Math.max(0, latest - cursor))
                  .max()
                  .orElse(0);
            })
        .description("Changes the slowest follower on this node has yet to apply")
        .register(registry);
    outbox.bindTo(registry);
    for (String state : List.of("active", "idle", "waiting")) {
      io.micrometer.core.instrument.Gauge.builder(
              "broadsheet_db_pool_connections",
              core.database(),
              d -> {
                var p = d.poolStats();
                return switch (state) {
                  case "active" -> p.active();
                  case "idle" -> p.idle();
                  default -> p.waiting();
                };
              })
          .tag("state", state)
          .description("Database pool connections (waiting: requests waiting for one)")
          .register(registry);
    }
  }

  /**
   * What /readyz says of the search index: "ok" when its reader opens and counts documents (a
   * missing, locked or broken index throws), or what is wrong.
   */
  private static java.util.function.Supplier<String> searchHealth(
      org.broadsheet.search.Indexer indexer) {
    return () -> {
      indexer.index().size(); // reads through the index's searcher: a closed or broken one throws
      return "ok";
    };
  }

  /** Daily backups of the embedded database and media, with their figures in the metrics. */
  private static org.broadsheet.storage.Backups backups(Core core) {
    Config config = core.config();
    String at = config.get(BACKUP_AT);
    java.nio.file.Path folder =
        config.get(BACKUP_DIR).isEmpty()
            ? config.get(DATA_DIR).resolve("backups")
            : java.nio.file.Path.of(config.get(BACKUP_DIR));
    org.broadsheet.storage.Backups backups =
        new org.broadsheet.storage.Backups(
            core.database(),
            config.mediaDir(),
            new org.broadsheet.storage.Backups.Plan(
                folder,
                at.equals("off") ? null : java.time.LocalTime.parse(at),
                config.get(TIME_ZONE),
                config.get(BACKUP_KEEP_DAILY),
                config.get(BACKUP_KEEP_WEEKLY)),
            core.clock(),
            core.notices());
    io.micrometer.core.instrument.Gauge.builder(
            "broadsheet_backup_last_success_timestamp_seconds",
            backups,
            b ->
                b.last()
                    .filter(org.broadsheet.storage.Backups.Result::ok)
                    .map(r -> (double) r.at().getEpochSecond())
                    .orElse(Double.NaN))
        .description("When the last good backup was taken (Unix time)")
        .register(core.metrics());
    io.micrometer.core.instrument.Gauge.builder(
            "broadsheet_backup_last_failed",
            backups,
            b -> b.last().map(r -> r.ok() ? 0.0 : 1.0).orElse(0.0))
        .description("1 when the last backup failed")
        .register(core.metrics());
    return backups;
  }

  /** Webhooks: events from the change feed, delivered by a worker of their own. */
  private org.broadsheet.integration.Webhooks webhooks(
      org.broadsheet.article.ArticleApi articleApi) {
    boolean privateTargets = core.config().get(WEBHOOK_PRIVATE_TARGETS);
    org.broadsheet.integration.Webhooks webhooks =
        core.lifecycle()
            .manage(
                new org.broadsheet.integration.Webhooks(
                    core.jdbi(),
                    core.clock(),
                    core.random(),
                    core.audit(),
                    core.changes(),
                    new org.broadsheet.support.OutboundHttp(
                        host -> true,
                        privateTargets
                            ? address -> true
                            : org.broadsheet.support.PublicAddresses::isPublic,
                        privateTargets,
                        Duration.ofSeconds(10),
                        "Broadsheet-Webhooks/1"),
                    new org.broadsheet.integration.Webhooks.Options(
                        core.config().get(WEBHOOK_ATTEMPTS),
                        Duration.ofSeconds(core.config().get(WEBHOOK_RETRY_SECONDS)),
                        privateTargets),
                    new org.broadsheet.integration.WebhookEvents(
                        site.articles(),
                        articleApi,
                        comments.service(),
                        newsletter.directory(),
                        live)));
    webhooks.follow();
    return webhooks;
  }

  private ArticleRoutes articleRoutes(
      NewsroomFrame frame, ArticlePages articlePages, ArticleNavigation navigation) {
    return new ArticleRoutes(
        articlePages,
        new ArticleAdminPages(
            site.articles(),
            articlePages,
            people.access(),
            frame,
            site.markdown(),
            core.config().get(TIME_ZONE),
            site.related(),
            navigation),
        new TaxonomyPages(site.articles(), people.access(), frame),
        new org.broadsheet.article.FrontPages(
            site.articles(), articlePages, people.access(), frame));
  }

  private CommentRoutes commentRoutes(NewsroomFrame frame, ArticlePages articlePages) {
    return new CommentRoutes(
        new CommentPages(
            comments.service(),
            comments.views(),
            comments.mine(),
            comments.lookup(),
            articlePages,
            core.clock(),
            node ->
                new String(
                    core.templates().render("comment/node.jte", node), StandardCharsets.UTF_8)),
        new ModerationPages(comments.service(), comments.lookup(), people.access(), frame));
  }

  /**
   * Embeds in stories; with outbound fetches allowed, the fetcher (allow-listed provider hosts,
   * public addresses only) and the queue it works from.
   */
  private EmbedCards embedCards() {
    Optional<EmbedCards.Fetching> fetching = Optional.empty();
    if (core.config().get(EMBED_FETCH)) {
      OutboundHttp http =
          core.lifecycle()
              .manage(
                  OutboundHttp.publicInternet(
                      Provider.FETCH_HOSTS,
                      Duration.ofSeconds(8),
                      "Broadsheet (+" + core.config().get(BASE_URL) + ")"));
      TaskQueue queue = core.lifecycle().manage(new TaskQueue("embed fetches"));
      fetching =
          Optional.of(
              new EmbedCards.Fetching(
                  http,
                  queue,
                  id -> site.articles().byId(id).map(Article::bodyHtml),
                  media::storeThumbnail));
    }
    EmbedCards cards = new EmbedCards(core.jdbi(), core.changes(), core.clock(), fetching);
    if (cards.fetches()) {
      core.changes().follow("embed cards", cards::onChange);
    }
    return cards;
  }

  private NewsroomService newsroomService() {
    return new NewsroomService(
        core.config(),
        core.jdbi(),
        core.changes(),
        people.accounts(),
        people.audit(),
        site.settings(),
        site.chrome(),
        outbox,
        site.articles()::bylineFor,
        core.lifecycle().manage(new TaskQueue("newsroom tasks")));
  }

  private NewsroomRoutes newsroomRoutes(NewsroomFrame frame) {
    Config config = core.config();
    NewsroomService service = newsroom;
    return new NewsroomRoutes(
        people.access(),
        new SignInPages(
            config,
            people.accounts(),
            people.sessions(),
            service,
            people.access(),
            frame,
            site.chrome(),
            checks.proofOfWork()),
        new PeoplePages(
            people.accounts(), people.audit(), service, people.access(), frame, core.notices()),
        new SettingsPages(config, site.settings(), service, people.access(), frame, core.clock()));
  }

  private NewsletterRoutes newsletterRoutes(NewsroomFrame frame) {
    Config config = core.config();
    return new NewsletterRoutes(
        new NewsletterPages(
            newsletter.subscriptions(),
            checks.proofOfWork(),
            site.chrome(),
            core.templates(),
            site.articles()::sections,
            core.assets().url("js/human-check-worker.js")),
        new NewsletterAdminPages(
            newsletter.subscriptions(),
            newsletter.directory(),
            newsletter.mailings(),
            outbox,
            site.articles(),
            site.settings(),
            config.smtpEnabled(),
            people.access(),
            people.audit(),
            frame),
        new BounceWebhook(newsletter.bounces(), config.get(BOUNCE_TOKEN)));
  }

  // ---- running --------------------------------------------------------------------------------

  /** Starts everything that runs on its own, in order, and listens last. */
  public Broadsheet start() {
    // Members added before every member had a byline get theirs now.
    newsroom.giveBylines();
    newsroom.announceSetup();
    core.lifecycle().start();
    // Any free port (0) is for tests and trials: its address is known only now, nobody set one.
    String problem = core.config().get(PORT) == 0 ? null : core.config().baseUrlProblem(port());
    if (problem != null) {
      core.notices().raise("base-url", problem);
    }
    return this;
  }

  /** What the operator should fix, as the admin dashboard lists it. */
  public OperatorNotices notices() {
    return core.notices();
  }

  /** The newsroom's own writes: setup, members, password resets, settings. */
  public NewsroomService newsroom() {
    return newsroom;
  }

  /** Stops everything in reverse order and closes the database; safe to call twice. */
  @Override
  public void close() {
    core.lifecycle().close();
  }

  /** Publishes the scheduled articles whose time has come (as the job does every 10 s). */
  public void publishScheduled() {
    jobs.publishScheduled();
  }

  // ---- parts, for the command line and tests --------------------------------------------------

  public int port() {
    return web.port();
  }

  public Lifecycle lifecycle() {
    return core.lifecycle();
  }

  public Config config() {
    return core.config();
  }

  public Clock clock() {
    return core.clock();
  }

  public Database database() {
    return core.database();
  }

  public ChangeFeed changes() {
    return core.changes();
  }

  public SiteSettings settings() {
    return site.settings();
  }

  /** Live coverage of stories. */
  public org.broadsheet.live.LiveCoverage liveCoverage() {
    return live;
  }

  public ArticleService articles() {
    return site.articles();
  }

  public RelatedLists related() {
    return site.related();
  }

  public PageCache pageCache() {
    return core.pageCache();
  }

  public WebServer web() {
    return web;
  }

  public ProofOfWork proofOfWork() {
    return checks.proofOfWork();
  }

  public SpentChallenges spentChallenges() {
    return checks.spent();
  }

  public HumanCheckKeys humanCheckKeys() {
    return checks.keys();
  }

  public CommentService comments() {
    return comments.service();
  }

  public Outbox outbox() {
    return outbox;
  }

  public PrometheusMeterRegistry metrics() {
    return core.metrics();
  }

  public Indexer indexer() {
    return indexer;
  }

  /** The search index in use (opened on first use). */
  public SearchIndex searchIndex() {
    return indexer.index();
  }

  public Digests digests() {
    return newsletter.digests();
  }

  public Subscriptions subscriptions() {
    return newsletter.subscriptions();
  }

  public ArticleMailings mailings() {
    return newsletter.mailings();
  }

  public Bounces bounces() {
    return newsletter.bounces();
  }

  public org.broadsheet.account.ApiKeys apiKeys() {
    return people.apiKeys();
  }

  public org.broadsheet.integration.Webhooks webhooks() {
    return webhooks;
  }

  public org.broadsheet.storage.Backups backups() {
    return backups;
  }

  public SubscriberDirectory subscriberDirectory() {
    return newsletter.directory();
  }

  public Accounts accounts() {
    return people.accounts();
  }

  public Audit audit() {
    return people.audit();
  }

  public MediaLibrary media() {
    return media;
  }

  public WxrImporter wxrImporter() {
    return wxrImporter;
  }
}
