package org.broadsheet.article;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.comment.CommentedArticles;
import org.broadsheet.site.Links;

/** Answers the comment feature's questions about articles. Thread-safe. */
public final class ArticleLookup implements CommentedArticles {

  private final ArticleService articles;
  private final Links links;

  public ArticleLookup(ArticleService articles, Links links) {
    this.articles = articles;
    this.links = links;
  }

  @Override
  public Optional<String> path(long articleId) {
    return articles.byId(articleId).filter(Article::isPublic).map(links::article);
  }

  @Override
  public String path(String sectionSlug, java.time.Instant publishedAt, String slug) {
    return links.article(sectionSlug, publishedAt, slug);
  }

  @Override
  public Map<Long, String> headlines(Collection<Long> articleIds) {
    Map<Long, String> headlines = new LinkedHashMap<>();
    for (long id : articleIds) {
      articles.byId(id).ifPresent(a -> headlines.put(id, a.headline()));
    }
    return headlines;
  }
}
