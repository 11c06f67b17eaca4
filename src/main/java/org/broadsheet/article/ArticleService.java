package org.broadsheet.article;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.site.Section;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.Markdown;
import org.broadsheet.support.Slugs;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.CacheTag;
import org.jdbi.v3.core.Handle;
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
  private final ArticleStore dao;
  private final ChangeFeed changes;
  private final Markdown markdown;
  private final Clock clock;
  private final ZoneId zone;
  private final RelatedChoices related;
  private final Audit audit;
  private final com.github.benmanes.caffeine.cache.Cache<String, Optional<ArticleWithMore>>
      articlePages =
          com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(5_000).build();
  private final java.util.concurrent.atomic.AtomicLong articleGeneration =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * {@code related} gives each article its More Articles (the search feature's stored lists);
   * {@code zone} is the site's, in which scheduled times are typed; {@code audit} records every
   * newsroom action in the transaction that does it.
   */
  public ArticleService(
      Jdbi jdbi,
      ChangeFeed changes,
      Markdown markdown,
      Clock clock,
      ZoneId zone,
      RelatedChoices related,
      Audit audit) {
    this.jdbi = jdbi;
    this.dao = new ArticleStore(jdbi);
    this.changes = changes;
    this.markdown = markdown;
    this.clock = clock;
    this.zone = zone;
    this.related = related;
    this.audit = audit;
  }

  /** Runs a write in one transaction, then lets the change feed's followers see it. */
  private <T> T write(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    T result = jdbi.inTransaction(work);
    changes.pump();
    return result;
  }

  private void audit(Handle h, Actor actor, String action, String target, String detail) {
    if (actor != null) {
      audit.record(h, actor, action, target, detail);
    }
  }

  // ---- sections, authors, tags

  public List<Section> sections() {
    return dao.sections();
  }

  public Optional<Section> section(String slug) {
    return dao.sectionBySlug(slug);
  }

  public Section createSection(String slug, String name, String description) {
    return createSection(slug, name, description, null);
  }

  /** Creates a section; {@code actor} (null for none) is recorded in the audit log. */
  public Section createSection(String slug, String name, String description, Actor actor) {
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
    String cleanDescription = description == null ? "" : description.strip();
    return write(
        h -> {
          int position = dao.nextSectionPosition(h);
          long id = dao.insertSection(h, cleanSlug, cleanName, cleanDescription, position);
          changes.record(h, Change.Entity.SECTION, id, Change.Kind.CREATED);
          audit(h, actor, "section.create", "section:" + cleanSlug, cleanName);
          return new Section(id, cleanSlug, cleanName, cleanDescription, position);
        });
  }

  /** Renames a section or changes its description (its slug, part of every address, stays). */
  public void updateSection(long id, String name, String description, Actor actor) {
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
    write(
        h -> {
          if (!dao.updateSection(h, id, cleanName, cleanDescription)) {
            throw new ValidationException(Map.of("id", "There is no section " + id + "."));
          }
          changes.record(h, Change.Entity.SECTION, id, Change.Kind.UPDATED);
          audit(h, actor, "section.update", "section:" + id, cleanName);
          return null;
        });
  }

  // ---- fronts

  /** Slots of a front: the lead (0) and three featured stories. */
  public static final int FRONT_SLOTS = 4;

  /** The key of the home page's front, or of a section's. */
  public static String frontKey(Long sectionId) {
    return sectionId == null ? "home" : "section:" + sectionId;
  }

  /** A front's picks by slot (0: the lead); slots nobody filled are missing. */
  public Map<Integer, Long> frontPicks(Long sectionId) {
    return dao.frontPicks(frontKey(sectionId));
  }

  /** Stories a front may show, newest first: published and scheduled (a section's own). */
  public List<FrontCandidate> frontCandidates(Long sectionId) {
    return dao.frontCandidates(sectionId, 100);
  }

  /**
   * Arranges a front: its lead and featured stories ({@code picks} by slot; a missing slot is
   * filled by the newest story) and, for the home page, the order of the section blocks (every
   * section's id once, or empty to leave it). Each pick must be published or scheduled, and in the
   * section for a section's front; no story twice. Everything or nothing, with its audit line; the
   * pages showing the front follow through the change feed.
   */
  public void arrangeFront(
      Long sectionId, Map<Integer, Long> picks, List<Long> sectionOrder, Actor actor) {
    Map<String, String> errors = new LinkedHashMap<>();
    if (sectionId != null && dao.sections().stream().noneMatch(s -> s.id() == sectionId)) {
      throw new ValidationException(Map.of("front", "There is no section " + sectionId + "."));
    }
    java.util.Set<Long> allowed = new java.util.HashSet<>();
    dao.frontCandidates(sectionId, 10_000).forEach(c -> allowed.add(c.id()));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (var pick : picks.entrySet()) {
      String field = "slot" + pick.getKey();
      if (pick.getKey() < 0 || pick.getKey() >= FRONT_SLOTS) {
        errors.put(field, "A front has a lead and three featured places.");
      } else if (!allowed.contains(pick.getValue())) {
        errors.put(
            field,
            sectionId == null
                ? "Choose a published or scheduled story."
                : "Choose a published or scheduled story of this section.");
      } else if (!seen.add(pick.getValue())) {
        errors.put(field, "This story is already placed above; choose another.");
      }
    }
    List<Long> order = sectionOrder == null ? List.of() : sectionOrder;
    if (!order.isEmpty()) {
      java.util.Set<Long> all = new java.util.HashSet<>();
      dao.sections().forEach(s -> all.add(s.id()));
      if (order.size() != all.size() || !all.equals(new java.util.HashSet<>(order))) {
        errors.put("order", "Give every section a place, each once.");
      }
    }
    throwIfAny(errors);
    String front = frontKey(sectionId);
    write(
        h -> {
          dao.replaceFrontPicks(h, front, picks);
          if (!order.isEmpty()) {
            for (int i = 0; i < order.size(); i++) {
              dao.setSectionPosition(h, order.get(i), i + 1);
            }
            // The sections' order is the navigation on every page.
            changes.record(h, Change.Entity.SECTION, 0, Change.Kind.UPDATED);
          }
          changes.record(
              h, Change.Entity.SECTION, sectionId == null ? 0 : sectionId, Change.Kind.FRONT);
          audit(
              h,
              actor,
              "front.arrange",
              front,
              "picks=" + picks + (order.isEmpty() ? "" : " order=" + order));
          return null;
        });
  }

  /**
   * Changes an author's public name, bio and photo (an address from the media library, or empty for
   * none); their slug, part of their page's address, stays. All of it or none of it.
   */
  public void updateAuthor(long id, String name, String bio, String photo, Actor actor) {
    String cleanName = name == null ? "" : name.strip();
    String cleanBio = bio == null ? "" : bio.strip();
    String cleanPhoto = photo == null ? "" : photo.strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (cleanName.isEmpty() || cleanName.length() > 100) {
      errors.put("name", "Give the author a name of up to 100 characters.");
    }
    if (cleanBio.length() > 2000) {
      errors.put("bio", "Keep the bio under 2,000 characters.");
    }
    if (!validPhoto(cleanPhoto)) {
      errors.put("photo", "Use an image address from the media library, such as /media/…jpg.");
    }
    throwIfAny(errors);
    write(
        h -> {
          if (!dao.updateAuthor(h, id, cleanName, cleanBio, cleanPhoto)) {
            throw new ValidationException(Map.of("id", "There is no author " + id + "."));
          }
          changes.record(h, Change.Entity.AUTHOR, id, Change.Kind.UPDATED);
          // Bylines on every page that shows their articles change too.
          changes.record(h, Change.Entity.SETTINGS, 0, Change.Kind.BYLINE);
          audit(h, actor, "author.update", "author:" + id, cleanName);
          return null;
        });
  }

  private static boolean validPhoto(String url) {
    return url.isEmpty() || url.matches("/media/[0-9a-f]+(-[0-9]+w)?\\.(jpg|png)");
  }

  /** Every tag with how many articles carry it, most used first. */
  public List<Map.Entry<Tag, Integer>> tagsWithCounts() {
    return jdbi.withHandle(dao::tagsWithCounts);
  }

  /** Renames a tag (its slug, part of its page's address, stays). */
  public void renameTag(long id, String name, Actor actor) {
    String clean = name == null ? "" : name.strip();
    if (clean.isEmpty() || clean.length() > 60 || clean.chars().anyMatch(Character::isISOControl)) {
      throw new ValidationException(Map.of("name", "Give the tag a name of up to 60 characters."));
    }
    write(
        h -> {
          if (!dao.renameTag(h, id, clean)) {
            throw new ValidationException(Map.of("id", "There is no tag " + id + "."));
          }
          // Tag names appear on article pages and lists: every page follows.
          changes.record(h, Change.Entity.SETTINGS, 0, Change.Kind.TAG);
          audit(h, actor, "tag.rename", "tag:" + id, clean);
          return null;
        });
  }

  /** Every author, by name. */
  public List<Author> authors() {
    return dao.authors();
  }

  public Optional<Author> author(String slug) {
    return dao.authorBySlug(slug);
  }

  public Author createAuthor(String slug, String name, String bio) {
    return createAuthor(slug, name, bio, null);
  }

  /** Creates an author profile; {@code actor} (null for none) is recorded in the audit log. */
  public Author createAuthor(String slug, String name, String bio, Actor actor) {
    return write(h -> createAuthor(h, slug, name, bio, actor));
  }

  private Author createAuthor(Handle h, String slug, String name, String bio, Actor actor) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty()) {
      errors.put("name", "Give the author a name.");
    }
    String cleanSlug = slug == null || slug.isBlank() ? Slugs.slugify(cleanName) : slug.strip();
    if (!Slugs.isValid(cleanSlug)) {
      errors.put("slug", "The slug may use lowercase letters, digits and single hyphens only.");
    } else if (dao.authorBySlug(h, cleanSlug).isPresent()) {
      errors.put("slug", "An author with the slug '" + cleanSlug + "' already exists.");
    }
    throwIfAny(errors);
    String cleanBio = bio == null ? "" : bio.strip();
    long id = dao.insertAuthor(h, cleanSlug, cleanName, cleanBio);
    changes.record(h, Change.Entity.AUTHOR, id, Change.Kind.CREATED);
    audit(h, actor, "author.create", "author:" + cleanSlug, cleanName);
    return new Author(id, cleanSlug, cleanName, cleanBio);
  }

  /**
   * Gives a new member a byline inside the caller's transaction: an author profile with their name
   * (a unique slug), and a first section if the site has none, so they can write at once. Returns
   * the profile's id.
   */
  public long bylineFor(Handle h, String name) {
    if (dao.sections(h).isEmpty()) {
      long section = dao.insertSection(h, "news", "News", "", dao.nextSectionPosition(h));
      changes.record(h, Change.Entity.SECTION, section, Change.Kind.CREATED);
    }
    String base = Slugs.slugify(name);
    if (base.isEmpty()) {
      base = "author";
    }
    String slug = base;
    for (int i = 2; dao.authorBySlug(h, slug).isPresent(); i++) {
      slug = base + "-" + i;
    }
    return createAuthor(h, slug, name, "", null).id();
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
  public void onChange(Change change) {
    switch (change.entity()) {
      case ARTICLE, SECTION, AUTHOR, COMMENT -> {
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
  public Set<CacheTag> dependencyKeys(long articleId) {
    ArticleStore.ArticleLinks links = dao.linksOf(articleId);
    Set<CacheTag> keys = new LinkedHashSet<>();
    keys.add(CacheTag.article(articleId));
    links.sectionId().ifPresent(id -> keys.add(CacheTag.section(id)));
    links.tagIds().forEach(id -> keys.add(CacheTag.tag(id)));
    links.authorIds().forEach(id -> keys.add(CacheTag.author(id)));
    return keys;
  }

  /** Creates an article from a draft (imports, the demo paper); published at once if it says so. */
  public Article create(ArticleDraft draft) {
    return store(null, draft, Presentation.NONE, null, null, "create");
  }

  /** Saves a new version of an article (imports, tests); every save is kept as a revision. */
  public Article update(long id, ArticleDraft draft) {
    return store(id, draft, null, null, null, "update");
  }

  /**
   * A member who may not assign bylines signs only with their own, keeping any an editor already
   * put on the article.
   */
  private void checkBylines(
      Handle h,
      ArticleDraft draft,
      Article before,
      EditorRights rights,
      Map<String, String> errors) {
    if (rights.anyByline() || draft.authorSlugs() == null) {
      return;
    }
    java.util.Set<Long> allowed = new java.util.HashSet<>();
    if (rights.ownByline() != null) {
      allowed.add(rights.ownByline());
    }
    if (before != null) {
      before.authors().forEach(a -> allowed.add(a.id()));
    }
    for (Author a : dao.authorsBySlugs(h, new LinkedHashSet<>(draft.authorSlugs()))) {
      if (!allowed.contains(a.id())) {
        errors.put(
            "authors",
            "You can sign articles only with your own byline; "
                + a.name()
                + "'s can be added by an editor.");
        return;
      }
    }
  }

  /**
   * One save from the newsroom's editor: checks every field and the publication rules first, then
   * writes the article, its presentation, its status, its revision, the change-feed row and the
   * audit entry in one transaction, or nothing at all. Throws a {@link ValidationException} with a
   * message per field, or {@link Publication.NotAllowed} for a button the member may not press.
   */
  public Article save(ArticleEdit edit, Actor actor, EditorRights rights) {
    return save(edit, actor, rights, false, null);
  }

  /**
   * A save from another system (a wire, another CMS) that knows the story by {@code externalId}: a
   * new story is linked to it in the same transaction, so a later save with that id updates it.
   *
   * @throws ExternalIdTaken when another request linked the id to a story first (retry: it is an
   *     update now)
   */
  public Article saveFromSource(
      ArticleEdit edit, String externalId, Actor actor, EditorRights rights) {
    return save(edit, actor, rights, false, externalId);
  }

  /** Another request linked the external id to a story between the lookup and this save. */
  public static final class ExternalIdTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExternalIdTaken(String externalId) {
      super(
          "Another request created the story with externalId \""
              + externalId
              + "\" at the same time. Send this one again: it will update that story.");
    }
  }

  /** The story a source system knows by this id. */
  public Optional<Long> byExternalId(String externalId) {
    return jdbi.withHandle(h -> dao.byExternalId(h, externalId));
  }

  /** The source system's id of a story, if it came from one. */
  public Optional<String> externalIdOf(long articleId) {
    return jdbi.withHandle(h -> dao.externalIdOf(h, articleId));
  }

  /** A keyset page of published articles, newest first (the Content API's list). */
  public List<ArticleSummary> page(ArticleQuery query) {
    return dao.page(query);
  }

  /** Thrown inside a check's transaction to roll it back once everything has been validated. */
  private static final class CheckedOnly extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckedOnly() {
      super(null, null, false, false);
    }
  }

  /**
   * Validates an edit exactly as {@link #save} would, and writes nothing (the same work in a
   * transaction that is rolled back): the step before asking someone to confirm a change readers
   * will see, so they are never asked to confirm a form that would then be refused.
   *
   * @throws ValidationException with the form's problems
   * @throws Publication.NotAllowed for a button the member may not press
   */
  public void check(ArticleEdit edit, EditorRights rights) {
    try {
      save(edit, null, rights, true, null);
    } catch (CheckedOnly expected) {
      // Valid: nothing was written.
    }
  }

  private Article save(
      ArticleEdit edit, Actor actor, EditorRights rights, boolean checkOnly, String externalId) {
    boolean mayPublish = rights.mayPublish();
    Presentation presentation = clean(edit.presentation());
    Map<String, String> errors = new LinkedHashMap<>(presentationProblems(presentation));
    String imageUrl = edit.imageUrl() == null ? "" : edit.imageUrl().strip();
    if (!imageUrl.isEmpty()
        && !(imageUrl.startsWith("/media/") || imageUrl.startsWith("https://"))) {
      errors.put(
          "imageUrl", "Use an image from the media library (/media/…) or an https:// address.");
    }
    Image image =
        imageUrl.isEmpty() ? null : new Image(imageUrl, edit.imageAlt(), edit.imageCredit());
    Article current =
        edit.id() == null ? null : byId(edit.id()).orElseThrow(() -> noSuchArticle(edit.id()));
    Publication.Decision decision;
    try {
      decision = Publication.decide(edit.action(), current, edit.publishAt(), zone, mayPublish);
    } catch (ValidationException e) {
      errors.putAll(e.fieldErrors());
      decision = null;
    }
    ArticleDraft draft =
        new ArticleDraft(
            edit.slug(),
            edit.section(),
            edit.headline(),
            edit.deck(),
            edit.body(),
            decision == null ? ArticleStatus.DRAFT : decision.status(),
            decision == null ? null : decision.publishedAt(),
            edit.authors(),
            edit.tagNames(),
            image);
    if (decision == null) {
      throwIfAny(errors);
    }
    Publication.Decision decided = decision;
    return write(
        h -> {
          Map<String, String> all = new LinkedHashMap<>(errors);
          Article before = current == null ? null : dao.findById(h, current.id()).orElseThrow();
          checkBylines(h, draft, before, rights, all);
          Prepared p =
              prepare(h, draft, before == null ? 0 : before.id(), before, clock.instant(), all);
          if (checkOnly) {
            throw new CheckedOnly();
          }
          if (externalId != null && before == null) {
            org.broadsheet.storage.Locks.exclusive(h, "article-external-id");
            if (dao.byExternalId(h, externalId).isPresent()) {
              throw new ExternalIdTaken(externalId);
            }
          }
          long id = persist(h, before, p, actor);
          if (externalId != null) {
            dao.setExternalId(h, externalId, id);
          }
          dao.setPresentation(h, id, presentation);
          boolean review =
              p.status() == ArticleStatus.DRAFT
                  && (decided.inReview() != null ? decided.inReview() : dao.inReview(h, id));
          dao.setInReview(h, id, review);
          // The form held any changes kept for later: they are in this save now.
          dao.clearPending(h, id);
          String action = edit.action().name().toLowerCase(java.util.Locale.ROOT);
          Article saved = dao.findById(h, id).orElseThrow();
          audit(
              h,
              actor,
              "article." + (before == null ? "create-" : "") + action,
              "article:" + id + " " + saved.headline(),
              "status=" + saved.status().dbValue());
          return saved;
        });
  }

  /** A draft's fields as they are now, for saves that change one thing (bulk actions, restore). */
  private static ArticleDraft draftOf(Article a, String headline, String deck, String body) {
    return new ArticleDraft(
        a.slug(),
        a.section().slug(),
        headline,
        deck,
        body,
        a.status(),
        a.publishedAt(),
        a.authors().stream().map(Author::slug).toList(),
        a.tags().stream().map(Tag::name).toList(),
        a.image());
  }

  /** Publishes, unpublishes or sends back to draft an article, as a bulk action does. */
  public Article changeStatus(long id, ArticleStatus status, Actor actor) {
    Article a = byId(id).orElseThrow(() -> noSuchArticle(id));
    ArticleDraft draft =
        new ArticleDraft(
            a.slug(),
            a.section().slug(),
            a.headline(),
            a.deck(),
            a.bodyMarkdown(),
            status,
            a.publishedAt(),
            a.authors().stream().map(Author::slug).toList(),
            a.tags().stream().map(Tag::name).toList(),
            a.image());
    String verb =
        switch (status) {
          case PUBLISHED -> "publish";
          case UNPUBLISHED -> "unpublish";
          default -> "draft";
        };
    return store(id, draft, null, null, actor, "bulk-" + verb);
  }

  /** Makes a revision's text the current version again (as a new revision). */
  public Article restore(long id, long revisionId, Actor actor) {
    Article a = byId(id).orElseThrow(() -> noSuchArticle(id));
    Revision r =
        revision(id, revisionId)
            .orElseThrow(
                () -> new ValidationException(Map.of("revision", "There is no such revision.")));
    return store(
        id,
        draftOf(a, r.headline(), r.deck(), r.bodyMarkdown()),
        null,
        "revision=" + r.id(),
        actor,
        "restore");
  }

  /** Writes a draft as a new or changed article in one transaction, audited as {@code verb}. */
  private Article store(
      Long id,
      ArticleDraft draft,
      Presentation presentation,
      String detail,
      Actor actor,
      String verb) {
    return write(
        h -> {
          Article before =
              id == null ? null : dao.findById(h, id).orElseThrow(() -> noSuchArticle(id));
          Prepared p =
              prepare(
                  h, draft, id == null ? 0 : id, before, clock.instant(), new LinkedHashMap<>());
          long saved = persist(h, before, p, actor);
          if (presentation != null) {
            dao.setPresentation(h, saved, presentation);
          }
          if (p.status() != ArticleStatus.DRAFT) {
            dao.setInReview(h, saved, false);
          }
          Article result = dao.findById(h, saved).orElseThrow();
          audit(
              h,
              actor,
              "article." + verb,
              "article:" + saved + " " + result.headline(),
              detail == null ? "status=" + result.status().dbValue() : detail);
          return result;
        });
  }

  /** Inserts or updates the row, its people and tags, a revision and the change-feed row. */
  private long persist(Handle h, Article before, Prepared p, Actor actor) {
    Instant now = p.row().modifiedAt();
    Long userId = actor == null ? null : actor.userId();
    long id;
    Change.Kind kind;
    if (before == null) {
      id = dao.insertArticle(h, p.row());
      dao.setCreatedBy(h, id, userId);
      kind = p.status() == ArticleStatus.PUBLISHED ? Change.Kind.PUBLISHED : Change.Kind.CREATED;
    } else {
      id = before.id();
      dao.updateArticle(h, id, p.row());
      kind =
          before.status() != ArticleStatus.PUBLISHED && p.status() == ArticleStatus.PUBLISHED
              ? Change.Kind.PUBLISHED
              : before.status() == ArticleStatus.PUBLISHED && p.status() != ArticleStatus.PUBLISHED
                  ? Change.Kind.UNPUBLISHED
                  : Change.Kind.UPDATED;
    }
    dao.replacePeopleAndTags(h, id, p.authors(), p.tags());
    dao.insertRevision(h, id, userId, p.row(), now);
    changes.record(h, Change.Entity.ARTICLE, id, kind);
    return id;
  }

  private static ValidationException noSuchArticle(long id) {
    return new ValidationException(Map.of("id", "There is no article " + id + "."));
  }

  /** The saved versions of an article, newest first. */
  public List<Revision> revisions(long articleId) {
    return jdbi.withHandle(h -> dao.revisions(h, articleId));
  }

  public Optional<Revision> revision(long articleId, long revisionId) {
    return jdbi.withHandle(h -> dao.revision(h, articleId, revisionId));
  }

  /**
   * Autosave: keeps a draft's headline, deck and body as typed, without a revision or any status
   * change. Only drafts autosave (a published article changes only when someone saves it). Returns
   * false when the article is not a draft.
   */
  /** Most characters a story's kept changes may take in all (the editor's limits, with room). */
  private static final int PENDING_MAX = 400_000;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Keeps the editor's fields as changes to a live story, not yet shown to readers ("Save draft" on
   * a published story, and the editor's autosave for it). Checked for size only: they are checked
   * in full when they go live.
   */
  public PendingChanges keepChanges(long articleId, Map<String, String> fields, Actor actor) {
    Article article = byId(articleId).orElseThrow(() -> noSuchArticle(articleId));
    int size = fields.values().stream().mapToInt(v -> v == null ? 0 : v.length()).sum();
    if (size > PENDING_MAX) {
      throw new ValidationException(
          Map.of("body", "These changes are too long to keep; shorten the text."));
    }
    String json;
    try {
      json = JSON.writeValueAsString(new java.util.TreeMap<>(fields));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String by = actor.user() == null ? "" : actor.user().name();
    Instant now = clock.instant();
    jdbi.useTransaction(
        h -> {
          dao.putPending(h, articleId, json, by, now.toEpochMilli());
          audit(
              h,
              actor,
              "article.keep-changes",
              "article:" + articleId + " " + article.headline(),
              "not live");
        });
    return new PendingChanges(fields, by, now);
  }

  /** The changes kept for a live story, if any. */
  public Optional<PendingChanges> pendingChanges(long articleId) {
    return jdbi.withHandle(h -> dao.pending(h, articleId))
        .map(
            row -> {
              Map<String, String> fields = new LinkedHashMap<>();
              try {
                JSON.readTree(row.fields())
                    .properties()
                    .forEach(e -> fields.put(e.getKey(), e.getValue().asText("")));
              } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // Unreadable: offered as nothing rather than failing the editor.
              }
              return new PendingChanges(fields, row.savedBy(), Instant.ofEpochMilli(row.savedAt()));
            });
  }

  /** Drops the changes kept for a live story; true when there were some. */
  public boolean discardChanges(long articleId, Actor actor) {
    Article article = byId(articleId).orElseThrow(() -> noSuchArticle(articleId));
    return jdbi.inTransaction(
        h -> {
          boolean had = dao.clearPending(h, articleId);
          if (had) {
            audit(
                h,
                actor,
                "article.discard-changes",
                "article:" + articleId + " " + article.headline(),
                "");
          }
          return had;
        });
  }

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
    String html = markdown.toSafeHtml(b);
    return jdbi.inTransaction(
        h -> dao.autosaveDraft(h, articleId, h1, d, b, html, clock.instant()));
  }

  /**
   * The newsroom's article list (all statuses). With an owner, only articles that member created or
   * writes under their byline.
   */
  public List<ArticleRow> newsroomRows(
      Long ownerUserId,
      Long ownerAuthorId,
      EditorialStatus status,
      String section,
      String author,
      String text,
      int limit) {
    return dao.newsroomRows(ownerUserId, ownerAuthorId, status, section, author, text, limit);
  }

  /** A page of the newsroom's article list, sorted ("changed", "published" or "headline"). */
  public List<ArticleRow> newsroomRows(
      Long ownerUserId,
      Long ownerAuthorId,
      EditorialStatus status,
      String section,
      String author,
      String text,
      String sort,
      int limit,
      int offset) {
    return dao.newsroomRows(
        ownerUserId, ownerAuthorId, status, section, author, text, sort, limit, offset);
  }

  /** The article's excerpt, search-engine title and description. */
  public Presentation presentation(long articleId) {
    return jdbi.withHandle(h -> dao.presentation(h, articleId));
  }

  private static Presentation clean(Presentation p) {
    return new Presentation(
        p.excerpt() == null ? "" : p.excerpt().strip(),
        p.seoTitle() == null ? "" : p.seoTitle().strip(),
        p.seoDescription() == null ? "" : p.seoDescription().strip(),
        p.socialTitle() == null ? "" : p.socialTitle().strip(),
        p.socialDescription() == null ? "" : p.socialDescription().strip(),
        p.socialImage() == null ? "" : p.socialImage().strip());
  }

  private static Map<String, String> presentationProblems(Presentation p) {
    Map<String, String> errors = new LinkedHashMap<>();
    if (p.socialTitle().length() > 100
        || p.socialTitle().chars().anyMatch(Character::isISOControl)) {
      errors.put("socialTitle", "Keep the social title to one line of up to 100 characters.");
    }
    if (p.socialDescription().length() > 200
        || p.socialDescription().chars().anyMatch(Character::isISOControl)) {
      errors.put(
          "socialDescription", "Keep the social description to one line of up to 200 characters.");
    }
    if (!validPhoto(p.socialImage())) {
      errors.put("socialImage", "Choose the social image from the media library (/media/…).");
    }
    if (p.excerpt().length() > 600) {
      errors.put("excerpt", "Keep the excerpt under 600 characters.");
    }
    if (p.seoTitle().length() > 70 || p.seoTitle().chars().anyMatch(Character::isISOControl)) {
      errors.put("seoTitle", "Keep the search title to one line of up to 70 characters.");
    }
    if (p.seoDescription().length() > 160
        || p.seoDescription().chars().anyMatch(Character::isISOControl)) {
      errors.put(
          "seoDescription", "Keep the search description to one line of up to 160 characters.");
    }
    return errors;
  }

  /** Sets the excerpt, search-engine title and description (validated; empty means default). */
  public void setPresentation(long articleId, Presentation p) {
    Presentation clean = clean(p);
    throwIfAny(presentationProblems(clean));
    write(
        h -> {
          dao.setPresentation(h, articleId, clean);
          changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.UPDATED);
          return null;
        });
  }

  /** An author's photo (an address from the media library, or empty for none). */
  public String authorPhoto(long authorId) {
    return jdbi.withHandle(h -> dao.authorPhoto(h, authorId));
  }

  /** Sets an author's photo alone (the demo paper, imports). */
  public void setAuthorPhoto(long authorId, String url) {
    String clean = url == null ? "" : url.strip();
    if (!validPhoto(clean)) {
      throw new ValidationException(
          Map.of("photo", "Use an image address from the media library, such as /media/…jpg."));
    }
    write(
        h -> {
          dao.setAuthorPhoto(h, authorId, clean);
          changes.record(h, Change.Entity.AUTHOR, authorId, Change.Kind.UPDATED);
          return null;
        });
  }

  /** Who created the article in the newsroom (null for imports and the demo). */
  public Optional<Long> createdBy(long articleId) {
    return jdbi.withHandle(h -> dao.createdBy(h, articleId));
  }

  /** Marks a draft as waiting for an editor's review, or not (imports of pending posts). */
  public void setInReview(long articleId, boolean inReview) {
    write(
        h -> {
          dao.setInReview(h, articleId, inReview);
          changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.REVIEW);
          return null;
        });
  }

  public boolean inReview(long articleId) {
    return jdbi.withHandle(h -> dao.inReview(h, articleId));
  }

  /**
   * Publishes every scheduled article whose time has come, each exactly once even with several
   * nodes running this at the same moment: the status changes only if it is still scheduled, in the
   * same transaction as its change-feed entry. Returns the ids this call published.
   */
  public List<Long> publishDue() {
    Instant now = clock.instant();
    List<Long> due = jdbi.withHandle(h -> dao.dueForPublication(h, now));
    List<Long> published = new ArrayList<>();
    for (Long id : due) {
      boolean won =
          jdbi.inTransaction(
              h -> {
                boolean changed = dao.publishIfScheduled(h, id, now);
                if (changed) {
                  changes.record(h, Change.Entity.ARTICLE, id, Change.Kind.PUBLISHED);
                  audit(
                      h,
                      Actor.system("schedule"),
                      "article.publish",
                      "article:" + id + dao.findById(h, id).map(a -> " " + a.headline()).orElse(""),
                      "scheduled");
                }
                return changed;
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
  public void erase(long id, Actor actor) {
    write(
        h -> {
          Article article = dao.findById(h, id).orElseThrow(() -> noSuchArticle(id));
          dao.delete(h, id);
          changes.record(h, Change.Entity.ARTICLE, id, Change.Kind.ERASED);
          audit(h, actor, "article.erase", "article:" + id + " " + article.headline(), "");
          return null;
        });
  }

  /** Appends a timestamped correction or update note and marks the article updated. */
  public Correction addCorrection(long articleId, Correction.Kind kind, String note, Actor actor) {
    return addCorrection(articleId, kind, note, clock.instant(), actor);
  }

  /** As {@link #addCorrection}, dated at the given time (imports and demo content). */
  public Correction addCorrectionAt(
      long articleId, Correction.Kind kind, String note, Instant now) {
    return addCorrection(articleId, kind, note, now, null);
  }

  private Correction addCorrection(
      long articleId, Correction.Kind kind, String note, Instant now, Actor actor) {
    String clean = note == null ? "" : note.strip();
    if (clean.isEmpty() || clean.length() > 2000) {
      throw new ValidationException(Map.of("note", "Write the correction (1 to 2000 characters)."));
    }
    long id =
        write(
            h -> {
              Article article =
                  dao.findById(h, articleId).orElseThrow(() -> noSuchArticle(articleId));
              long correctionId = dao.insertCorrection(h, articleId, kind, clean, now);
              dao.touch(h, articleId, now);
              changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.CORRECTED);
              audit(
                  h,
                  actor,
                  "article.correction",
                  "article:" + articleId + " " + article.headline(),
                  clean);
              return correctionId;
            });
    return new Correction(id, kind, clean, now);
  }

  /** Sets the time readers see as "Updated" (imports and demo content). */
  public void markUpdated(long articleId, Instant updatedAt) {
    write(
        h -> {
          dao.touch(h, articleId, updatedAt);
          changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.UPDATED);
          return null;
        });
  }

  private record Prepared(
      ArticleStore.StoredArticle row, ArticleStatus status, List<Author> authors, List<Tag> tags) {}

  /**
   * Checks a draft against the database (slug free, section and authors known) and the rules, with
   * the {@code errors} found before; throws with all of them, or returns the row to write.
   */
  /** How far ahead an article may be scheduled. */
  static final int MAX_SCHEDULE_DAYS = 3653;

  private Prepared prepare(
      Handle h, ArticleDraft d, long id, Article current, Instant now, Map<String, String> errors) {
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
        d.sectionSlug() == null ? Optional.empty() : dao.sectionBySlug(h, d.sectionSlug());
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
      errors.put("publishAt", "A scheduled article needs a publication time in the future.");
    } else if (status == ArticleStatus.SCHEDULED
        && d.publishedAt().isAfter(now.plus(java.time.Duration.ofDays(MAX_SCHEDULE_DAYS)))) {
      errors.put("publishAt", "Schedule at most ten years ahead; for later, keep it as a draft.");
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
    ArticleStore.StoredArticle row =
        new ArticleStore.StoredArticle(
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
    return new Prepared(row, status, authors, tags);
  }

  private static void throwIfAny(Map<String, String> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
