package org.broadsheet.article;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.broadsheet.site.Section;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.Markdown;
import org.broadsheet.support.Slugs;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Jdbi;

/**
 * Writing and reading articles, sections, authors and tags. Every write validates first, then
 * changes the database and records a change-feed row in one transaction, then pumps the feed so
 * caches follow at once. Thread-safe.
 */
public final class ArticleService {

  /** Section slugs that would collide with the site's own top-level paths. */
  static final Set<String> RESERVED_SLUGS =
      Set.of(
          "section",
          "tag",
          "author",
          "assets",
          "media",
          "healthz",
          "readyz",
          "search",
          "admin",
          "api",
          "feed",
          "feeds",
          "sitemap",
          "robots",
          "subscribe",
          "newsletter",
          "comments",
          "login",
          "logout",
          "setup",
          "static",
          "favicon-ico");

  static final int HEADLINE_MAX = 200;
  static final int DECK_MAX = 400;
  static final int BODY_MAX = 200_000;

  private final Jdbi jdbi;
  private final ArticleDao dao;
  private final ChangeFeed changes;
  private final Markdown markdown;
  private final Clock clock;
  private final RelatedChoices related;
  private final com.github.benmanes.caffeine.cache.Cache<String, Optional<ArticleWithMore>>
      articlePages =
          com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(5_000).build();
  private final java.util.concurrent.atomic.AtomicLong articleGeneration =
      new java.util.concurrent.atomic.AtomicLong();

  /** {@code related} gives each article its More Articles (the search feature's stored lists). */
  public ArticleService(
      Jdbi jdbi, ChangeFeed changes, Markdown markdown, Clock clock, RelatedChoices related) {
    this.jdbi = jdbi;
    this.dao = new ArticleDao(jdbi);
    this.changes = changes;
    this.markdown = markdown;
    this.clock = clock;
    this.related = related;
  }

  // ---- sections, authors

  public List<Section> sections() {
    return dao.sections();
  }

  public Optional<Section> section(String slug) {
    return dao.sectionBySlug(slug);
  }

