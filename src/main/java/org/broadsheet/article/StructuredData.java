package org.broadsheet.article;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.broadsheet.site.Links;

/**
 * schema.org JSON-LD for an article page: a {@code NewsArticle} (headline, dates, authors, image,
 * publisher, free to read) and its {@code BreadcrumbList}. The result is safe to place inside a
 * {@code <script type="application/ld+json">} element: {@code <} is escaped so no value can close
 * the element. Thread-safe.
 */
public final class StructuredData {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StructuredData() {}

  public static String article(Article a, Links links, String siteTitle, String logoPath) {
    return article(a, links, siteTitle, logoPath, null);
  }

  /**
   * With live coverage, the article is a {@code LiveBlogPosting}: its coverage times, its latest
   * updates (at most 20) as {@code BlogPosting}s with their permalinks, and {@code dateModified}
   * following the stream.
   */
  public static String article(
      Article a,
      Links links,
      String siteTitle,
      String logoPath,
      org.broadsheet.live.LiveStream live) {
    String url = links.absolute(links.article(a));
    ObjectNode article = JSON.createObjectNode();
    article.put("@context", "https://schema.org");
    article.put("@type", live == null ? "NewsArticle" : "LiveBlogPosting");
    article.put("mainEntityOfPage", url);
    article.put(
        "headline", a.headline().length() > 110 ? a.headline().substring(0, 110) : a.headline());
    if (!a.deck().isEmpty()) {
      article.put("description", a.deck());
    }
    if (a.publishedAt() != null) {
      article.put("datePublished", a.publishedAt().toString());
      article.put(
          "dateModified",
          (a.updatedAt() != null && a.updatedAt().isAfter(a.publishedAt())
                  ? a.updatedAt()
                  : a.publishedAt())
              .toString());
    }
    ArrayNode authors = article.putArray("author");
    for (var author : a.authors()) {
      ObjectNode person = authors.addObject();
      person.put("@type", "Person");
      person.put("name", author.name());
      person.put("url", links.absolute(links.author(author.slug())));
    }
    if (a.hasImage()) {
      String image = a.image().url();
      article.putArray("image").add(image.startsWith("/") ? links.absolute(image) : image);
    }
    ObjectNode publisher = article.putObject("publisher");
    publisher.put("@type", "NewsMediaOrganization");
    publisher.put("name", siteTitle);
    publisher.put("url", links.absolute("/"));
    if (logoPath != null && !logoPath.isEmpty()) {
      ObjectNode logo = publisher.putObject("logo");
      logo.put("@type", "ImageObject");
      logo.put("url", links.absolute(logoPath));
    }
    if (live != null) {
      article.put("coverageStartTime", live.since().toString());
      if (live.until() != null) {
        article.put("coverageEndTime", live.until().toString());
      }
      if (a.publishedAt() != null && live.lastChanged().isAfter(a.publishedAt())) {
        article.put("dateModified", live.lastChanged().toString());
      }
      ArrayNode updates = article.putArray("liveBlogUpdate");
      live.newestFirst().stream()
          .limit(20)
          .forEach(
              u -> {
                ObjectNode post = updates.addObject();
                post.put("@type", "BlogPosting");
                post.put("headline", u.headline().isEmpty() ? a.headline() : u.headline());
                post.put("datePublished", u.createdAt().toString());
                if (u.editedAt() != null) {
                  post.put("dateModified", u.editedAt().toString());
                }
                post.put("url", url + "#" + u.anchor());
                post.put("articleBody", org.jsoup.Jsoup.parse(u.bodyHtml()).text());
              });
    }
    article.put("isAccessibleForFree", true);
    article.put("articleSection", a.section().name());
    if (!a.tags().isEmpty()) {
      article.put("keywords", String.join(", ", a.tags().stream().map(t -> t.name()).toList()));
    }

    ObjectNode crumbs = JSON.createObjectNode();
    crumbs.put("@context", "https://schema.org");
    crumbs.put("@type", "BreadcrumbList");
    ArrayNode items = crumbs.putArray("itemListElement");
    crumb(items, 1, siteTitle, links.absolute("/"));
    crumb(items, 2, a.section().name(), links.absolute(links.section(a.section())));
    crumb(items, 3, a.headline(), url);

    ArrayNode both = JSON.createArrayNode();
    both.add(article);
    both.add(crumbs);
    return safe(both.toString());
  }

  private static void crumb(ArrayNode items, int position, String name, String url) {
    ObjectNode item = items.addObject();
    item.put("@type", "ListItem");
    item.put("position", position);
    item.put("name", name);
    item.put("item", url);
  }

  /** JSON that cannot end its script element or start a comment there. */
  static String safe(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }
}
