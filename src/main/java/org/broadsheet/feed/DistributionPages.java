package org.broadsheet.feed;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.article.Author;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentService;
import org.broadsheet.site.Links;
import org.broadsheet.site.Section;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.web.CacheTag;
import org.broadsheet.web.CachedPage;
import org.broadsheet.web.HttpCaching;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.PageCache;

/**
 * Everything machines read: RSS, Atom and JSON feeds for the site and each section, tag and author,
 * a comment feed per article, the sitemap index with article sitemaps of 50,000 addresses, a Google
 * News sitemap of the last 48 hours, section and author sitemaps, and robots.txt. Served from the
 * page cache and evicted with the pages that show the same articles. Thread-safe.
 */
public final class DistributionPages implements org.broadsheet.web.RouteModule {

  static final int FEED_ITEMS = 20;
  static final int SITEMAP_URLS = 50_000;
  static final String SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
  static final String NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";

  /** The three feed formats and their media types. */
  public enum Format {
    RSS("application/rss+xml; charset=utf-8", "feed.xml"),
    ATOM("application/atom+xml; charset=utf-8", "atom.xml"),
    JSON("application/feed+json; charset=utf-8", "feed.json");

    final String contentType;
    private final String fileName;

    Format(String contentType, String fileName) {
      this.contentType = contentType;
      this.fileName = fileName;
    }

    /** The last segment of this format's feed addresses. */
    String fileName() {
      return fileName;
    }
  }

  private record Scope(
      String title, String description, String homePath, ArticleFilter filter, CacheTag key) {}

  private final ArticleService articles;
  private final CommentService comments;
  private final SiteChrome chrome;
  private final SiteSettings settings;
  private final PageCache cache;
  private final HttpCaching caching;
  private final java.time.Clock clock;

  private final org.broadsheet.live.LiveCoverage live;

  public DistributionPages(
      ArticleService articles,
      CommentService comments,
      SiteChrome chrome,
      SiteSettings settings,
      PageCache cache,
      HttpCaching caching,
      java.time.Clock clock,
      org.broadsheet.live.LiveCoverage live) {
    this.live = live;
    this.articles = articles;
    this.comments = comments;
    this.chrome = chrome;
    this.settings = settings;
    this.cache = cache;
    this.caching = caching;
    this.clock = clock;
  }

  private Links links() {
    return chrome.links();
  }

  private void send(Context ctx, Supplier<CachedPage> render) {
    caching.send(ctx, cache.get(ctx.path(), render));
  }

  // ---- feeds ------------------------------------------------------------------------------

  /** Whether feeds carry whole articles (the default) or the excerpt only. */
  public boolean fullText() {
    return !"false".equals(settings.get("feed.full-text", "true"));
  }

  @Override
  public void addRoutes(org.broadsheet.web.Routes r) {
    for (Format format : Format.values()) {
      String file = format.fileName();
      r.page("/" + file, ctx -> siteFeed(ctx, format));
      r.page("/section/{slug}/" + file, ctx -> sectionFeed(ctx, format));
      r.page("/tag/{slug}/" + file, ctx -> tagFeed(ctx, format));
      r.page("/author/{slug}/" + file, ctx -> authorFeed(ctx, format));
    }
    r.page("/{section}/{year}/{month}/{day}/{slug}/comments.xml", this::commentFeed);
    r.page(
        "/{section}/{year}/{month}/{day}/{slug}/updates.xml", ctx -> updatesFeed(ctx, Format.RSS));
    r.page(
        "/{section}/{year}/{month}/{day}/{slug}/updates.atom",
        ctx -> updatesFeed(ctx, Format.ATOM));
    r.page(
        "/{section}/{year}/{month}/{day}/{slug}/updates.json",
        ctx -> updatesFeed(ctx, Format.JSON));
    r.page("/sitemap.xml", this::sitemapIndex);
    r.page("/sitemaps/articles-{page}.xml", this::articleSitemap);
    r.page("/sitemaps/news.xml", this::newsSitemap);
    r.page("/sitemaps/sections.xml", this::sectionSitemap);
    r.page("/sitemaps/authors.xml", this::authorSitemap);
    r.page("/robots.txt", this::robots);
  }

  public void siteFeed(Context ctx, Format format) {
    var site = chrome.site();
    feed(
        ctx,
        format,
        new Scope(site.title(), site.tagline(), "/", ArticleFilter.ALL, CacheTag.HOME));
  }

