package org.broadsheet;

import java.time.Clock;
import org.broadsheet.admin.SiteSettings;
import org.broadsheet.article.ArticlePages;
import org.broadsheet.article.ArticleService;
import org.broadsheet.cli.Cli;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.storage.Database;
import org.broadsheet.support.Markdown;
import org.broadsheet.web.Assets;
import org.broadsheet.web.HttpCaching;
import org.broadsheet.web.PageCache;
import org.broadsheet.web.Routes;
import org.broadsheet.web.SiteChrome;
import org.broadsheet.web.Templates;
import org.broadsheet.web.WebServer;

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

  private Broadsheet(
      Config config,
      Database database,
      ChangeFeed changes,
      SiteSettings settings,
      ArticleService articles,
      PageCache pageCache,
      WebServer web) {
    this.config = config;
    this.database = database;
    this.changes = changes;
    this.settings = settings;
    this.articles = articles;
    this.pageCache = pageCache;
    this.web = web;
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
      ChangeFeed changes = new ChangeFeed(database.jdbi(), clock);
      SiteSettings settings = new SiteSettings(database.jdbi(), changes);
      ArticleService articles =
          new ArticleService(database.jdbi(), changes, new Markdown(config.baseUrl()), clock);
      Assets assets = new Assets();
      Templates templates = new Templates();
      PageCache pageCache = new PageCache(config.pageCache(), config.pageCacheEntries());
      SiteChrome chrome = new SiteChrome(config, articles, settings, assets, changes);
      HttpCaching caching = new HttpCaching(config.cacheMaxAge());
      ArticlePages articlePages = new ArticlePages(articles, chrome, templates, pageCache, caching);
      changes.subscribe(articlePages::onChange);
      WebServer web =
          new WebServer(
              config,
              chrome,
              templates,
              pageCache,
              caching,
              javalin -> Routes.register(javalin, articlePages, assets, database));
      return new Broadsheet(config, database, changes, settings, articles, pageCache, web);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Starts listening and following the change feed. */
  public Broadsheet start() {
    web.start();
    changes.startPolling(1000);
    return this;
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

  @Override
  public void close() {
    try {
      web.stop();
    } finally {
      changes.close();
      database.close();
    }
  }
}