  public Section createSection(String slug, String name, String description) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty()) {
      errors.put("name", "Give the section a name.");
    }
    String cleanSlug = slug == null || slug.isBlank() ? Slugs.slugify(cleanName) : slug.strip();
    if (!Slugs.isValid(cleanSlug)) {
      errors.put("slug", "The slug may use lowercase letters, digits and single hyphens only.");
    } else if (RESERVED_SLUGS.contains(cleanSlug)) {
      errors.put(
          "slug",
          "The slug '" + cleanSlug + "' is reserved for the site's own pages; choose another.");
    } else if (dao.sectionBySlug(cleanSlug).isPresent()) {
      errors.put("slug", "A section with the slug '" + cleanSlug + "' already exists.");
    }
    throwIfAny(errors);
    String finalSlug = cleanSlug;
    Section section =
        jdbi.inTransaction(
            h -> {
              int position =
                  h.createQuery("SELECT COALESCE(MAX(position), 0) + 1 FROM sections")
                      .mapTo(Integer.class)
                      .one();
              long id =
                  dao.insertSection(
                      h,
                      finalSlug,
                      cleanName,
                      description == null ? "" : description.strip(),
                      position);
              changes.record(h, "section", id, "created");
              return new Section(
                  id,
                  finalSlug,
                  cleanName,
                  description == null ? "" : description.strip(),
                  position);
            });
    changes.pump();
    return section;
  }

  /** Renames a section or changes its description (its slug, part of every address, stays). */
  public void updateSection(long id, String name, String description) {
    String cleanName = name == null ? "" : name.strip();
    String cleanDescription = description == null ? "" : description.strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (cleanName.isEmpty() || cleanName.length() > 80) {
      errors.put("name", "Give the section a name of up to 80 characters.");
    }
    if (cleanDescription.length() > 500) {
      errors.put("description", "Keep the description under 500 characters.");
    }
    throwIfAny(errors);
    jdbi.useTransaction(
        h -> {
          if (h.createUpdate("UPDATE sections SET name = :n, description = :d WHERE id = :id")
                  .bind("n", cleanName)
                  .bind("d", cleanDescription)
                  .bind("id", id)
                  .execute()
              == 0) {
            throw new ValidationException(Map.of("id", "There is no section " + id + "."));
          }
          changes.record(h, "section", id, "updated");
        });
    changes.pump();
  }

  /** Changes an author's public name and bio (their slug, part of their page's address, stays). */
  public void updateAuthor(long id, String name, String bio) {
    String cleanName = name == null ? "" : name.strip();
    String cleanBio = bio == null ? "" : bio.strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (cleanName.isEmpty() || cleanName.length() > 100) {
      errors.put("name", "Give the author a name of up to 100 characters.");
    }
    if (cleanBio.length() > 2000) {
      errors.put("bio", "Keep the bio under 2,000 characters.");
    }
    throwIfAny(errors);
    jdbi.useTransaction(
        h -> {
          if (h.createUpdate("UPDATE authors SET name = :n, bio = :b WHERE id = :id")
                  .bind("n", cleanName)
                  .bind("b", cleanBio)
                  .bind("id", id)
                  .execute()
              == 0) {
            throw new ValidationException(Map.of("id", "There is no author " + id + "."));
          }
          changes.record(h, "author", id, "updated");
          // Bylines on every page that shows their articles change too.
          changes.record(h, "settings", 0, "byline");
        });
    changes.pump();
  }

  /** Every tag with how many articles carry it, most used first. */
  public List<Map.Entry<Tag, Integer>> tagsWithCounts() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT t.id, t.slug, t.name, COUNT(at.article_id) AS uses FROM tags t"
                        + " LEFT JOIN article_tags at ON at.tag_id = t.id"
                        + " GROUP BY t.id, t.slug, t.name ORDER BY uses DESC, t.name")
                .map(
                    (rs, c) ->
                        Map.entry(
                            new Tag(rs.getLong("id"), rs.getString("slug"), rs.getString("name")),
                            rs.getInt("uses")))
                .list());
  }

  /** Renames a tag (its slug, part of its page's address, stays). */
  public void renameTag(long id, String name) {
    String clean = name == null ? "" : name.strip();
    if (clean.isEmpty() || clean.length() > 60 || clean.chars().anyMatch(Character::isISOControl)) {
      throw new ValidationException(Map.of("name", "Give the tag a name of up to 60 characters."));
    }
    jdbi.useTransaction(
        h -> {
          if (h.createUpdate("UPDATE tags SET name = :n WHERE id = :id")
                  .bind("n", clean)
                  .bind("id", id)
                  .execute()
              == 0) {
            throw new ValidationException(Map.of("id", "There is no tag " + id + "."));
          }
          // Tag names appear on article pages and lists: every page follows.
          changes.record(h, "settings", 0, "tag");
        });
    changes.pump();
  }

  /** Every author, by name. */
  public List<Author> authors() {
    return dao.authors();
  }

  public Optional<Author> author(String slug) {
    return dao.authorBySlug(slug);
  }

  public Author createAuthor(String slug, String name, String bio) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty()) {
      errors.put("name", "Give the author a name.");
    }
    String cleanSlug = slug == null || slug.isBlank() ? Slugs.slugify(cleanName) : slug.strip();
    if (!Slugs.isValid(cleanSlug)) {
      errors.put("slug", "The slug may use lowercase letters, digits and single hyphens only.");
    } else if (dao.authorBySlug(cleanSlug).isPresent()) {
      errors.put("slug", "An author with the slug '" + cleanSlug + "' already exists.");
    }
    throwIfAny(errors);
    Author author =
        jdbi.inTransaction(
            h -> {
              long id = dao.insertAuthor(h, cleanSlug, cleanName, bio == null ? "" : bio.strip());
              changes.record(h, "author", id, "created");
              return new Author(id, cleanSlug, cleanName, bio == null ? "" : bio.strip());
            });
    changes.pump();
    return author;
  }

  /**
   * Gives a new member a byline: an author profile with their name (a unique slug), and makes sure
   * the site has at least one section to write in. Returns the profile's id.
   */
  public long bylineFor(String name) {
    if (sections().isEmpty()) {
      createSection("news", "News", "");
    }
    String base = Slugs.slugify(name);
    if (base.isEmpty()) {
      base = "author";
    }
    String slug = base;
    for (int i = 2; author(slug).isPresent(); i++) {
      slug = base + "-" + i;
    }
    return createAuthor(slug, name, "").id();
  }

  public Optional<Tag> tag(String slug) {
    return dao.tagBySlug(slug);
  }

  // ---- articles

  public Optional<Article> bySlug(String slug) {
    return Slugs.isValid(slug) ? dao.findBySlug(slug) : Optional.empty();
  }

  /**
   * A published article and the newest others in its section, for the article page. Kept in a small
   * object cache below the page cache (a page may be rendered in several variants, and with the
   * page cache off); any change to articles, sections or authors empties it.
   */
  /** A published article as readers see it, with its story so far and More Articles. */
  public Optional<ArticleWithMore> publishedWithMore(String slug) {
    return publishedWithMore(slug, ArticlePages.MORE_ARTICLES);
  }

  Optional<ArticleWithMore> publishedWithMore(String slug, int moreLimit) {
    if (!Slugs.isValid(slug)) {
      return Optional.empty();
    }
    String key = slug + "#" + moreLimit;
    Optional<ArticleWithMore> cached = articlePages.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    long generation = articleGeneration.get();
    Optional<ArticleWithMore> loaded =
        dao.findBySlugWithMore(slug, moreLimit, related::links).filter(p -> p.article().isPublic());
    synchronized (articleGeneration) {
      // A load that overlapped a change may be stale: serve it, but do not keep it.
      if (articleGeneration.get() == generation) {
        articlePages.put(key, loaded);
      }
    }
    return loaded;
  }

  /** Change-feed listener: articles, sections, authors or comments changed. */
  public void onChange(org.broadsheet.storage.Change change) {
    switch (change.entity()) {
      case "article", "section", "author", "comment" -> {
        synchronized (articleGeneration) {
          articleGeneration.incrementAndGet();
          articlePages.invalidateAll();
        }
      }
      default -> {}
    }
  }

  public Optional<Article> byId(long id) {
    return dao.findById(id);
  }

  /** Published articles matching the filter, newest first. */
  public List<ArticleSummary> latest(ArticleFilter filter, int limit, int offset) {
    return dao.latest(filter, limit, offset);
  }

  public int countPublished(ArticleFilter filter) {
    return dao.countPublished(filter);
  }

  /** Published articles with these ids, in the given order (search results). */
  public List<ArticleSummary> summaries(List<Long> ids) {
    return dao.summaries(ids);
  }

  /** Ids of every published article (rebuilding the search index). */
  public List<Long> publishedIds() {
    return dao.publishedIds();
  }

  /** Empties the object cache of article pages (e.g. after related lists were recomputed). */
  public void forgetCachedPages() {
    synchronized (articleGeneration) {
      articleGeneration.incrementAndGet();
      articlePages.invalidateAll();
    }
  }

  public int countAll() {
    return dao.countAll();
  }

  /** Section, tag and author ids an article belongs to now, for cache invalidation. */
  public Set<String> dependencyKeys(long articleId) {
    ArticleDao.ArticleLinks links = dao.linksOf(articleId);
    Set<String> keys = new LinkedHashSet<>();
    keys.add("article:" + articleId);
    links.sectionId().ifPresent(id -> keys.add("section:" + id));
    links.tagIds().forEach(id -> keys.add("tag:" + id));
    links.authorIds().forEach(id -> keys.add("author:" + id));
    return keys;
  }

  /** Creates an article from a draft; publishing it at once if its status says so. */
  public Article create(ArticleDraft draft) {
    return create(draft, null);
  }

  /** Creates an article written by a newsroom member (null for imports and the demo). */
  public Article create(ArticleDraft draft, Long userId) {
    Instant now = clock.instant();
    long id =
        jdbi.inTransaction(
            h -> {
              Prepared p = prepare(h, draft, 0, null, now);
              long newId = dao.insertArticle(h, p.row());
              dao.replacePeopleAndTags(h, newId, p.authors(), p.tags());
              h.createUpdate("UPDATE articles SET created_by = :u WHERE id = :id")
                  .bind("u", userId)
                  .bind("id", newId)
                  .execute();
              recordRevision(h, newId, userId, p.row(), now);
              changes.record(
                  h,
                  "article",
                  newId,
                  p.row().status().equals("published") ? "published" : "created");
              return newId;
            });
    changes.pump();
    return dao.findById(id).orElseThrow();
  }

  /**
   * Replaces an article's content and status; readers see "Updated" when a published one changes.
   */
  public Article update(long id, ArticleDraft draft) {
    return update(id, draft, null);
  }

  /** Saves a new version of an article; every save is kept as a revision. */
  public Article update(long id, ArticleDraft draft, Long userId) {
    Instant now = clock.instant();
    jdbi.useTransaction(
        h -> {
          Article current =
              dao.findById(h, id)
                  .orElseThrow(
                      () ->
                          new ValidationException(Map.of("id", "There is no article " + id + ".")));
          Prepared p = prepare(h, draft, id, current, now);
          dao.updateArticle(h, id, p.row());
          dao.replacePeopleAndTags(h, id, p.authors(), p.tags());
          recordRevision(h, id, userId, p.row(), now);
          if (!p.row().status().equals("draft")) {
            h.createUpdate("UPDATE articles SET in_review = FALSE WHERE id = :id")
                .bind("id", id)
                .execute();
          }
          String kind =
              current.status() != ArticleStatus.PUBLISHED && p.row().status().equals("published")
                  ? "published"
                  : current.status() == ArticleStatus.PUBLISHED
                          && !p.row().status().equals("published")
                      ? "unpublished"
                      : "updated";
          changes.record(h, "article", id, kind);
        });
    changes.pump();
    return dao.findById(id).orElseThrow();
  }

  private static void recordRevision(
      org.jdbi.v3.core.Handle h,
      long articleId,
      Long userId,
      ArticleDao.StoredArticle row,
      Instant now) {
    h.createUpdate(
            "INSERT INTO article_revisions (article_id, user_id, headline, deck, body_markdown,"
                + " status, created_at) VALUES (:a, :u, :h, :d, :b, :s, :at)")
        .bind("a", articleId)
        .bind("u", userId)
        .bind("h", row.headline())
        .bind("d", row.deck())
        .bind("b", row.bodyMarkdown())
        .bind("s", row.status())
        .bind("at", now.toEpochMilli())
        .execute();
  }

  /** The saved versions of an article, newest first. */
  public List<Revision> revisions(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT r.*, u.name AS user_name FROM article_revisions r"
                        + " LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = :a"
                        + " ORDER BY r.id DESC")
                .bind("a", articleId)
                .map((rs, c) -> revision(rs, c))
                .list());
  }

  public Optional<Revision> revision(long articleId, long revisionId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT r.*, u.name AS user_name FROM article_revisions r"
                        + " LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = :a AND r.id = :r")
                .bind("a", articleId)
                .bind("r", revisionId)
                .map((rs, c) -> revision(rs, c))
                .findOne());
  }

  private static Revision revision(
      java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext c)
      throws java.sql.SQLException {
    String user = rs.getString("user_name");
    return new Revision(
        rs.getLong("id"),
        rs.getLong("article_id"),
        user == null ? "" : user,
        rs.getString("headline"),
        rs.getString("deck"),
        rs.getString("body_markdown"),
        ArticleStatus.fromDb(rs.getString("status")),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  /**
   * Autosave: keeps a draft's headline, deck and body as typed, without a revision or any status
   * change. Only drafts autosave (a published article changes only when someone saves it). Returns
   * false when the article is not a draft.
   */
  public boolean autosaveDraft(long articleId, String headline, String deck, String body) {
    String h1 = headline == null ? "" : headline.strip();
    String d = deck == null ? "" : deck.strip();
    String b = body == null ? "" : body;
    if (h1.isEmpty()
        || h1.length() > HEADLINE_MAX
        || d.length() > DECK_MAX
        || b.length() > BODY_MAX) {
      throw new ValidationException(
          Map.of("body", "Not autosaved: the headline is empty or a field is too long."));
    }
    int changed =
        jdbi.inTransaction(
            h ->
                h.createUpdate(
                        "UPDATE articles SET headline = :h, deck = :d, body_markdown = :b,"
                            + " body_html = :html, modified_at = :now WHERE id = :id AND status = 'draft'")
                    .bind("h", h1)
                    .bind("d", d)
                    .bind("b", b)
                    .bind("html", markdown.toSafeHtml(b))
                    .bind("now", clock.millis())
                    .bind("id", articleId)
                    .execute());
    return changed == 1;
  }

  /**
   * The newsroom's article list (all statuses). With an owner, only articles that member created or
   * writes under their byline.
   */
  public List<ArticleRow> newsroomRows(
      Long ownerUserId,
      Long ownerAuthorId,
      String status,
      String section,
      String author,
      String text,
      int limit) {
    return dao.newsroomRows(
        ownerUserId,
        ownerAuthorId,
        status,
        section,
        author,
        text,
        limit,
        ArticleService::statusLabel);
  }

  /** How an editorial status reads in the newsroom. */
  public static String statusLabel(String status) {
    return status.equals("in_review")
        ? "In review"
        : status.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + status.substring(1);
  }

  /** The article's excerpt, search-engine title and description. */
  public Presentation presentation(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT excerpt, seo_title, seo_description FROM articles WHERE id = :id")
                .bind("id", articleId)
                .map((rs, c) -> new Presentation(rs.getString(1), rs.getString(2), rs.getString(3)))
                .findOne()
                .orElse(Presentation.NONE));
  }

  /** Sets the excerpt, search-engine title and description (validated; empty means default). */
  public void setPresentation(long articleId, Presentation p) {
    String excerpt = p.excerpt() == null ? "" : p.excerpt().strip();
    String title = p.seoTitle() == null ? "" : p.seoTitle().strip();
    String description = p.seoDescription() == null ? "" : p.seoDescription().strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (excerpt.length() > 600) {
      errors.put("excerpt", "Keep the excerpt under 600 characters.");
    }
    if (title.length() > 70 || title.chars().anyMatch(Character::isISOControl)) {
      errors.put("seoTitle", "Keep the search title to one line of up to 70 characters.");
    }
    if (description.length() > 160 || description.chars().anyMatch(Character::isISOControl)) {
      errors.put(
          "seoDescription", "Keep the search description to one line of up to 160 characters.");
    }
    throwIfAny(errors);
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "UPDATE articles SET excerpt = :e, seo_title = :t, seo_description = :d WHERE id = :id")
              .bind("e", excerpt)
              .bind("t", title)
              .bind("d", description)
              .bind("id", articleId)
              .execute();
          changes.record(h, "article", articleId, "updated");
        });
    changes.pump();
  }

  /** An author's photo (an address from the media library, or empty for none). */
  public String authorPhoto(long authorId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT photo_url FROM authors WHERE id = :id")
                .bind("id", authorId)
                .mapTo(String.class)
                .findOne()
                .orElse(""));
  }

  public void setAuthorPhoto(long authorId, String url) {
    String clean = url == null ? "" : url.strip();
    if (!clean.isEmpty() && !clean.matches("/media/[0-9a-f]+(-[0-9]+w)?\\.(jpg|png)")) {
      throw new ValidationException(
          Map.of("photo", "Use an image address from the media library, such as /media/…jpg."));
    }
    jdbi.useTransaction(
        h -> {
          h.createUpdate("UPDATE authors SET photo_url = :u WHERE id = :id")
              .bind("u", clean)
              .bind("id", authorId)
              .execute();
          changes.record(h, "author", authorId, "updated");
        });
    changes.pump();
  }

  /** Who created the article in the newsroom (null for imports and the demo). */
  public Optional<Long> createdBy(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT created_by FROM articles WHERE id = :id")
                .bind("id", articleId)
                .mapTo(Long.class)
                .findOne());
  }

  /** Marks a draft as waiting for an editor's review (or not). */
  public void setInReview(long articleId, boolean inReview) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("UPDATE articles SET in_review = :r WHERE id = :id AND status = 'draft'")
              .bind("r", inReview)
              .bind("id", articleId)
              .execute();
          changes.record(h, "article", articleId, "review");
        });
    changes.pump();
  }

  public boolean inReview(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT in_review FROM articles WHERE id = :id")
                .bind("id", articleId)
                .mapTo(Boolean.class)
                .findOne()
                .orElse(false));
  }

  /**
   * Publishes every scheduled article whose time has come, each exactly once even with several
   * nodes running this at the same moment: the status changes only if it is still scheduled, in the
   * same transaction as its change-feed entry. Returns the ids this call published.
   */
  public List<Long> publishDue() {
    long now = clock.millis();
    List<Long> due =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= :now"
                            + " ORDER BY published_at, id")
                    .bind("now", now)
                    .mapTo(Long.class)
                    .list());
    List<Long> published = new ArrayList<>();
    for (Long id : due) {
      boolean won =
          jdbi.inTransaction(
              h -> {
                int changed =
                    h.createUpdate(
                            "UPDATE articles SET status = 'published', modified_at = :now"
                                + " WHERE id = :id AND status = 'scheduled'")
                        .bind("now", now)
                        .bind("id", id)
                        .execute();
                if (changed == 1) {
                  changes.record(h, "article", id, "published");
                }
                return changed == 1;
              });
      if (won) {
        published.add(id);
      }
    }
    if (!published.isEmpty()) {
      changes.pump();
    }
    return published;
  }

  /**
   * Erases an article for good, with its comments, corrections and related lists; search, More
   * Articles and every cached page that showed it follow through the change feed.
   */
  public void erase(long id) {
    jdbi.useTransaction(
        h -> {
          if (h.createUpdate("DELETE FROM articles WHERE id = :id").bind("id", id).execute() == 0) {
            throw new ValidationException(Map.of("id", "There is no article " + id + "."));
          }
          changes.record(h, "article", id, "erased");
        });
    changes.pump();
  }

  /** Appends a timestamped correction or update note and marks the article updated. */
  public Correction addCorrection(long articleId, Correction.Kind kind, String note) {
    return addCorrectionAt(articleId, kind, note, clock.instant());
  }

  /** As {@link #addCorrection}, dated at the given time (imports and demo content). */
  public Correction addCorrectionAt(
      long articleId, Correction.Kind kind, String note, Instant now) {
    String clean = note == null ? "" : note.strip();
    if (clean.isEmpty() || clean.length() > 2000) {
      throw new ValidationException(Map.of("note", "Write the correction (1 to 2000 characters)."));
    }
    long id =
        jdbi.inTransaction(
            h -> {
              dao.findById(h, articleId)
                  .orElseThrow(
                      () ->
                          new ValidationException(
                              Map.of("id", "There is no article " + articleId + ".")));
              long correctionId = dao.insertCorrection(h, articleId, kind, clean, now);
              dao.touch(h, articleId, now);
              changes.record(h, "article", articleId, "corrected");
              return correctionId;
            });
    changes.pump();
    return new Correction(id, kind, clean, now);
  }

  /** Sets the time readers see as "Updated" (imports and demo content). */
  public void markUpdated(long articleId, Instant updatedAt) {
    jdbi.useTransaction(
        h -> {
          dao.touch(h, articleId, updatedAt);
          changes.record(h, "article", articleId, "updated");
        });
    changes.pump();
  }

  private record Prepared(ArticleDao.StoredArticle row, List<Author> authors, List<Tag> tags) {}

  private Prepared prepare(
      org.jdbi.v3.core.Handle h, ArticleDraft d, long id, Article current, Instant now) {
    Map<String, String> errors = new LinkedHashMap<>();
    String headline = d.headline() == null ? "" : d.headline().strip();
    if (headline.isEmpty()) {
      errors.put("headline", "Write a headline.");
    } else if (headline.length() > HEADLINE_MAX) {
      errors.put(
          "headline",
          "Keep the headline under "
              + HEADLINE_MAX
              + " characters (it has "
              + headline.length()
              + ").");
    }
    String deck = d.deck() == null ? "" : d.deck().strip();
    if (deck.length() > DECK_MAX) {
      errors.put(
          "deck",
          "Keep the deck under " + DECK_MAX + " characters (it has " + deck.length() + ").");
    }
    String body = d.bodyMarkdown() == null ? "" : d.bodyMarkdown();
    if (body.length() > BODY_MAX) {
      errors.put("body", "The body is too long: at most " + BODY_MAX + " characters.");
    }
    String slug =
        d.slug() == null || d.slug().isBlank() ? Slugs.slugify(headline) : d.slug().strip();
    if (!Slugs.isValid(slug)) {
      errors.put(
          "slug",
          "The slug may use lowercase letters, digits and single hyphens, up to "
              + Slugs.MAX_LENGTH
              + " characters.");
    } else if (dao.slugTaken(h, slug, id)) {
      errors.put("slug", "Another article already uses the slug '" + slug + "'; choose another.");
    }
    Optional<Section> section =
        d.sectionSlug() == null ? Optional.empty() : dao.sectionBySlug(d.sectionSlug());
    if (section.isEmpty()) {
      errors.put("section", "Choose one of the site's sections.");
    }
    List<String> authorSlugs = d.authorSlugs() == null ? List.of() : d.authorSlugs();
    List<Author> found = dao.authorsBySlugs(h, new LinkedHashSet<>(authorSlugs));
    List<Author> authors = new ArrayList<>();
    for (String slugOfAuthor : new LinkedHashSet<>(authorSlugs)) {
      found.stream()
          .filter(a -> a.slug().equals(slugOfAuthor))
          .findFirst()
          .ifPresentOrElse(
              authors::add,
              () -> errors.put("authors", "There is no author '" + slugOfAuthor + "'."));
    }
    if (authors.isEmpty() && !errors.containsKey("authors")) {
      errors.put("authors", "Name at least one author.");
    }
    ArticleStatus status = d.status() == null ? ArticleStatus.DRAFT : d.status();
    if (status == ArticleStatus.SCHEDULED
        && (d.publishedAt() == null || !d.publishedAt().isAfter(now))) {
      errors.put("publishedAt", "A scheduled article needs a publication time in the future.");
    }
    Image image = d.image();
    if (image != null && (image.url() == null || image.url().isBlank())) {
      image = null;
    }
    if (image != null && (image.alt() == null || image.alt().isBlank())) {
      errors.put(
          "imageAlt",
          "Describe the featured image in its alt text, for readers who cannot see it.");
    }
    throwIfAny(errors);
    List<Tag> tags = new ArrayList<>();
    for (String name : d.tagNames() == null ? List.<String>of() : d.tagNames()) {
      String tagSlug = Slugs.slugify(name);
      if (!tagSlug.isEmpty() && tags.stream().noneMatch(t -> t.slug().equals(tagSlug))) {
        tags.add(dao.tagFor(h, tagSlug, name.strip()));
      }
    }
    Instant publishedAt = d.publishedAt();
    if (status == ArticleStatus.PUBLISHED && publishedAt == null) {
      publishedAt = current != null && current.publishedAt() != null ? current.publishedAt() : now;
    }
    Instant updatedAt =
        current != null && current.isPublic() && status == ArticleStatus.PUBLISHED
            ? now
            : current != null ? current.updatedAt() : null;
    ArticleDao.StoredArticle row =
        new ArticleDao.StoredArticle(
            slug,
            section.orElseThrow().id(),
            headline,
            deck,
            body,
            markdown.toSafeHtml(body),
            status.dbValue(),
            publishedAt,
            updatedAt,
            current == null ? now : current.createdAt(),
            now,
            image == null ? null : image.url().strip(),
            image == null ? null : image.alt().strip(),
            image == null || image.credit() == null ? null : image.credit().strip());
    return new Prepared(row, authors, tags);
  }

  private static void throwIfAny(Map<String, String> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