  public void sectionFeed(Context ctx, Format format) {
    Section s = articles.section(ctx.pathParam("slug")).orElseThrow(HttpError::notFound);
    feed(
        ctx,
        format,
        new Scope(
            s.name() + " · " + chrome.site().title(),
            s.description(),
            links().section(s),
            ArticleFilter.section(s.id()),
            CacheTag.section(s.id())));
  }

  public void tagFeed(Context ctx, Format format) {
    var t = articles.tag(ctx.pathParam("slug")).orElseThrow(HttpError::notFound);
    feed(
        ctx,
        format,
        new Scope(
            t.name() + " · " + chrome.site().title(),
            "",
            links().tag(t.slug()),
            ArticleFilter.tag(t.id()),
            CacheTag.tag(t.id())));
  }

  public void authorFeed(Context ctx, Format format) {
    Author a = articles.author(ctx.pathParam("slug")).orElseThrow(HttpError::notFound);
    feed(
        ctx,
        format,
        new Scope(
            a.name() + " · " + chrome.site().title(),
            a.bio(),
            links().author(a.slug()),
            ArticleFilter.author(a.id()),
            CacheTag.author(a.id())));
  }

  private void feed(Context ctx, Format format, Scope scope) {
    send(
        ctx,
        () -> {
          List<ArticleSummary> latest = articles.latest(scope.filter(), FEED_ITEMS, 0);
          Set<CacheTag> deps =
              new LinkedHashSet<>(List.of(scope.key(), CacheTag.HOME, CacheTag.SETTINGS));
          List<FeedData.Item> items = new ArrayList<>();
          boolean full = fullText();
          Instant updated = Instant.EPOCH;
          for (ArticleSummary summary : latest) {
            deps.add(CacheTag.article(summary.id()));
            Optional<Article> found = articles.byId(summary.id());
            if (found.isEmpty()) {
              continue;
            }
            Article a = found.get();
            String url = links().absolute(links().article(a));
            Instant modified =
                a.updatedAt() != null && a.updatedAt().isAfter(a.publishedAt())
                    ? a.updatedAt()
                    : a.publishedAt();
            updated = modified.isAfter(updated) ? modified : updated;
            String excerpt = articles.presentation(a.id()).excerpt();
            items.add(
                new FeedData.Item(
                    url,
                    url,
                    a.headline(),
                    excerpt.isEmpty() ? a.deck() : excerpt,
                    full ? a.bodyHtml() : "",
                    a.publishedAt(),
                    modified,
                    a.authors().stream()
                        .map(
                            p ->
                                new FeedData.Person(
                                    p.name(), links().absolute(links().author(p.slug()))))
                        .toList(),
                    a.tags().stream().map(t -> t.name()).toList()));
          }
          FeedData data =
              new FeedData(
                  scope.title(),
                  scope.description(),
                  links().absolute(scope.homePath()),
                  links().absolute(ctx.path()),
                  chrome.site().language(),
                  updated.equals(Instant.EPOCH) ? clock.instant() : updated,
                  items);
          return new CachedPage(write(data, format), data.updated(), deps, format.contentType);
        });
  }

  private static byte[] write(FeedData data, Format format) {
    return switch (format) {
      case RSS -> FeedWriter.rss(data);
      case ATOM -> FeedWriter.atom(data);
      case JSON -> FeedWriter.json(data);
    };
  }

  /** A live story's updates, newest first (the latest 50), in the format asked for. */
  public void updatesFeed(Context ctx, Format format) {
    Article article =
        articles
            .bySlug(ctx.pathParam("slug"))
            .filter(Article::isPublic)
            .orElseThrow(HttpError::notFound);
    String articlePath = links().article(article);
    if (!ctx.path().startsWith(articlePath + "/updates.")) {
      throw HttpError.notFound();
    }
    org.broadsheet.live.LiveStream stream =
        live.stream(article.id()).orElseThrow(HttpError::notFound);
    send(
        ctx,
        () -> {
          List<FeedData.Item> items = new ArrayList<>();
          for (var u : stream.newestFirst().subList(0, Math.min(50, stream.newestFirst().size()))) {
            String url = links().absolute(articlePath) + "#" + u.anchor();
            items.add(
                new FeedData.Item(
                    url,
                    url,
                    u.headline().isEmpty() ? article.headline() : u.headline(),
                    org.jsoup.Jsoup.parse(u.bodyHtml()).text(),
                    u.bodyHtml(),
                    u.createdAt(),
                    u.editedAt() == null ? u.createdAt() : u.editedAt(),
                    u.author().isEmpty() ? List.of() : List.of(new FeedData.Person(u.author(), "")),
                    List.of()));
          }
          Instant updated = stream.lastChanged();
          FeedData data =
              new FeedData(
                  "Live: " + article.headline(),
                  article.deck(),
                  links().absolute(articlePath),
                  links().absolute(ctx.path()),
                  chrome.site().language(),
                  updated,
                  items);
          return new CachedPage(
              write(data, format),
              updated,
              Set.of(CacheTag.article(article.id())),
              format.contentType);
        });
  }

