package org.broadsheet.article;

/**
 * Which published articles a list shows: all, or one section, tag or author; optionally leaving one
 * article out. Null fields do not filter.
 */
public record ArticleFilter(Long sectionId, Long tagId, Long authorId, Long excludeId) {

  public static final ArticleFilter ALL = new ArticleFilter(null, null, null, null);

  public static ArticleFilter section(long id) {
    return new ArticleFilter(id, null, null, null);
  }

  public static ArticleFilter tag(long id) {
    return new ArticleFilter(null, id, null, null);
  }

  public static ArticleFilter author(long id) {
    return new ArticleFilter(null, null, id, null);
  }

  public ArticleFilter excluding(long articleId) {
    return new ArticleFilter(sectionId, tagId, authorId, articleId);
  }
}
