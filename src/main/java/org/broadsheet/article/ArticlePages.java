package org.broadsheet.article;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentPages;
import org.broadsheet.comment.CommentSection;
import org.broadsheet.comment.CommentService;
import org.broadsheet.comment.CommentViews;
import org.broadsheet.comment.MyComments;
import org.broadsheet.embed.EmbedCards;
import org.broadsheet.site.Section;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.storage.Change;
import org.broadsheet.support.Slugs;
import org.broadsheet.web.CacheTag;
import org.broadsheet.web.CachedPage;
import org.broadsheet.web.HttpCaching;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.PageCache;
import org.broadsheet.web.Pager;
import org.broadsheet.web.Redirect;
import org.broadsheet.web.Templates;

/**
 * The reader-facing article pages: front page, article, section, tag and author lists. Each page is
 * rendered once into the page cache, tagged with the content it shows, and evicted when the change
 * feed reports a change to that content. Thread-safe.
 */
public final class ArticlePages implements CommentPages.ArticleRenderer {

  static final int HOME_LATEST = 10;
  static final int PAGE_SIZE = 12;
  static final int MORE_ARTICLES = 4;
  static final int SECTION_BLOCK = 3;
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,4}");
  private static final String HTML = "text/html; charset=utf-8";

  private final ArticleService articles;
  private final SiteChrome chrome;
  private final Templates templates;
  private final PageCache cache;
  private final HttpCaching http;
  private final EmbedCards embeds;
  private final org.broadsheet.live.LiveCoverage live;
  private final org.broadsheet.live.LiveEvents liveEvents;
  private final CommentService comments;
  private final CommentViews commentViews;
  private final MyComments mine;

  public ArticlePages(
      ArticleService articles,
      SiteChrome chrome,
      Templates templates,
      PageCache cache,
      HttpCaching http,
      CommentService comments,
      CommentViews commentViews,
      MyComments mine,
      EmbedCards embeds,
      org.broadsheet.live.LiveCoverage live,
      org.broadsheet.live.LiveEvents liveEvents) {
    this.embeds = embeds;
    this.liveEvents = liveEvents;
    this.live = live;
    this.articles = articles;
    this.chrome = chrome;
    this.templates = templates;
    this.cache = cache;
    this.http = http;
    this.comments = comments;
    this.commentViews = commentViews;
    this.mine = mine;
  }

  /** The stories' live coverage (shared with the newsroom's pages). */
  public org.broadsheet.live.LiveCoverage live() {
    return live;
  }

  /** How long a live reader's connection may stay silent before a heartbeat. */
  static final long HEARTBEAT_MILLIS = 25_000;

  /**
   * {@code /live/{id}/events}: Server-Sent Events for a live story's open pages. On connecting (and
   * reconnecting, with or without {@code Last-Event-ID}) the reader gets the stream as it is now,
   * then the stream again at every change, each event's id the change's position in the feed; a
   * comment line every 25 seconds keeps proxies from closing the connection. One virtual thread per
   * reader, capped per node (503 with Retry-After beyond).
   */
  public void liveEvents(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw HttpError.notFound();
    }
    if (!livePayloads.containsKey(id)) {
      articles.byId(id).filter(Article::isPublic).orElseThrow(HttpError::notFound);
      if (live.stream(id).isEmpty()) {
        throw HttpError.notFound();
      }
    }
    org.broadsheet.live.LiveEvents.Subscription subscription = liveEvents.subscribe(id);
    if (subscription == null) {
      ctx.status(503);
      ctx.header("Retry-After", "30");
      ctx.result(
          "Too many live readers on this server just now; reloading the page shows the latest.");
      return;
    }
    try (subscription) {
      ctx.status(200);
      ctx.contentType("text/event-stream; charset=utf-8");
      ctx.header("Cache-Control", "no-store");
      ctx.header("X-Accel-Buffering", "no");
      var out = ctx.res().getOutputStream();
      long version = 0;
      try {
        version = Math.max(0, Long.parseLong(String.valueOf(ctx.header("Last-Event-ID")).strip()));
      } catch (NumberFormatException e) {
        // A first connection: no id yet.
      }
      writeEvent(out, "retry: 3000\n\n");
      sendStream(out, id, version);
      while (true) {
        long next = subscription.next(HEARTBEAT_MILLIS);
        if (next < 0) {
          break;
        }
        if (next == 0) {
          writeEvent(out, ": ping\n\n");
        } else {
          sendStream(out, id, next);
        }
      }
    } catch (java.io.IOException e) {
      // The reader left.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A stream as readers get it: each update's pictures with their copies and its embeds as
   * click-to-load cards, like the story's own body.
   */
  private org.broadsheet.live.LiveStream readable(org.broadsheet.live.LiveStream stream) {
    return new org.broadsheet.live.LiveStream(
        stream.articleId(),
        stream.since(),
        stream.until(),
        stream.updates().stream()
            .map(
                u ->
                    new org.broadsheet.live.LiveUpdate(
                        u.id(),
                        u.articleId(),
                        u.headline(),
                        u.bodyMarkdown(),
                        embeds
                            .render(BodyPictures.enrich(u.bodyHtml(), chrome.site()::picture))
                            .html(),
                        u.author(),
                        u.pinned(),
                        u.keyEvent(),
                        u.createdAt(),
                        u.editedAt()))
            .toList());
  }

  /**
   * The frames a page may load: its body's embeds, and while it is live every provider's (an update
   * posted later may embed any of them, and the open page keeps its policy).
   */
  private static Set<String> frameOrigins(Set<String> body, org.broadsheet.live.LiveStream stream) {
    if (stream == null || !stream.running()) {
      return body;
    }
    Set<String> all = new LinkedHashSet<>(body);
    for (org.broadsheet.embed.Provider p : org.broadsheet.embed.Provider.values()) {
      all.add(p.frameOrigin());
    }
    return all;
  }

  /** A live story's event as last rendered: the change it follows and its JSON. */
  private record LivePayload(long version, String json) {}

  /**
   * The latest rendered event per live story: rendered once per change for every reader of the
   * story on this node, not once per reader; dropped when the story changes.
   */
  private final java.util.concurrent.ConcurrentHashMap<Long, LivePayload> livePayloads =
      new java.util.concurrent.ConcurrentHashMap<>();

  private void sendStream(java.io.OutputStream out, long articleId, long version)
      throws java.io.IOException {
    LivePayload payload =
        livePayloads.compute(
            articleId,
            (id, cached) ->
                cached != null && cached.version() >= version
                    ? cached
                    : new LivePayload(version, renderLive(id)));
    writeEvent(
        out,
        "id: "
            + Math.max(version, payload.version())
            + "\nevent: stream\ndata: "
            + payload.json()
            + "\n\n");
  }

  private String renderLive(long articleId) {
    var stream = live.stream(articleId).map(this::readable);
    String html =
        stream
            .map(
                s ->
                    templates.renderWith(
                        "live/stream.jte", Map.of("live", s, "site", chrome.site())))
            .orElse("");
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .writeValueAsString(
              Map.of(
                  "html",
                  html,
                  "running",
                  stream.map(org.broadsheet.live.LiveStream::running).orElse(false)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeEvent(java.io.OutputStream out, String text) throws java.io.IOException {
    out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    out.flush();
  }

  /** Evicts the cached pages a change makes stale; subscribed to the change feed. */
  public void onChange(Change change) {
    if (change.is(Change.Entity.ARTICLE)) {
      livePayloads.remove(change.entityId());
    }
    switch (change.entity()) {
      case ARTICLE -> {
        if (change.kind() == Change.Kind.ERASED) {
          // Its links are gone with it: which listings showed it is no longer known.
          cache.clear();
          return;
        }
        Set<CacheTag> keys = new HashSet<>(articles.dependencyKeys(change.entityId()));
        keys.add(CacheTag.HOME);
        cache.evict(keys);
      }
      case SECTION -> {
        if (change.kind() == Change.Kind.FRONT) {
          // A front was arranged: the home page's, or one section's pages.
          cache.evict(
              Set.of(change.entityId() == 0 ? CacheTag.HOME : CacheTag.section(change.entityId())));
        } else {
          cache.clear();
        }
      }
      case SETTINGS, UNKNOWN -> cache.clear();
      case AUTHOR -> cache.evict(Set.of(CacheTag.author(change.entityId())));
      case COMMENT ->
          comments
              .find(change.entityId())
              .ifPresent(c -> cache.evict(Set.of(CacheTag.article(c.articleId()))));
    }
  }

  public void home(Context ctx) {
    int page = Pager.parse(ctx.queryParam("page"));
    send(ctx, cache.get(PageCache.key("/", page), () -> renderHome(page, null, null)));
  }

  /**
   * The front page as it would look with these picks and this section order, not saved and not
   * cached (the newsroom's preview).
   */
  public String previewHome(Map<Integer, Long> picks, List<Long> sectionOrder) {
    return new String(
        renderHome(1, picks, sectionOrder).body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private CachedPage renderHome(
      int page, Map<Integer, Long> previewPicks, List<Long> previewOrder) {
    Set<CacheTag> deps = new LinkedHashSet<>(Set.of(CacheTag.HOME));
    int total = articles.countPublished(ArticleFilter.ALL);
    int firstPageCount = 1 + HOME_LATEST;
    int pages = 1 + Math.max(0, (total - firstPageCount + PAGE_SIZE - 1) / PAGE_SIZE);
    if (page > pages) {
      throw new HttpError(
          404, "No such page", "The front page has " + pages + " pages of stories.");
    }
    Pager pager = new Pager(page, pages, "/");
    ArticleSummary lead = null;
    List<ArticleSummary> latest;
    List<HomePage.SectionBlock> blocks = new ArrayList<>();
    if (page == 1) {
      // The newsroom's lead and featured stories (published ones; a scheduled pick appears when
      // it is published), then the newest to fill the rest.
      Map<Integer, Long> picks = previewPicks != null ? previewPicks : articles.frontPicks(null);
      List<ArticleSummary> chosenLead =
          picks.containsKey(0) ? articles.summaries(List.of(picks.get(0))) : List.of();
      List<Long> featuredIds = new ArrayList<>();
      picks.forEach(
          (slot, id) -> {
            if (slot > 0) {
              featuredIds.add(id);
            }
          });
      List<ArticleSummary> featured = articles.summaries(featuredIds);
      List<ArticleSummary> latestFirst =
          articles.latest(ArticleFilter.ALL, firstPageCount + ArticleService.FRONT_SLOTS, 0);
      Set<Long> shown = new HashSet<>();
      lead = chosenLead.isEmpty() ? null : chosenLead.getFirst();
      if (lead == null) {
        lead =
            latestFirst.stream()
                .filter(a -> featured.stream().noneMatch(f -> f.id() == a.id()))
                .findFirst()
                .orElse(featured.isEmpty() ? null : featured.getFirst());
      }
      if (lead != null) {
        shown.add(lead.id());
      }
      List<ArticleSummary> rest = new ArrayList<>();
      for (ArticleSummary a : featured) {
        if (shown.add(a.id())) {
          rest.add(a);
        }
      }
      for (ArticleSummary a : latestFirst) {
        if (rest.size() < HOME_LATEST && shown.add(a.id())) {
          rest.add(a);
        }
      }
      latest = rest;
      List<Section> sections = new ArrayList<>(chrome.site().sections());
      if (previewOrder != null && !previewOrder.isEmpty()) {
        sections.sort(
            java.util.Comparator.comparingInt(
                s -> {
                  int at = previewOrder.indexOf(s.id());
                  return at < 0 ? Integer.MAX_VALUE : at;
                }));
      }
      for (Section section : sections) {
        deps.add(CacheTag.section(section.id()));
        List<ArticleSummary> newest =
            articles
                .latest(ArticleFilter.section(section.id()), SECTION_BLOCK + HOME_LATEST + 1, 0)
                .stream()
                .filter(a -> !shown.contains(a.id()))
                .limit(SECTION_BLOCK)
                .toList();
        if (!newest.isEmpty()) {
          blocks.add(new HomePage.SectionBlock(section, newest));
        }
      }
    } else {
      latest =
          articles.latest(ArticleFilter.ALL, PAGE_SIZE, firstPageCount + (page - 2) * PAGE_SIZE);
    }
    List<ArticleSummary> all = new ArrayList<>(latest);
    if (lead != null) {
      all.add(lead);
    }
    blocks.forEach(b -> all.addAll(b.articles()));
    all.forEach(a -> deps.add(CacheTag.article(a.id())));
    String title = page == 1 ? "" : "Older stories, page " + page;
    HomePage model =
        new HomePage(
            chrome.chrome(title, chrome.site().tagline(), page == 1 ? "/" : "/?page=" + page, ""),
            lead,
            latest,
            blocks,
            pager,
            previewPicks != null);
    return new CachedPage(templates.render("article/home.jte", model), lastModified(all), deps);
  }

  public void article(Context ctx) {
    String slug = ctx.pathParam("slug");
    if (!Slugs.isValid(slug)
        || !Slugs.isValid(ctx.pathParam("section"))
        || !DIGITS.matcher(ctx.pathParam("year")).matches()
        || !DIGITS.matcher(ctx.pathParam("month")).matches()
        || !DIGITS.matcher(ctx.pathParam("day")).matches()) {
      throw HttpError.notFound();
    }
    String path = ctx.path();
    boolean newestFirst = "newest".equals(ctx.queryParam("corder"));
    int commentPage = Pager.parse(ctx.queryParam("cpage"));
    if (mine.present(ctx)) {
      // The reader has recent comments of their own: show them pending on a private copy.
      ArticleWithMore found =
          articles.publishedWithMore(slug, MORE_ARTICLES).orElseThrow(HttpError::notFound);
      List<Comment> own = mine.pending(ctx, found.article().id());
      if (!own.isEmpty()) {
        sendPrivate(ctx, render(found, path, newestFirst, commentPage, own), 200);
        return;
      }
    }
    String key = path + commentVariant(newestFirst, commentPage);
    CachedPage page =
        cache.get(
            key,
            () ->
                render(
                    articles
                        .publishedWithMore(slug, MORE_ARTICLES)
                        .orElseThrow(HttpError::notFound),
                    path,
                    newestFirst,
                    commentPage,
                    List.of()));
    send(ctx, page);
  }

  /** Renders an article found at {@code path}, or redirects to its canonical address. */
  private CachedPage render(
      ArticleWithMore found,
      String path,
      boolean newestFirst,
      int commentPage,
      List<Comment> pending) {
    String canonical = chrome.links().article(found.article());
    if (!canonical.equals(path)) {
      throw new Redirect(canonical);
    }
    long id = found.article().id();
    CommentSection section =
        commentViews.section(id, newestFirst, commentPage, pending, commentViews.emptyForm(id));
    return renderArticle(found, canonical, section);
  }

  /**
   * An article as readers will see it, whatever its status, for the newsroom's preview: the same
   * template, its real comments, without the related lists (computed on publication).
   */
  /**
   * A body as a story's page shows it (pictures with their copies, embeds as cards), for the
   * editor's live preview.
   */
  public String previewBody(String safeHtml) {
    return embeds.render(BodyPictures.enrich(safeHtml, chrome.site()::picture)).html();
  }

  public CachedPage preview(long articleId) {
    Article stored = articles.byId(articleId).orElseThrow(HttpError::notFound);
    Article article = stored.publishedAtIfUnset(java.time.Instant.now());
    CommentSection closedOrOpen =
        commentViews.section(articleId, false, 1, List.of(), commentViews.emptyForm(articleId));
    // Readers will get the comment form once it is published (unless comments are closed).
    CommentSection section =
        stored.isPublic()
            ? closedOrOpen
            : new CommentSection(
                closedOrOpen.articleId(),
                true,
                closedOrOpen.total(),
                closedOrOpen.roots(),
                false,
                1,
                closedOrOpen.pageCount(),
                closedOrOpen.form());
    ArticleWithMore found =
        stored.isPublic()
            ? articles.publishedWithMore(stored.slug(), MORE_ARTICLES).orElse(null)
            : null;
    String note;
    if (found == null) {
      // More Articles is worked out when the story is published: the newest in its section stand
      // in for it here.
      List<ArticleSummary> more =
          articles
              .latest(ArticleFilter.section(stored.section().id()), MORE_ARTICLES + 1, 0)
              .stream()
              .filter(s -> s.id() != stored.id())
              .limit(MORE_ARTICLES)
              .toList();
      found = new ArticleWithMore(article, List.of(), more);
      note =
          "Preview: this story is "
              + EditorialStatus.of(stored.status(), false)
                  .label()
                  .toLowerCase(java.util.Locale.ROOT)
              + " and readers cannot see it. The date is when it would publish now; More Articles"
              + " shows the newest in its section until it is published.";
    } else {
      note = "Preview of the live story as readers see it now.";
    }
    return renderArticle(found, chrome.links().article(article), section, note);
  }

  /** The query that selects a page of the comment thread; empty for the default. */
  static String commentVariant(boolean newestFirst, int commentPage) {
    String order = newestFirst ? "corder=newest" : "";
    String page = commentPage > 1 ? "cpage=" + commentPage : "";
    String query = order.isEmpty() ? page : page.isEmpty() ? order : order + "&" + page;
    return query.isEmpty() ? "" : "?" + query;
  }

  /** The article page with the comment form as the reader left it (after a refused comment). */
  @Override
  public void renderWithForm(Context ctx, long articleId, CommentSection.Form form, int status) {
    Article article =
        articles.byId(articleId).filter(Article::isPublic).orElseThrow(HttpError::notFound);
    ArticleWithMore found =
        articles.publishedWithMore(article.slug(), MORE_ARTICLES).orElseThrow(HttpError::notFound);
    List<Comment> own = mine.pending(ctx, articleId);
    CommentSection section = commentViews.section(articleId, false, 1, own, form);
    sendPrivate(ctx, renderArticle(found, chrome.links().article(article), section), status);
  }

  private void sendPrivate(Context ctx, CachedPage page, int status) {
    ctx.status(status);
    HttpCaching.allowFrames(ctx, page);
    ctx.header("Cache-Control", "private, no-store");
    ctx.contentType(HTML);
    ctx.result(page.body());
  }

  private CachedPage renderArticle(
      ArticleWithMore found, String canonical, CommentSection comments) {
    return renderArticle(found, canonical, comments, "");
  }

  private CachedPage renderArticle(
      ArticleWithMore found, String canonical, CommentSection comments, String previewNote) {
    Article article = found.article();
    List<ArticleSummary> more = found.more();
    Set<CacheTag> deps = new LinkedHashSet<>();
    deps.add(CacheTag.article(article.id()));
    // This page's own More Articles list, recomputed by search when related stories change.
    deps.add(CacheTag.related(article.id()));
    deps.add(CacheTag.section(article.section().id()));
    article.authors().forEach(a -> deps.add(CacheTag.author(a.id())));
    more.forEach(a -> deps.add(CacheTag.article(a.id())));
    found.story().forEach(a -> deps.add(CacheTag.article(a.id())));
    Presentation presentation = articles.presentation(article.id());
    EmbedCards.Rendered body =
        embeds.render(BodyPictures.enrich(article.bodyHtml(), chrome.site()::picture));
    org.broadsheet.live.LiveStream stream =
        live.stream(article.id()).map(this::readable).orElse(null);
    ArticlePage model =
        new ArticlePage(
            chrome.chrome(
                presentation.titleOr(article.headline()),
                describe(presentation.descriptionOr(article.deck()), article.bodyHtml()),
                canonical,
                article.section().slug()),
            article,
            comments,
            found.story(),
            more,
            StructuredData.article(
                article, chrome.links(), chrome.site().title(), chrome.site().logo(), stream),
            body.html(),
            previewNote,
            presentation,
            stream);
    Instant modified =
        stream != null && stream.lastChanged().isAfter(article.modifiedAt())
            ? stream.lastChanged()
            : article.modifiedAt();
    List<ArticleSummary> linked = new java.util.ArrayList<>(more);
    linked.addAll(found.story());
    Instant others = lastModified(linked);
    Instant latestComment =
        comments.roots().stream()
            .map(n -> n.comment().createdAt())
            .max(Instant::compareTo)
            .orElse(Instant.EPOCH);
    Instant last = others.isAfter(modified) ? others : modified;
    return new CachedPage(
        templates.render("article/article.jte", model),
        latestComment.isAfter(last) ? latestComment : last,
        deps,
        frameOrigins(body.frameOrigins(), stream));
  }

  /**
   * The page's description for search engines and link previews: the one given, else the body's
   * opening words (up to about 160 characters, cut at a word).
   */
  static String describe(String given, String bodyHtml) {
    if (!given.isBlank() || bodyHtml == null) {
      return given;
    }
    String text = org.jsoup.Jsoup.parse(bodyHtml).text().strip();
    if (text.length() <= 160) {
      return text;
    }
    int cut = text.lastIndexOf(' ', 157);
    return text.substring(0, cut > 80 ? cut : 157).strip() + "…";
  }

  public void section(Context ctx) {
    listing(
        ctx,
        "/section/",
        slug ->
            articles
                .section(slug)
                .map(
                    s ->
                        new Listing(
                            ArticleFilter.section(s.id()),
                            CacheTag.section(s.id()),
                            "Section",
                            s.name(),
                            s.description(),
                            s.slug())));
  }

  public void tag(Context ctx) {
    listing(
        ctx,
        "/tag/",
        slug ->
            articles
                .tag(slug)
                .map(
                    t ->
                        new Listing(
                            ArticleFilter.tag(t.id()),
                            CacheTag.tag(t.id()),
                            "Topic",
                            t.name(),
                            "",
                            "")));
  }

  public void author(Context ctx) {
    listing(
        ctx,
        "/author/",
        slug ->
            articles
                .author(slug)
                .map(
                    a ->
                        new Listing(
                            ArticleFilter.author(a.id()),
                            CacheTag.author(a.id()),
                            "Author",
                            a.name(),
                            a.bio(),
                            "",
                            articles.authorPhoto(a.id()))));
  }

  /** What a section, tag or author page lists and how it is headed. */
  private record Listing(
      ArticleFilter filter,
      CacheTag key,
      String kicker,
      String heading,
      String description,
      String currentSection,
      String image) {

    Listing(
        ArticleFilter filter,
        CacheTag key,
        String kicker,
        String heading,
        String description,
        String currentSection) {
      this(filter, key, kicker, heading, description, currentSection, "");
    }
  }

  /** A paginated list page at {@code prefix + slug}, cached, found by the lookup or a 404. */
  private void listing(
      Context ctx,
      String prefix,
      java.util.function.Function<String, java.util.Optional<Listing>> lookup) {
    String slug = ctx.pathParam("slug");
    int page = Pager.parse(ctx.queryParam("page"));
    if (!Slugs.isValid(slug)) {
      throw HttpError.notFound();
    }
    String basePath = prefix + slug;
    send(
        ctx,
        cache.get(
            PageCache.key(basePath, page),
            () -> {
              Listing listing = lookup.apply(slug).orElseThrow(HttpError::notFound);
              return renderListing(
                  listing.filter(),
                  listing.key(),
                  page,
                  basePath,
                  listing.kicker(),
                  listing.heading(),
                  listing.description(),
                  listing.currentSection(),
                  listing.image());
            }));
  }

  private CachedPage renderListing(
      ArticleFilter filter,
      CacheTag key,
      int page,
      String basePath,
      String kicker,
      String heading,
      String description,
      String currentSection,
      String image) {
    Pager pager = Pager.of(page, articles.countPublished(filter), PAGE_SIZE, basePath);
    List<ArticleSummary> list = articles.latest(filter, PAGE_SIZE, pager.offset(PAGE_SIZE));
    if (page == 1
        && filter.sectionId() != null
        && filter.tagId() == null
        && filter.authorId() == null) {
      list = withPicks(articles.frontPicks(filter.sectionId()), list);
    }
    Set<CacheTag> deps = new LinkedHashSet<>();
    deps.add(key);
    list.forEach(a -> deps.add(CacheTag.article(a.id())));
    String title = page == 1 ? heading : heading + ", page " + page;
    String canonical = page == 1 ? basePath : basePath + "?page=" + page;
    ListingPage model =
        new ListingPage(
            chrome.chrome(title, description, canonical, currentSection),
            kicker,
            heading,
            description,
            image,
            list,
            pager);
    return new CachedPage(templates.render("article/listing.jte", model), lastModified(list), deps);
  }

  /** The section's lead and featured stories first (published ones), then the newest. */
  private List<ArticleSummary> withPicks(Map<Integer, Long> picks, List<ArticleSummary> newest) {
    if (picks.isEmpty()) {
      return newest;
    }
    List<ArticleSummary> ordered = new ArrayList<>(articles.summaries(List.copyOf(picks.values())));
    Set<Long> shown = new HashSet<>();
    ordered.forEach(a -> shown.add(a.id()));
    for (ArticleSummary a : newest) {
      if (ordered.size() < PAGE_SIZE && shown.add(a.id())) {
        ordered.add(a);
      }
    }
    return ordered;
  }

  private static Instant lastModified(List<ArticleSummary> shown) {
    return shown.stream()
        .map(
            a ->
                a.updatedAt() != null && a.updatedAt().isAfter(a.publishedAt())
                    ? a.updatedAt()
                    : a.publishedAt())
        .filter(Objects::nonNull)
        .max(Instant::compareTo)
        .orElse(Instant.EPOCH);
  }

  private void send(Context ctx, CachedPage page) {
    http.send(ctx, page, HTML);
  }
}