  /** The approved comments of one article, newest first, as RSS. */
  public void commentFeed(Context ctx) {
    Article article =
        articles
            .bySlug(ctx.pathParam("slug"))
            .filter(Article::isPublic)
            .orElseThrow(HttpError::notFound);
    String articlePath = links().article(article);
    if (!ctx.path().equals(articlePath + "/comments.xml")) {
      throw HttpError.notFound();
    }
    send(
        ctx,
        () -> {
          List<Comment> approved = new ArrayList<>(comments.approved(article.id()));
          approved.sort((x, y) -> y.createdAt().compareTo(x.createdAt()));
          List<FeedData.Item> items = new ArrayList<>();
          for (Comment c : approved.subList(0, Math.min(50, approved.size()))) {
            String url = links().absolute(articlePath) + "#comment-" + c.id();
            items.add(
                new FeedData.Item(
                    url,
                    url,
                    "Comment by " + c.authorName(),
                    c.body(),
                    "",
                    c.createdAt(),
                    c.createdAt(),
                    List.of(new FeedData.Person(c.authorName(), "")),
                    List.of()));
          }
          Instant updated =
              approved.isEmpty() ? article.publishedAt() : approved.getFirst().createdAt();
          FeedData data =
              new FeedData(
                  "Comments on " + article.headline(),
                  "",
                  links().absolute(articlePath),
                  links().absolute(ctx.path()),
                  chrome.site().language(),
                  updated,
                  items);
          return new CachedPage(
              FeedWriter.rss(data),
              updated,
              Set.of(CacheTag.article(article.id())),
              Format.RSS.contentType);
        });
  }

  // ---- sitemaps ---------------------------------------------------------------------------

  private static final String XML_TYPE = "application/xml; charset=utf-8";

  public void sitemapIndex(Context ctx) {
    send(
        ctx,
        () -> {
          int total = articles.countPublished(ArticleFilter.ALL);
          int pages = Math.max(1, (total + SITEMAP_URLS - 1) / SITEMAP_URLS);
          List<ArticleSummary> newest = articles.latest(ArticleFilter.ALL, 1, 0);
          Instant lastmod = newest.isEmpty() ? clock.instant() : lastModified(newest.getFirst());
          byte[] body =
              FeedWriter.xml(
                  w -> {
                    w.writeStartElement("sitemapindex");
                    w.writeDefaultNamespace(SITEMAP_NS);
                    for (int page = 1; page <= pages; page++) {
                      sitemapEntry(w, "/sitemaps/articles-" + page + ".xml", lastmod);
                    }
                    sitemapEntry(w, "/sitemaps/news.xml", lastmod);
                    sitemapEntry(w, "/sitemaps/sections.xml", lastmod);
                    sitemapEntry(w, "/sitemaps/authors.xml", lastmod);
                    w.writeEndElement();
                  });
          return new CachedPage(body, lastmod, Set.of(CacheTag.HOME, CacheTag.SETTINGS), XML_TYPE);
        });
  }

  private void sitemapEntry(javax.xml.stream.XMLStreamWriter w, String path, Instant lastmod)
      throws javax.xml.stream.XMLStreamException {
    w.writeStartElement("sitemap");
    FeedWriter.element(w, "loc", links().absolute(path));
    FeedWriter.element(w, "lastmod", lastmod.toString());
    w.writeEndElement();
  }

  private static Instant lastModified(ArticleSummary a) {
    return a.updatedAt() != null && a.updatedAt().isAfter(a.publishedAt())
        ? a.updatedAt()
        : a.publishedAt();
  }

