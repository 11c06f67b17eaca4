package org.broadsheet.web;

/**
 * What a cached page shows, so that a change to it evicts exactly the pages that show it: the front
 * page, one article, the lists of one section, tag or author, an article's More Articles, or
 * everything site-wide. A page carries the tags of everything it shows; a change evicts by tag.
 * Immutable.
 *
 * @param scope what kind of content
 * @param id which one (0 where there is only one)
 */
public record CacheTag(Scope scope, long id) {

  /** The kinds of content pages show. */
  public enum Scope {
    HOME,
    ARTICLE,
    SECTION,
    TAG,
    AUTHOR,
    RELATED,
    SETTINGS
  }

  public static final CacheTag HOME = new CacheTag(Scope.HOME, 0);

  /** Site settings and what every page shows (title, bylines, tag names). */
  public static final CacheTag SETTINGS = new CacheTag(Scope.SETTINGS, 0);

  public static CacheTag article(long id) {
    return new CacheTag(Scope.ARTICLE, id);
  }

  public static CacheTag section(long id) {
    return new CacheTag(Scope.SECTION, id);
  }

  public static CacheTag tag(long id) {
    return new CacheTag(Scope.TAG, id);
  }

  public static CacheTag author(long id) {
    return new CacheTag(Scope.AUTHOR, id);
  }

  /** An article's own More Articles and story lists (recomputed by search). */
  public static CacheTag related(long id) {
    return new CacheTag(Scope.RELATED, id);
  }
}
