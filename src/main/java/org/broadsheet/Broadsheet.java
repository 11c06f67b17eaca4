package org.broadsheet;

import static org.broadsheet.config.Settings.*;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.broadsheet.admin.SiteSettings;
import org.broadsheet.article.ArticlePages;
import org.broadsheet.article.ArticleService;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.captcha.HumanCheckKeys;
import org.broadsheet.captcha.HumanCheckMetrics;
import org.broadsheet.captcha.HumanCheckPages;
import org.broadsheet.captcha.ProofOfWork;
import org.broadsheet.captcha.SpentChallenges;
import org.broadsheet.captcha.provider.FailureMode;
import org.broadsheet.captcha.provider.SiteVerifyProvider;
import org.broadsheet.cli.Cli;
import org.broadsheet.comment.CommentPages;
import org.broadsheet.comment.CommentService;
import org.broadsheet.comment.CommentViews;
import org.broadsheet.config.Config;
import org.broadsheet.config.Fallback;
import org.broadsheet.mail.DevOutboxTransport;
import org.broadsheet.mail.MailTransport;
import org.broadsheet.mail.Outbox;
import org.broadsheet.mail.SmtpTransport;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.storage.Database;
import org.broadsheet.support.Markdown;
import org.broadsheet.support.Signer;
import org.broadsheet.web.Assets;
import org.broadsheet.web.HttpCaching;
import org.broadsheet.web.PageCache;
import org.broadsheet.web.Routes;
import org.broadsheet.web.SiteChrome;
import org.broadsheet.web.Templates;
import org.broadsheet.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application object: {@link #create} wires every part by constructor from one {@link Config};
 * {@link #start} opens the HTTP port. Tests create one per test class, the CLI one per process.
 * Thread-safe once created.
 */
public final class Broadsheet implements AutoCloseable {

  private final Config config;
  private final Database database;
  private final ChangeFeed changes;
  private final SiteSettings settings;
  private final ArticleService articles;
  private final PageCache pageCache;
  private final WebServer web;
  private final ProofOfWork proofOfWork;
  private final org.broadsheet.storage.WriteBatcher writes;
  private final SpentChallenges spentChallenges;
  private final HumanCheckKeys humanCheckKeys;
  private final CommentService comments;
  private final Outbox outbox;
  private final PrometheusMeterRegistry metrics;
  private final Clock clock;
  private ScheduledExecutorService maintenance;
  private final org.broadsheet.search.SearchIndex searchIndex;
  private final org.broadsheet.search.Indexer indexer;
  private final org.broadsheet.admin.Newsroom newsroom;
  private final org.broadsheet.newsletter.ArticleMailings mailings;
  private final org.broadsheet.newsletter.Digests digests;

  private static final Logger LOG = LoggerFactory.getLogger(Broadsheet.class);

  /** Everything {@link #create} builds, handed to the constructor in one piece. */
  private record Parts(
      Config config,
      Clock clock,
      Database database,
      ChangeFeed changes,
      SiteSettings settings,
      ArticleService articles,
      PageCache pageCache,
      WebServer web,
      ProofOfWork proofOfWork,
      org.broadsheet.storage.WriteBatcher writes,
      SpentChallenges spentChallenges,
      HumanCheckKeys humanCheckKeys,
      CommentService comments,
      Outbox outbox,
      PrometheusMeterRegistry metrics,
      org.broadsheet.search.SearchIndex searchIndex,
      org.broadsheet.search.Indexer indexer,
      org.broadsheet.admin.Newsroom newsroom,
      org.broadsheet.newsletter.ArticleMailings mailings,
      org.broadsheet.newsletter.Digests digests) {}

  private Broadsheet(Parts parts) {
    this.config = parts.config();
    this.clock = parts.clock();
    this.database = parts.database();
    this.changes = parts.changes();
    this.settings = parts.settings();
    this.articles = parts.articles();
    this.pageCache = parts.pageCache();
    this.web = parts.web();
    this.proofOfWork = parts.proofOfWork();
    this.writes = parts.writes();
    this.spentChallenges = parts.spentChallenges();
    this.humanCheckKeys = parts.humanCheckKeys();
    this.comments = parts.comments();
    this.outbox = parts.outbox();
    this.metrics = parts.metrics();
    this.searchIndex = parts.searchIndex();
    this.indexer = parts.indexer();
    this.newsroom = parts.newsroom();
    this.mailings = parts.mailings();
    this.digests = parts.digests();
  }

  private static org.broadsheet.admin.Newsroom newsroom(
      Config config,
      org.jdbi.v3.core.Jdbi jdbi,
      SecureRandom random,
      Clock clock,
      ArticleService articles,
      ArticlePages articlePages,
      SiteChrome chrome,
      Templates templates,
      ProofOfWork proofOfWork,
      Outbox outbox,
      SiteSettings settings,
      CommentService comments,
      CommentPages commentPages,
      org.broadsheet.search.RelatedStore related,
      org.broadsheet.newsletter.Subscriptions subscriptions,
      org.broadsheet.newsletter.ArticleMailings mailings) {
    var passwords = new org.broadsheet.account.Passwords(random);
    var accounts = new org.broadsheet.account.Accounts(jdbi, passwords, random, clock);
    var sessions = new org.broadsheet.account.Sessions(jdbi, random, clock);
    var audit = new org.broadsheet.account.Audit(jdbi, clock);
    var access =
        new org.broadsheet.admin.AdminAccess(sessions, config.get(BASE_URL).startsWith("https://"));
    var articleAdmin =
        new org.broadsheet.admin.ArticleAdmin(
            articles,
            articlePages,
            access,
            audit,
            new Markdown(config.get(BASE_URL)),
            config.get(TIME_ZONE));
    var account =
        new org.broadsheet.admin.AccountPages(
            config,
            accounts,
            sessions,
            audit,
            access,
            chrome,
            templates,
            proofOfWork,
            outbox,
            jdbi,
            settings,
            comments,
            articleAdmin,
            commentPages::clientIp);
    articleAdmin.use(account, commentPages::clientIp, related);
    var moderation =
        new org.broadsheet.admin.ModerationPages(
            comments, articles, access, audit, chrome.links(), account, commentPages::clientIp);
    var taxonomy =
        new org.broadsheet.admin.TaxonomyPages(
            articles, access, audit, account, commentPages::clientIp);
    var mediaLibrary =
        new org.broadsheet.media.MediaLibrary(jdbi, config.get(DATA_DIR).resolve("media"), clock);
    var media =
        new org.broadsheet.admin.MediaPages(
            mediaLibrary, access, audit, account, commentPages::clientIp);
    var settingsPages =
        new org.broadsheet.admin.SettingsPages(
            config, settings, outbox, jdbi, access, audit, account, commentPages::clientIp);
    return new org.broadsheet.admin.Newsroom(
        accounts,
        sessions,
        audit,
        access,
        account,
        articleAdmin,
        moderation,
        taxonomy,
        media,
        settingsPages,
        new org.broadsheet.admin.ImportPages(
            new org.broadsheet.importer.WxrImporter(
                jdbi, articles, mediaLibrary, chrome.links(), clock, 21L * 1024 * 1024),
            access,
            audit,
            account,
            commentPages::clientIp),
        new org.broadsheet.admin.NewsletterAdmin(
            subscriptions,
            new org.broadsheet.newsletter.SubscriberDirectory(
                jdbi, subscriptions.newsletters(), articles::sections, clock),
            mailings,
            outbox,
            articles,
            settings,
            config.smtpEnabled(),
            access,
            audit,
            account,
            commentPages::clientIp));
  }

  /** Opens one generation of the search index in the configured folder. */
  public static org.broadsheet.search.SearchIndex openSearchIndex(
      Config config, java.nio.file.Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
      return new org.broadsheet.search.SearchIndex(
          org.apache.lucene.store.FSDirectory.open(dir), config.get(LANGUAGE));
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalStateException(
          "BROADSHEET_SEARCH_INDEX_DIR="
              + config.searchIndexDir()
              + ": cannot open the search index ("
              + e.getMessage()
              + "). Is another Broadsheet using this folder? Give each node its own.",
          e);
    }
  }

  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }

  /** Opens and migrates the database and builds every service; does not listen yet. */
  public static Broadsheet create(Config config) {
    return create(config, Clock.systemUTC());
  }

  public static Broadsheet create(Config config, Clock clock) {
    Database database = Database.open(config);
    try {
      database.migrate();
      var jdbi = database.jdbi();
      ChangeFeed changes = new ChangeFeed(jdbi, clock);
      org.broadsheet.search.IndexGenerations generations =
          new org.broadsheet.search.IndexGenerations(config.searchIndexDir());
      int generation = generations.current();
      org.broadsheet.search.SearchIndex searchIndex =
          openSearchIndex(config, generations.dir(generation));
      SiteSettings settings = new SiteSettings(jdbi, changes);
      ArticleService articles =
          new ArticleService(jdbi, changes, new Markdown(config.get(BASE_URL)), clock);
      Assets assets = new Assets();
      Templates templates = new Templates();
      PageCache pageCache = new PageCache(config.get(PAGE_CACHE), config.get(PAGE_CACHE_ENTRIES));
      SiteChrome chrome = new SiteChrome(config, articles, settings, assets, changes);
      HttpCaching caching = new HttpCaching(config.get(CACHE_MAX_AGE));
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

      SecureRandom random = new SecureRandom();
      HumanCheckKeys keys = new HumanCheckKeys(jdbi, random, clock, config.get(HUMAN_CHECK_EXPIRY));
      SpentChallenges spent = new SpentChallenges(jdbi);
      HumanCheckMetrics humanCheckMetrics = new HumanCheckMetrics(metrics);
      ProofOfWork proofOfWork =
          new ProofOfWork(
              keys,
              spent,
              humanCheckMetrics,
              clock,
              config.get(HUMAN_CHECK_EXPIRY),
              config.get(HUMAN_CHECK_DIFFICULTY));
      HumanCheck humanCheck = proofOfWork;
      java.util.List<String> providerOrigins = java.util.List.of();
      if (!config.get(HUMAN_CHECK).selfHosted()) {
        SiteVerifyProvider.Kind kind =
            SiteVerifyProvider.Kind.fromSetting(config.get(HUMAN_CHECK).id()).orElseThrow();
        humanCheck =
            new org.broadsheet.captcha.CountedHumanCheck(
                new SiteVerifyProvider(
                    kind,
                    config.get(HUMAN_CHECK_SECRET),
                    config.get(HUMAN_CHECK_VERIFY_URL).isEmpty()
                        ? null
                        : java.net.URI.create(config.get(HUMAN_CHECK_VERIFY_URL)),
                    config.get(HUMAN_CHECK_MIN_SCORE),
                    null,
                    config.get(HUMAN_CHECK_FAILURE_MODE) == Fallback.HOLD
                        ? FailureMode.HOLD
                        : FailureMode.REJECT,
                    Duration.ofSeconds(5),
                    null),
                humanCheckMetrics);
        java.util.Set<String> origins = new java.util.LinkedHashSet<>(kind.scriptSrc());
        origins.addAll(kind.frameSrc());
        origins.addAll(kind.connectSrc());
        providerOrigins = java.util.List.copyOf(origins);
      }

      MailTransport transport =
          config.smtpEnabled()
              ? new SmtpTransport(config, clock)
              : new DevOutboxTransport(
                  config.get(DATA_DIR).resolve("outbox"), config.get(MAIL_FROM), clock);
      Outbox outbox =
          new Outbox(
              jdbi,
              transport,
              clock,
              java.net.URI.create(config.get(BASE_URL)).getHost(),
              config.get(MAIL_CONCURRENCY),
              config.get(MAIL_RATE));
      Signer signer =
          new Signer(
              () ->
                  settings
                      .get("site.signing-key")
                      .orElseGet(
                          () -> {
                            byte[] key = new byte[32];
                            random.nextBytes(key);
                            settings.put("site.signing-key", HexFormat.of().formatHex(key));
                            return settings.get("site.signing-key").orElseThrow();
                          }));
      // Make the key now: created lazily, it would be written (and the change feed pumped) from
      // inside whichever transaction first signs something, which can deadlock with the feed.
      signer.sign("startup");
      org.broadsheet.storage.WriteBatcher writes =
          new org.broadsheet.storage.WriteBatcher(jdbi, changes::pump);
      CommentService comments =
          new CommentService(
              jdbi,
              writes,
              changes,
              humanCheck,
              config,
              outbox,
              id -> articles.byId(id).filter(a -> a.isPublic()).map(a -> chrome.links().article(a)),
              signer,
              clock);
      CommentViews commentViews =
          new CommentViews(comments, config, assets.url("js/human-check-worker.js"));
      CommentPages commentPages =
          new CommentPages(
              comments,
              commentViews,
              config.get(TRUSTED_PROXIES),
              clock,
              config.get(BASE_URL).startsWith("https://"),
              node ->
                  new String(
                      templates.render("comment/node.jte", node),
                      java.nio.charset.StandardCharsets.UTF_8));
      ArticlePages articlePages =
          new ArticlePages(
              articles,
              chrome,
              templates,
              pageCache,
              caching,
              comments,
              commentViews,
              commentPages);
      changes.subscribe(articlePages::onChange);
      org.broadsheet.search.RelatedStore related =
          new org.broadsheet.search.RelatedStore(jdbi, changes, clock);
      articles.useRelated(related::links);
      org.broadsheet.search.Indexer indexer =
          new org.broadsheet.search.Indexer(
              searchIndex,
              articles,
              related,
              changes,
              ids -> {
                pageCache.evict(ids.stream().map(id -> "related:" + id).toList());
                articles.forgetCachedPages();
              },
              generations,
              dir -> openSearchIndex(config, dir),
              generation);
      HumanCheckPages humanCheckPages = new HumanCheckPages(proofOfWork);
      var subscriptions =
          new org.broadsheet.newsletter.Subscriptions(
              jdbi,
              outbox,
              signer,
              clock,
              config.get(BASE_URL),
              () -> chrome.site().title(),
              new org.broadsheet.newsletter.Newsletters(jdbi, clock),
              articles::sections,
              settings::get);
      var mailings =
          new org.broadsheet.newsletter.ArticleMailings(
              jdbi,
              articles,
              subscriptions,
              outbox,
              chrome.links(),
              clock,
              () -> chrome.site().title(),
              templates,
              500);
      changes.subscribe(mailings::onChange);
      var digests =
          new org.broadsheet.newsletter.Digests(
              jdbi,
              articles,
              subscriptions,
              outbox,
              chrome.links(),
              clock,
              config.get(TIME_ZONE),
              () -> chrome.site().title(),
              templates);
      org.broadsheet.admin.Newsroom newsroom =
          newsroom(
              config,
              jdbi,
              random,
              clock,
              articles,
              articlePages,
              chrome,
              templates,
              proofOfWork,
              outbox,
              settings,
              comments,
              commentPages,
              related,
              subscriptions,
              mailings);
      WebServer web =
          new WebServer(
              config,
              chrome,
              templates,
              pageCache,
              caching,
              providerOrigins,
              javalin ->
                  Routes.register(
                      javalin,
                      new Routes.Pages(
                          articlePages,
                          commentPages,
                          humanCheckPages,
                          new org.broadsheet.search.SearchPages(
                              searchIndex, articles, chrome, templates),
                          newsroom,
                          new org.broadsheet.feed.DistributionPages(
                              articles, comments, chrome, settings, pageCache, caching, clock),
                          new org.broadsheet.importer.Redirects(jdbi),
                          new org.broadsheet.newsletter.NewsletterPages(
                              subscriptions,
                              proofOfWork,
                              chrome,
                              templates,
                              commentPages::clientIp,
                              articles::sections,
                              assets.url("js/human-check-worker.js")),
                          new org.broadsheet.newsletter.BounceWebhook(
                              new org.broadsheet.newsletter.Bounces(jdbi, clock),
                              config.get(BOUNCE_TOKEN))),
                      assets,
                      database,
                      metrics));
      return new Broadsheet(
          new Parts(
              config,
              clock,
              database,
              changes,
              settings,
              articles,
              pageCache,
              web,
              proofOfWork,
              writes,
              spent,
              keys,
              comments,
              outbox,
              metrics,
              searchIndex,
              indexer,
              newsroom,
              mailings,
              digests));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Starts listening and following the change feed. */
  public Broadsheet start() {
    indexer.start();
    mailings.resumeUnfinished();
    web.start();
    changes.startPolling(1000);
    outbox.start(Duration.ofSeconds(5));
    maintenance =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("maintenance").daemon().factory());
    maintenance.scheduleWithFixedDelay(this::maintain, 1, 10, TimeUnit.MINUTES);
    maintenance.scheduleWithFixedDelay(this::followRebuiltIndex, 2, 2, TimeUnit.SECONDS);
    maintenance.scheduleWithFixedDelay(this::publishScheduled, 0, 10, TimeUnit.SECONDS);
    maintenance.scheduleWithFixedDelay(this::sendDigests, 1, 5, TimeUnit.MINUTES);
    return this;
  }

  /**
   * Publishes scheduled articles whose time has come: every 10 seconds and right at start, so a
   * restart that spanned the time publishes them at once; exactly once across nodes.
   */
  public void publishScheduled() {
    try {
      for (Long id : articles.publishDue()) {
        LOG.info("Published scheduled article {}", id);
      }
    } catch (RuntimeException e) {
      LOG.error("Publishing scheduled articles failed; retrying in 10 s", e);
    }
  }

  /** Daily and weekly digests once their hour has come; each edition goes out once. */
  private void sendDigests() {
    try {
      int queued = digests.sendDue();
      if (queued > 0) {
        LOG.info("Queued {} digests", queued);
      }
    } catch (RuntimeException e) {
      LOG.error("Sending digests failed; retrying in 5 minutes", e);
    }
  }

  /** Switches search to an index that {@code broadsheet reindex} rebuilt, once it is ready. */
  private void followRebuiltIndex() {
    try {
      indexer.followGeneration();
    } catch (RuntimeException e) {
      LOG.error("Could not switch to the rebuilt search index; still serving the old one", e);
    }
  }

  /** Periodic housekeeping: spent challenges past expiry, and old commenters' addresses. */
  void maintain() {
    try {
      spentChallenges.purgeExpired(clock.instant().minus(Duration.ofMinutes(1)));
      comments.applyRetention();
      newsroom.sessions().purge();
      newsroom.accounts().purge();
    } catch (RuntimeException e) {
      LOG.warn("Maintenance round failed: {}", e.getMessage());
    }
  }

  public int port() {
    return web.port();
  }

  public Config config() {
    return config;
  }

  public Database database() {
    return database;
  }

  public ChangeFeed changes() {
    return changes;
  }

  public SiteSettings settings() {
    return settings;
  }

  public ArticleService articles() {
    return articles;
  }

  public PageCache pageCache() {
    return pageCache;
  }

  public WebServer web() {
    return web;
  }

  public ProofOfWork proofOfWork() {
    return proofOfWork;
  }

  public SpentChallenges spentChallenges() {
    return spentChallenges;
  }

  public HumanCheckKeys humanCheckKeys() {
    return humanCheckKeys;
  }

  public CommentService comments() {
    return comments;
  }

  public Outbox outbox() {
    return outbox;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public org.broadsheet.search.SearchIndex searchIndex() {
    return searchIndex;
  }

  public org.broadsheet.newsletter.Digests digests() {
    return digests;
  }

  public org.broadsheet.newsletter.Subscriptions subscriptions() {
    return mailings.subscriptions();
  }

  public org.broadsheet.newsletter.ArticleMailings mailings() {
    return mailings;
  }

  public org.broadsheet.admin.Newsroom newsroom() {
    return newsroom;
  }

  public org.broadsheet.search.Indexer indexer() {
    return indexer;
  }

  @Override
  public void close() {
    try {
      web.stop();
    } finally {
      if (maintenance != null) {
        // No interrupts: an interrupted thread writing the Lucene index would break it for good.
        maintenance.shutdown();
        try {
          if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("Background work did not finish within 30 s of stopping");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      outbox.close();
      writes.close();
      changes.close();
      searchIndex.close();
      database.close();
    }
  }
}