  public void articleSitemap(Context ctx) {
    String raw = ctx.pathParam("page");
    if (!raw.matches("[1-9][0-9]{0,5}")) {
      throw HttpError.notFound();
    }
    int page = Integer.parseInt(raw);
    send(
        ctx,
        () -> {
          List<ArticleSummary> list =
              articles.latest(ArticleFilter.ALL, SITEMAP_URLS, (page - 1) * SITEMAP_URLS);
          if (list.isEmpty() && page > 1) {
            throw HttpError.notFound();
          }
          Instant newest = list.isEmpty() ? clock.instant() : lastModified(list.getFirst());
          byte[] body =
              FeedWriter.xml(
                  w -> {
                    w.writeStartElement("urlset");
                    w.writeDefaultNamespace(SITEMAP_NS);
                    for (ArticleSummary a : list) {
                      w.writeStartElement("url");
                      FeedWriter.element(w, "loc", links().absolute(links().article(a)));
                      FeedWriter.element(w, "lastmod", lastModified(a).toString());
                      w.writeEndElement();
                    }
                    w.writeEndElement();
                  });
          Set<CacheTag> deps = new LinkedHashSet<>(Set.of(CacheTag.HOME));
          list.forEach(a -> deps.add(CacheTag.article(a.id())));
          return new CachedPage(body, newest, deps, XML_TYPE);
        });
  }

  /** Google News: articles of the last 48 hours, with the publication's name and language. */
  public void newsSitemap(Context ctx) {
    // Not cached: what counts as "the last 48 hours" moves with the clock.
    Instant since = clock.instant().minus(Duration.ofHours(48));
    List<ArticleSummary> recent = new ArrayList<>();
    for (ArticleSummary a : articles.latest(ArticleFilter.ALL, 1000, 0)) {
      if (a.publishedAt().isBefore(since)) {
        break;
      }
      recent.add(a);
    }
    var site = chrome.site();
    byte[] body =
        FeedWriter.xml(
            w -> {
              w.writeStartElement("urlset");
              w.writeDefaultNamespace(SITEMAP_NS);
              w.writeNamespace("news", NEWS_NS);
              for (ArticleSummary a : recent) {
                w.writeStartElement("url");
                FeedWriter.element(w, "loc", links().absolute(links().article(a)));
                w.writeStartElement("news", "news", NEWS_NS);
                w.writeStartElement("news", "publication", NEWS_NS);
                w.writeStartElement("news", "name", NEWS_NS);
                w.writeCharacters(FeedWriter.clean(site.title()));
                w.writeEndElement();
                w.writeStartElement("news", "language", NEWS_NS);
                w.writeCharacters(site.language());
                w.writeEndElement();
                w.writeEndElement();
                w.writeStartElement("news", "publication_date", NEWS_NS);
                w.writeCharacters(a.publishedAt().toString());
                w.writeEndElement();
                w.writeStartElement("news", "title", NEWS_NS);
                w.writeCharacters(FeedWriter.clean(a.headline()));
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
              }
              w.writeEndElement();
            });
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.contentType(XML_TYPE);
    ctx.result(body);
  }

  public void sectionSitemap(Context ctx) {
    simpleSitemap(ctx, "section", articles.sections(), s -> links().section(s));
  }

  public void authorSitemap(Context ctx) {
    simpleSitemap(ctx, "author", articles.authors(), a -> links().author(a.slug()));
  }

  private <T> void simpleSitemap(
      Context ctx, String kind, List<T> things, Function<T, String> path) {
    send(
        ctx,
        () -> {
          byte[] body =
              FeedWriter.xml(
                  w -> {
                    w.writeStartElement("urlset");
                    w.writeDefaultNamespace(SITEMAP_NS);
                    if (kind.equals("section")) {
                      w.writeStartElement("url");
                      FeedWriter.element(w, "loc", links().absolute("/"));
                      FeedWriter.element(w, "changefreq", "hourly");
                      w.writeEndElement();
                    }
                    for (T thing : things) {
                      w.writeStartElement("url");
                      FeedWriter.element(w, "loc", links().absolute(path.apply(thing)));
                      FeedWriter.element(w, "changefreq", "daily");
                      w.writeEndElement();
                    }
                    w.writeEndElement();
                  });
          return new CachedPage(
              body, clock.instant(), Set.of(CacheTag.SETTINGS, CacheTag.HOME), XML_TYPE);
        });
  }

  public void robots(Context ctx) {
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(
        "User-agent: *\n"
            + "Disallow: /admin\n"
            + "Disallow: /api/\n"
            + "Allow: /\n\n"
            + "Sitemap: "
            + links().absolute("/sitemap.xml")
            + "\nSitemap: "
            + links().absolute("/sitemaps/news.xml")
            + "\n");
  }
}
