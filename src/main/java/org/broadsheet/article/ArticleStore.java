package org.broadsheet.article;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.site.Section;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL for articles, sections, authors, tags and corrections. Portable between SQLite and
 * PostgreSQL. Reads open their own handle; writes take the caller's handle so a service can group
 * them in one transaction with the change feed. Thread-safe.
 */
final class ArticleStore {

  private static final String SUMMARY_COLUMNS =
      "a.id, a.slug, a.headline, a.deck, a.published_at, a.updated_at, a.image_url, a.image_alt, a.image_credit, "
          + "(SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'approved') AS comment_count, "
          + "s.id AS s_id, s.slug AS s_slug, s.name AS s_name, s.description AS s_description, s.position AS s_position";

  // Records mapped by their constructors: the columns are named as the components.
  private static final RowMapper<Section> SECTION = ConstructorMapper.of(Section.class);
  private static final RowMapper<Author> AUTHOR = ConstructorMapper.of(Author.class);
  private static final RowMapper<Tag> TAG = ConstructorMapper.of(Tag.class);

  private final Jdbi jdbi;

  ArticleStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  // ---- sections, authors, tags

  List<Section> sections() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT * FROM sections ORDER BY position, name").map(SECTION).list());
  }

  List<Section> sections(Handle h) {
    return h.createQuery("SELECT * FROM sections ORDER BY position, name").map(SECTION).list();
  }

  Optional<Section> sectionBySlug(Handle h, String slug) {
    return h.createQuery("SELECT * FROM sections WHERE slug = :slug")
        .bind("slug", slug)
        .map(SECTION)
        .findOne();
  }

  Optional<Author> authorBySlug(Handle h, String slug) {
    return h.createQuery("SELECT * FROM authors WHERE slug = :slug")
        .bind("slug", slug)
        .map(AUTHOR)
        .findOne();
  }

  Optional<Section> sectionBySlug(String slug) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM sections WHERE slug = :slug")
                .bind("slug", slug)
                .map(SECTION)
                .findOne());
  }

  long insertSection(Handle h, String slug, String name, String description, int position) {
    return h.createUpdate(
            "INSERT INTO sections (slug, name, description, position) VALUES (:slug, :name, :description, :position)")
        .bind("slug", slug)
        .bind("name", name)
        .bind("description", description)
        .bind("position", position)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  List<Author> authors() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT * FROM authors ORDER BY name, id").map(AUTHOR).list());
  }

  Optional<Author> authorBySlug(String slug) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM authors WHERE slug = :slug")
                .bind("slug", slug)
                .map(AUTHOR)
                .findOne());
  }

  List<Author> authorsBySlugs(Handle h, Collection<String> slugs) {
    if (slugs.isEmpty()) {
      return List.of();
    }
    return h.createQuery("SELECT * FROM authors WHERE slug IN (<slugs>)")
        .bindList("slugs", List.copyOf(slugs))
        .map(AUTHOR)
        .list();
  }

  long insertAuthor(Handle h, String slug, String name, String bio) {
    return h.createUpdate("INSERT INTO authors (slug, name, bio) VALUES (:slug, :name, :bio)")
        .bind("slug", slug)
        .bind("name", name)
        .bind("bio", bio)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  Optional<Tag> tagBySlug(String slug) {
    return jdbi.withHandle(h -> tagBySlug(h, slug));
  }

  private Optional<Tag> tagBySlug(Handle h, String slug) {
    return h.createQuery("SELECT * FROM tags WHERE slug = :slug")
        .bind("slug", slug)
        .map(TAG)
        .findOne();
  }

  Tag tagFor(Handle h, String slug, String name) {
    return tagBySlug(h, slug)
        .orElseGet(
            () -> {
              long id =
                  h.createUpdate("INSERT INTO tags (slug, name) VALUES (:slug, :name)")
                      .bind("slug", slug)
                      .bind("name", name)
                      .executeAndReturnGeneratedKeys("id")
                      .mapTo(Long.class)
                      .one();
              return new Tag(id, slug, name);
            });
  }

  // ---- articles

  boolean slugTaken(Handle h, String slug, long exceptId) {
    return h.createQuery("SELECT COUNT(*) FROM articles WHERE slug = :slug AND id <> :id")
            .bind("slug", slug)
            .bind("id", exceptId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  long insertArticle(Handle h, StoredArticle a) {
    return h.createUpdate(
            "INSERT INTO articles (slug, section_id, headline, deck, body_markdown, body_html, status, published_at, updated_at, "
                + "created_at, modified_at, image_url, image_alt, image_credit) VALUES (:slug, :sectionId, :headline, :deck, "
                + ":bodyMarkdown, :bodyHtml, :status, :publishedAt, :updatedAt, :createdAt, :modifiedAt, :imageUrl, :imageAlt, :imageCredit)")
        .bindMap(a.asMap())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  void updateArticle(Handle h, long id, StoredArticle a) {
    h.createUpdate(
            "UPDATE articles SET slug = :slug, section_id = :sectionId, headline = :headline, deck = :deck, body_markdown = :bodyMarkdown, "
                + "body_html = :bodyHtml, status = :status, published_at = :publishedAt, updated_at = :updatedAt, modified_at = :modifiedAt, "
                + "image_url = :imageUrl, image_alt = :imageAlt, image_credit = :imageCredit WHERE id = :id")
        .bindMap(a.asMap())
        .bind("id", id)
        .execute();
  }

  void replacePeopleAndTags(Handle h, long articleId, List<Author> authors, List<Tag> tags) {
    h.createUpdate("DELETE FROM article_authors WHERE article_id = :id")
        .bind("id", articleId)
        .execute();
    h.createUpdate("DELETE FROM article_tags WHERE article_id = :id")
        .bind("id", articleId)
        .execute();
    int position = 0;
    for (Author author : authors) {
      h.createUpdate(
              "INSERT INTO article_authors (article_id, author_id, position) VALUES (:a, :p, :pos)")
          .bind("a", articleId)
          .bind("p", author.id())
          .bind("pos", position++)
          .execute();
    }
    for (Tag tag : tags) {
      h.createUpdate("INSERT INTO article_tags (article_id, tag_id) VALUES (:a, :t)")
          .bind("a", articleId)
          .bind("t", tag.id())
          .execute();
    }
  }

  long insertCorrection(Handle h, long articleId, Correction.Kind kind, String note, Instant at) {
    return h.createUpdate(
            "INSERT INTO corrections (article_id, kind, note, created_at) VALUES (:a, :kind, :note, :at)")
        .bind("a", articleId)
        .bind("kind", kind.dbValue())
        .bind("note", note)
        .bind("at", at)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  void touch(Handle h, long articleId, Instant updatedAt) {
    h.createUpdate("UPDATE articles SET updated_at = :at, modified_at = :at WHERE id = :id")
        .bind("at", updatedAt)
        .bind("id", articleId)
        .execute();
  }

  Optional<Article> findBySlug(String slug) {
    return jdbi.withHandle(h -> findWhere(h, "a.slug = :key", slug));
  }

  /** An article and the newest others of its section, read on one connection (the article page). */
  Optional<ArticleWithMore> findBySlugWithMore(
      String slug, int moreLimit, java.util.function.Function<Long, RelatedLinks> relatedOf) {
    return jdbi.withHandle(
        h ->
            findWhere(h, "a.slug = :key", slug)
                .map(
                    article ->
                        article.isPublic()
                            ? withMore(h, article, moreLimit, relatedOf.apply(article.id()))
                            : new ArticleWithMore(article, List.of(), List.of())));
  }

  /**
   * The story so far (the same-story articles and this one, oldest first) and More Articles: the
   * editor's pins, then the ranked candidates, then the newest in the section and on the site;
   * never this article, an excluded one, one already in the story list or one the body links to.
   */
  private ArticleWithMore withMore(Handle h, Article article, int moreLimit, RelatedLinks links) {
    java.util.Set<Long> pinned = new java.util.HashSet<>(links.pinned());
    List<Long> storyIds = new ArrayList<>();
    links.story().stream()
        .filter(id -> !pinned.contains(id) && !links.excluded().contains(id))
        .forEach(storyIds::add);
    List<ArticleSummary> story = new ArrayList<>();
    if (!storyIds.isEmpty()) {
      storyIds.add(article.id());
      story.addAll(byIds(h, storyIds));
      story.sort(java.util.Comparator.comparing(ArticleSummary::publishedAt));
      if (story.size() < 2) {
        story.clear();
      }
    }
    java.util.Set<Long> shown = new java.util.HashSet<>(links.excluded());
    shown.add(article.id());
    story.forEach(s -> shown.add(s.id()));
    java.util.Set<String> linked = linkedSlugs(article.bodyHtml());
    List<ArticleSummary> more = new ArrayList<>();
    List<Long> candidates = new ArrayList<>(links.pinned());
    candidates.addAll(links.ranked());
    for (ArticleSummary candidate : byIds(h, candidates.stream().distinct().toList())) {
      if (more.size() < moreLimit
          && !shown.contains(candidate.id())
          && !linked.contains(candidate.slug())) {
        more.add(candidate);
        shown.add(candidate.id());
      }
    }
    for (ArticleFilter fill :
        List.of(ArticleFilter.section(article.section().id()), ArticleFilter.ALL)) {
      if (more.size() < moreLimit) {
        for (ArticleSummary latest : latest(h, fill, moreLimit + shown.size() + linked.size(), 0)) {
          if (more.size() < moreLimit
              && !shown.contains(latest.id())
              && !linked.contains(latest.slug())) {
            more.add(latest);
            shown.add(latest.id());
          }
        }
      }
    }
    return new ArticleWithMore(article, List.copyOf(story), List.copyOf(more));
  }

  /** The last path segment of every link in the body: the slugs of articles it links to. */
  static java.util.Set<String> linkedSlugs(String bodyHtml) {
    java.util.Set<String> slugs = new java.util.HashSet<>();
    for (org.jsoup.nodes.Element link : org.jsoup.Jsoup.parse(bodyHtml).select("a[href]")) {
      try {
        String path = java.net.URI.create(link.attr("href").strip()).getPath();
        if (path != null) {
          String[] parts = path.split("/");
          for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty()) {
              slugs.add(parts[i]);
              break;
            }
          }
        }
      } catch (IllegalArgumentException malformed) {
        // Not a link to one of our articles.
      }
    }
    return slugs;
  }

  /** Published articles with these ids, in the given order. */
  private List<ArticleSummary> byIds(Handle h, List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Query query =
        h.createQuery(
                "SELECT "
                    + SUMMARY_COLUMNS
                    + " FROM articles a JOIN sections s ON s.id = a.section_id"
                    // COALESCE keeps SQLite on the primary key: with the status index it
                    // would scan every published article to find a handful.
                    + " WHERE a.id IN (<ids>) AND COALESCE(a.status, '') = 'published'")
            .bindList("ids", ids);
    List<ArticleSummary> found = summaries(h, query);
    java.util.Map<Long, ArticleSummary> byId = new java.util.HashMap<>();
    found.forEach(a -> byId.put(a.id(), a));
    return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
  }

  /** A front's picks by slot (0: the lead); slots nobody filled are missing. */
  java.util.Map<Integer, Long> frontPicks(String front) {
    java.util.Map<Integer, Long> picks = new java.util.TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT slot, article_id FROM front_picks WHERE front = :f")
                .bind("f", front)
                .map((rs, ctx) -> java.util.Map.entry(rs.getInt("slot"), rs.getLong("article_id")))
                .forEach(e -> picks.put(e.getKey(), e.getValue())));
    return picks;
  }

  void replaceFrontPicks(Handle h, String front, java.util.Map<Integer, Long> picks) {
    h.createUpdate("DELETE FROM front_picks WHERE front = :f").bind("f", front).execute();
    for (var pick : picks.entrySet()) {
      h.createUpdate("INSERT INTO front_picks (front, slot, article_id) VALUES (:f, :slot, :a)")
          .bind("f", front)
          .bind("slot", pick.getKey())
          .bind("a", pick.getValue())
          .execute();
    }
  }

  void setSectionPosition(Handle h, long sectionId, int position) {
    h.createUpdate("UPDATE sections SET position = :p WHERE id = :id")
        .bind("p", position)
        .bind("id", sectionId)
        .execute();
  }

  /**
   * Published and scheduled stories, newest first, for a front's choices (optionally one
   * section's).
   */
  List<FrontCandidate> frontCandidates(Long sectionId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT a.id, a.headline, a.status, a.published_at FROM articles a"
                        + " WHERE a.status IN ('published', 'scheduled')"
                        + " AND (:s IS NULL OR a.section_id = :s)"
                        + " ORDER BY COALESCE(a.published_at, 0) DESC, a.id DESC LIMIT :n")
                .bind("s", sectionId)
                .bind("n", limit)
                .map(
                    (rs, ctx) -> {
                      long at = rs.getLong("published_at");
                      return new FrontCandidate(
                          rs.getLong("id"),
                          rs.getString("headline"),
                          "scheduled".equals(rs.getString("status")),
                          rs.wasNull() ? null : java.time.Instant.ofEpochMilli(at));
                    })
                .list());
  }

  List<ArticleSummary> summaries(List<Long> ids) {
    return jdbi.withHandle(h -> byIds(h, ids));
  }

  List<Long> publishedIds() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id FROM articles WHERE status = 'published' ORDER BY id")
                .mapTo(Long.class)
                .list());
  }

  /** An article with the "More Articles" shown under it. */
  Optional<Article> findById(long id) {
    return jdbi.withHandle(h -> findWhere(h, "a.id = :key", id));
  }

  Optional<Article> findById(Handle h, long id) {
    return findWhere(h, "a.id = :key", id);
  }

  private Optional<Article> findWhere(Handle h, String condition, Object key) {
    Optional<Article> bare =
        h.createQuery(
                "SELECT "
                    + SUMMARY_COLUMNS
                    + ", a.body_markdown, a.body_html, a.status, a.created_at, a.modified_at "
                    + "FROM articles a JOIN sections s ON s.id = a.section_id WHERE "
                    + condition)
            .bind("key", key)
            .map(
                (rs, ctx) ->
                    new Article(
                        rs.getLong("id"),
                        rs.getString("slug"),
                        section(rs),
                        rs.getString("headline"),
                        rs.getString("deck"),
                        rs.getString("body_markdown"),
                        rs.getString("body_html"),
                        ArticleStatus.fromDb(rs.getString("status")),
                        instant(rs, "published_at"),
                        instant(rs, "updated_at"),
                        instant(rs, "created_at"),
                        instant(rs, "modified_at"),
                        image(rs),
                        List.of(),
                        List.of(),
                        List.of()))
            .findOne();
    return bare.map(
        a ->
            new Article(
                a.id(),
                a.slug(),
                a.section(),
                a.headline(),
                a.deck(),
                a.bodyMarkdown(),
                a.bodyHtml(),
                a.status(),
                a.publishedAt(),
                a.updatedAt(),
                a.createdAt(),
                a.modifiedAt(),
                a.image(),
                authorsOf(h, List.of(a.id())).getOrDefault(a.id(), List.of()),
                tagsOf(h, a.id()),
                correctionsOf(h, a.id())));
  }

  private List<Tag> tagsOf(Handle h, long articleId) {
    return h.createQuery(
            "SELECT t.* FROM tags t JOIN article_tags at ON at.tag_id = t.id WHERE at.article_id = :id ORDER BY t.name")
        .bind("id", articleId)
        .map(TAG)
        .list();
  }

  private List<Correction> correctionsOf(Handle h, long articleId) {
    return h.createQuery("SELECT * FROM corrections WHERE article_id = :id ORDER BY created_at, id")
        .bind("id", articleId)
        .map(
            (rs, ctx) ->
                new Correction(
                    rs.getLong("id"),
                    Correction.Kind.fromDb(rs.getString("kind")),
                    rs.getString("note"),
                    instant(rs, "created_at")))
        .list();
  }

  /**
   * The newsroom's list: every status, optionally only what one member may see (created by them or
   * under their byline), filtered by editorial status, section slug, author slug and headline text.
   */
  List<ArticleRow> newsroomRows(
      Long ownerUserId,
      Long ownerAuthorId,
      EditorialStatus status,
      String section,
      String author,
      String text,
      int limit) {
    return newsroomRows(
        ownerUserId, ownerAuthorId, status, section, author, text, "changed", limit, 0);
  }

  /**
   * The newsroom's list, sorted by {@code sort}: "changed" (last change first, the date shown is
   * that change), "published" (publication time, newest first; unpublished stories last) or
   * "headline" (A to Z).
   */
  List<ArticleRow> newsroomRows(
      Long ownerUserId,
      Long ownerAuthorId,
      EditorialStatus status,
      String section,
      String author,
      String text,
      String sort,
      int limit,
      int offset) {
    String at = sort.equals("published") ? "a.published_at" : "a.modified_at";
    StringBuilder sql =
        new StringBuilder(
            "SELECT a.id, a.headline, a.status, a.in_review, s.name AS section_name,"
                + " "
                + at
                + " AS at FROM articles a JOIN sections s ON s.id = a.section_id WHERE 1 = 1");
    if (ownerUserId != null) {
      sql.append(
          " AND (a.created_by = :me OR EXISTS (SELECT 1 FROM article_authors aa"
              + " WHERE aa.article_id = a.id AND aa.author_id = :myAuthor))");
    }
    if (status != null) {
      sql.append(
          switch (status) {
            case IN_REVIEW -> " AND a.status = 'draft' AND a.in_review = TRUE";
            case DRAFT -> " AND a.status = 'draft' AND a.in_review = FALSE";
            default -> " AND a.status = :status";
          });
    }
    if (!section.isEmpty()) {
      sql.append(" AND s.slug = :section");
    }
    if (!author.isEmpty()) {
      sql.append(
          " AND EXISTS (SELECT 1 FROM article_authors aa JOIN authors au ON au.id = aa.author_id"
              + " WHERE aa.article_id = a.id AND au.slug = :author)");
    }
    if (!text.isEmpty()) {
      sql.append(" AND LOWER(a.headline) LIKE :q");
    }
    sql.append(
        switch (sort) {
          case "published" ->
              " ORDER BY CASE WHEN a.published_at IS NULL THEN 1 ELSE 0 END, a.published_at DESC,"
                  + " a.id DESC";
          case "headline" -> " ORDER BY LOWER(a.headline), a.id";
          default -> " ORDER BY a.modified_at DESC, a.id DESC";
        });
    sql.append(" LIMIT :limit OFFSET :offset");
    return jdbi.withHandle(
        handle -> {
          record Bare(
              long id, String headline, EditorialStatus status, String section, Instant when) {}
          List<Bare> bare =
              handle
                  .createQuery(sql.toString())
                  .bind("me", ownerUserId)
                  .bind("myAuthor", ownerAuthorId == null ? -1L : ownerAuthorId)
                  .bind("status", status == null ? "" : status.id())
                  .bind("section", section)
                  .bind("author", author)
                  .bind(
                      "q",
                      "%"
                          + text.toLowerCase(java.util.Locale.ROOT)
                              .replace("%", "")
                              .replace("_", "")
                          + "%")
                  .bind("limit", limit)
                  .bind("offset", offset)
                  .map(
                      (rs, c) -> {
                        long when = rs.getLong("at");
                        boolean none = rs.wasNull();
                        return new Bare(
                            rs.getLong("id"),
                            rs.getString("headline"),
                            EditorialStatus.of(
                                ArticleStatus.fromDb(rs.getString("status")),
                                rs.getBoolean("in_review")),
                            rs.getString("section_name"),
                            none ? null : Instant.ofEpochMilli(when));
                      })
                  .list();
          Map<Long, List<Author>> bylines = authorsOf(handle, bare.stream().map(Bare::id).toList());
          return bare.stream()
              .map(
                  b ->
                      new ArticleRow(
                          b.id(),
                          b.headline(),
                          b.status(),
                          b.section(),
                          String.join(
                              ", ",
                              bylines.getOrDefault(b.id(), List.of()).stream()
                                  .map(Author::name)
                                  .toList()),
                          b.when()))
              .toList();
        });
  }

  private Map<Long, List<Author>> authorsOf(Handle h, List<Long> articleIds) {
    Map<Long, List<Author>> byArticle = new LinkedHashMap<>();
    if (articleIds.isEmpty()) {
      return byArticle;
    }
    h.createQuery(
            "SELECT aa.article_id, au.* FROM article_authors aa JOIN authors au ON au.id = aa.author_id "
                + "WHERE aa.article_id IN (<ids>) ORDER BY aa.article_id, aa.position")
        .bindList("ids", articleIds)
        .map((rs, ctx) -> Map.entry(rs.getLong("article_id"), AUTHOR.map(rs, ctx)))
        .forEach(
            e -> byArticle.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return byArticle;
  }

  /** Published articles matching the filter, newest first. */
  List<ArticleSummary> latest(ArticleFilter filter, int limit, int offset) {
    return jdbi.withHandle(h -> latest(h, filter, limit, offset));
  }

  private List<ArticleSummary> latest(Handle h, ArticleFilter filter, int limit, int offset) {
    Query query =
        h.createQuery(
                "SELECT "
                    + SUMMARY_COLUMNS
                    + " FROM articles a JOIN sections s ON s.id = a.section_id WHERE "
                    + where(filter)
                    + " ORDER BY a.published_at DESC, a.id DESC LIMIT :limit OFFSET :offset")
            .bind("limit", limit)
            .bind("offset", offset);
    bindFilter(query, filter);
    return summaries(h, query);
  }

  /** A keyset page of published articles, newest first (see {@link ArticleQuery}). */
  List<ArticleSummary> page(ArticleQuery q) {
    return jdbi.withHandle(
        h -> {
          StringBuilder sql =
              new StringBuilder(
                  "SELECT "
                      + SUMMARY_COLUMNS
                      + " FROM articles a JOIN sections s ON s.id = a.section_id WHERE "
                      + where(q.filter()));
          if (q.from() != null) {
            sql.append(" AND a.published_at >= :from");
          }
          if (q.until() != null) {
            sql.append(" AND a.published_at < :until");
          }
          if (q.updatedSince() != null) {
            sql.append(" AND COALESCE(a.updated_at, a.published_at) >= :updatedSince");
          }
          if (q.afterPublishedAt() != null) {
            sql.append(
                " AND (a.published_at < :afterAt OR (a.published_at = :afterAt AND a.id < :afterId))");
          }
          sql.append(" ORDER BY a.published_at DESC, a.id DESC LIMIT :limit");
          Query query = h.createQuery(sql.toString()).bind("limit", q.limit());
          bindFilter(query, q.filter());
          if (q.from() != null) {
            query.bind("from", q.from());
          }
          if (q.until() != null) {
            query.bind("until", q.until());
          }
          if (q.updatedSince() != null) {
            query.bind("updatedSince", q.updatedSince());
          }
          if (q.afterPublishedAt() != null) {
            query.bind("afterAt", q.afterPublishedAt()).bind("afterId", q.afterId());
          }
          return summaries(h, query);
        });
  }

  /** The article a source system knows by this id. */
  Optional<Long> byExternalId(Handle h, String externalId) {
    return h.createQuery("SELECT article_id FROM article_external_ids WHERE external_id = :e")
        .bind("e", externalId)
        .mapTo(Long.class)
        .findOne();
  }

  Optional<String> externalIdOf(Handle h, long articleId) {
    return h.createQuery("SELECT external_id FROM article_external_ids WHERE article_id = :id")
        .bind("id", articleId)
        .mapTo(String.class)
        .findFirst();
  }

  void setExternalId(Handle h, String externalId, long articleId) {
    h.createUpdate(
            "INSERT INTO article_external_ids (external_id, article_id) VALUES (:e, :id)"
                + " ON CONFLICT (external_id) DO NOTHING")
        .bind("e", externalId)
        .bind("id", articleId)
        .execute();
  }

  /** Runs a query selecting {@link #SUMMARY_COLUMNS} and attaches each article's authors. */
  private List<ArticleSummary> summaries(Handle h, Query query) {
    List<ArticleSummary> bare =
        query
            .map(
                (rs, ctx) ->
                    new ArticleSummary(
                        rs.getLong("id"),
                        rs.getString("slug"),
                        section(rs),
                        rs.getString("headline"),
                        rs.getString("deck"),
                        instant(rs, "published_at"),
                        instant(rs, "updated_at"),
                        image(rs),
                        List.of(),
                        rs.getInt("comment_count")))
            .list();
    Map<Long, List<Author>> authors = authorsOf(h, bare.stream().map(ArticleSummary::id).toList());
    return bare.stream()
        .map(
            a ->
                new ArticleSummary(
                    a.id(),
                    a.slug(),
                    a.section(),
                    a.headline(),
                    a.deck(),
                    a.publishedAt(),
                    a.updatedAt(),
                    a.image(),
                    authors.getOrDefault(a.id(), List.of()),
                    a.commentCount()))
        .toList();
  }

  int countPublished(ArticleFilter filter) {
    return jdbi.withHandle(
        h -> {
          Query query = h.createQuery("SELECT COUNT(*) FROM articles a WHERE " + where(filter));
          bindFilter(query, filter);
          return query.mapTo(Integer.class).one();
        });
  }

  int countAll() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM articles").mapTo(Integer.class).one());
  }

  /** Ids of sections, tags and authors an article belongs to now, for cache invalidation. */
  ArticleLinks linksOf(long articleId) {
    return jdbi.withHandle(
        h ->
            new ArticleLinks(
                h.createQuery("SELECT section_id FROM articles WHERE id = :id")
                    .bind("id", articleId)
                    .mapTo(Long.class)
                    .findOne(),
                h.createQuery("SELECT tag_id FROM article_tags WHERE article_id = :id")
                    .bind("id", articleId)
                    .mapTo(Long.class)
                    .list(),
                h.createQuery("SELECT author_id FROM article_authors WHERE article_id = :id")
                    .bind("id", articleId)
                    .mapTo(Long.class)
                    .list()));
  }

  private static String where(ArticleFilter f) {
    StringBuilder sql = new StringBuilder("a.status = 'published'");
    if (f.sectionId() != null) {
      sql.append(" AND a.section_id = :sectionId");
    }
    if (f.tagId() != null) {
      sql.append(" AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = :tagId)");
    }
    if (f.authorId() != null) {
      sql.append(
          " AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = :authorId)");
    }
    if (f.excludeId() != null) {
      sql.append(" AND a.id <> :excludeId");
    }
    return sql.toString();
  }

  private static void bindFilter(Query query, ArticleFilter f) {
    if (f.sectionId() != null) {
      query.bind("sectionId", f.sectionId());
    }
    if (f.tagId() != null) {
      query.bind("tagId", f.tagId());
    }
    if (f.authorId() != null) {
      query.bind("authorId", f.authorId());
    }
    if (f.excludeId() != null) {
      query.bind("excludeId", f.excludeId());
    }
  }

  private static Section section(ResultSet rs) throws SQLException {
    return new Section(
        rs.getLong("s_id"),
        rs.getString("s_slug"),
        rs.getString("s_name"),
        rs.getString("s_description"),
        rs.getInt("s_position"));
  }

  private static Image image(ResultSet rs) throws SQLException {
    String url = rs.getString("image_url");
    return url == null
        ? null
        : new Image(url, rs.getString("image_alt"), rs.getString("image_credit"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  // ---- writes and reads the services make inside their own transactions

  int nextSectionPosition(Handle h) {
    return h.createQuery("SELECT COALESCE(MAX(position), 0) + 1 FROM sections")
        .mapTo(Integer.class)
        .one();
  }

  boolean updateSection(Handle h, long id, String name, String description) {
    return h.createUpdate("UPDATE sections SET name = :n, description = :d WHERE id = :id")
            .bind("n", name)
            .bind("d", description)
            .bind("id", id)
            .execute()
        == 1;
  }

  boolean updateAuthor(Handle h, long id, String name, String bio, String photo) {
    return h.createUpdate("UPDATE authors SET name = :n, bio = :b, photo_url = :p WHERE id = :id")
            .bind("n", name)
            .bind("b", bio)
            .bind("p", photo)
            .bind("id", id)
            .execute()
        == 1;
  }

  void setAuthorPhoto(Handle h, long id, String photo) {
    h.createUpdate("UPDATE authors SET photo_url = :u WHERE id = :id")
        .bind("u", photo)
        .bind("id", id)
        .execute();
  }

  String authorPhoto(Handle h, long authorId) {
    return h.createQuery("SELECT photo_url FROM authors WHERE id = :id")
        .bind("id", authorId)
        .mapTo(String.class)
        .findOne()
        .orElse("");
  }

  List<Map.Entry<Tag, Integer>> tagsWithCounts(Handle h) {
    return h.createQuery(
            "SELECT t.id, t.slug, t.name, COUNT(at.article_id) AS uses FROM tags t"
                + " LEFT JOIN article_tags at ON at.tag_id = t.id"
                + " GROUP BY t.id, t.slug, t.name ORDER BY uses DESC, t.name")
        .map(
            (rs, c) ->
                Map.entry(
                    new Tag(rs.getLong("id"), rs.getString("slug"), rs.getString("name")),
                    rs.getInt("uses")))
        .list();
  }

  boolean renameTag(Handle h, long id, String name) {
    return h.createUpdate("UPDATE tags SET name = :n WHERE id = :id")
            .bind("n", name)
            .bind("id", id)
            .execute()
        == 1;
  }

  void setCreatedBy(Handle h, long articleId, Long userId) {
    h.createUpdate("UPDATE articles SET created_by = :u WHERE id = :id")
        .bind("u", userId)
        .bind("id", articleId)
        .execute();
  }

  Optional<Long> createdBy(Handle h, long articleId) {
    return h.createQuery("SELECT created_by FROM articles WHERE id = :id")
        .bind("id", articleId)
        .mapTo(Long.class)
        .findOne();
  }

  void setInReview(Handle h, long articleId, boolean inReview) {
    h.createUpdate("UPDATE articles SET in_review = :r WHERE id = :id")
        .bind("r", inReview)
        .bind("id", articleId)
        .execute();
  }

  /** The live story's changes saved for later: fields as JSON, who saved them, when. */
  record PendingRow(String fields, String savedBy, long savedAt) {}

  java.util.Optional<PendingRow> pending(Handle h, long articleId) {
    return h.createQuery(
            "SELECT fields, saved_by_name, saved_at FROM article_pending WHERE article_id = :id")
        .bind("id", articleId)
        .map(
            (rs, ctx) ->
                new PendingRow(
                    rs.getString("fields"), rs.getString("saved_by_name"), rs.getLong("saved_at")))
        .findOne();
  }

  void putPending(Handle h, long articleId, String fields, String savedBy, long savedAt) {
    h.createUpdate(
            "INSERT INTO article_pending (article_id, fields, saved_by_name, saved_at)"
                + " VALUES (:id, :fields, :by, :at) ON CONFLICT (article_id) DO UPDATE SET"
                + " fields = excluded.fields, saved_by_name = excluded.saved_by_name,"
                + " saved_at = excluded.saved_at")
        .bind("id", articleId)
        .bind("fields", fields)
        .bind("by", savedBy)
        .bind("at", savedAt)
        .execute();
  }

  boolean clearPending(Handle h, long articleId) {
    return h.createUpdate("DELETE FROM article_pending WHERE article_id = :id")
            .bind("id", articleId)
            .execute()
        > 0;
  }

  boolean inReview(Handle h, long articleId) {
    return h.createQuery("SELECT in_review FROM articles WHERE id = :id")
        .bind("id", articleId)
        .mapTo(Boolean.class)
        .findOne()
        .orElse(false);
  }

  void insertRevision(Handle h, long articleId, Long userId, StoredArticle row, Instant at) {
    h.createUpdate(
            "INSERT INTO article_revisions (article_id, user_id, headline, deck, body_markdown,"
                + " status, created_at) VALUES (:a, :u, :h, :d, :b, :s, :at)")
        .bind("a", articleId)
        .bind("u", userId)
        .bind("h", row.headline())
        .bind("d", row.deck())
        .bind("b", row.bodyMarkdown())
        .bind("s", row.status())
        .bind("at", at)
        .execute();
  }

  private static final RowMapper<Revision> REVISION =
      (rs, c) -> {
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
      };

  List<Revision> revisions(Handle h, long articleId) {
    return h.createQuery(
            "SELECT r.*, u.name AS user_name FROM article_revisions r"
                + " LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = :a"
                + " ORDER BY r.id DESC")
        .bind("a", articleId)
        .map(REVISION)
        .list();
  }

  Optional<Revision> revision(Handle h, long articleId, long revisionId) {
    return h.createQuery(
            "SELECT r.*, u.name AS user_name FROM article_revisions r"
                + " LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = :a AND r.id = :r")
        .bind("a", articleId)
        .bind("r", revisionId)
        .map(REVISION)
        .findOne();
  }

  /** Keeps a draft's text as typed; false when the article is not a draft. */
  boolean autosaveDraft(
      Handle h, long id, String headline, String deck, String body, String html, Instant at) {
    return h.createUpdate(
                "UPDATE articles SET headline = :h, deck = :d, body_markdown = :b,"
                    + " body_html = :html, modified_at = :now WHERE id = :id AND status = 'draft'")
            .bind("h", headline)
            .bind("d", deck)
            .bind("b", body)
            .bind("html", html)
            .bind("now", at)
            .bind("id", id)
            .execute()
        == 1;
  }

  Presentation presentation(Handle h, long articleId) {
    return h.createQuery(
            "SELECT excerpt, seo_title, seo_description, social_title, social_description,"
                + " social_image FROM articles WHERE id = :id")
        .bind("id", articleId)
        .map(
            (rs, c) ->
                new Presentation(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6)))
        .findOne()
        .orElse(Presentation.NONE);
  }

  void setPresentation(Handle h, long articleId, Presentation p) {
    h.createUpdate(
            "UPDATE articles SET excerpt = :e, seo_title = :t, seo_description = :d,"
                + " social_title = :st, social_description = :sd, social_image = :si WHERE id = :id")
        .bind("st", p.socialTitle())
        .bind("sd", p.socialDescription())
        .bind("si", p.socialImage())
        .bind("e", p.excerpt())
        .bind("t", p.seoTitle())
        .bind("d", p.seoDescription())
        .bind("id", articleId)
        .execute();
  }

  List<Long> dueForPublication(Handle h, Instant now) {
    return h.createQuery(
            "SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= :now"
                + " ORDER BY published_at, id")
        .bind("now", now)
        .mapTo(Long.class)
        .list();
  }

  /** Publishes a scheduled article if it still is; false when another node got there first. */
  boolean publishIfScheduled(Handle h, long id, Instant now) {
    return h.createUpdate(
                "UPDATE articles SET status = 'published', modified_at = :now"
                    + " WHERE id = :id AND status = 'scheduled'")
            .bind("now", now)
            .bind("id", id)
            .execute()
        == 1;
  }

  boolean delete(Handle h, long id) {
    return h.createUpdate("DELETE FROM articles WHERE id = :id").bind("id", id).execute() == 1;
  }

  /** An article's row values as written; bound by method name. */
  record StoredArticle(
      String slug,
      long sectionId,
      String headline,
      String deck,
      String bodyMarkdown,
      String bodyHtml,
      String status,
      Instant publishedAt,
      Instant updatedAt,
      Instant createdAt,
      Instant modifiedAt,
      String imageUrl,
      String imageAlt,
      String imageCredit) {

    Map<String, Object> asMap() {
      Map<String, Object> values = new java.util.HashMap<>();
      values.put("slug", slug);
      values.put("sectionId", sectionId);
      values.put("headline", headline);
      values.put("deck", deck);
      values.put("bodyMarkdown", bodyMarkdown);
      values.put("bodyHtml", bodyHtml);
      values.put("status", status);
      values.put("publishedAt", publishedAt == null ? null : publishedAt.toEpochMilli());
      values.put("updatedAt", updatedAt == null ? null : updatedAt.toEpochMilli());
      values.put("createdAt", createdAt.toEpochMilli());
      values.put("modifiedAt", modifiedAt.toEpochMilli());
      values.put("imageUrl", imageUrl);
      values.put("imageAlt", imageAlt);
      values.put("imageCredit", imageCredit);
      return values;
    }
  }

  /** The section, tags and authors an article belongs to. */
  record ArticleLinks(Optional<Long> sectionId, List<Long> tagIds, List<Long> authorIds) {}
}
