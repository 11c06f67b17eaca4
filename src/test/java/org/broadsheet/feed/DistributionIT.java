package org.broadsheet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Feeds, sitemaps, robots.txt and page metadata, checked against their specifications: RSS 2.0's
 * required elements, Atom's rules from RFC 4287, JSON Feed 1.1's required members, our sitemap
 * schema, and schema.org JSON-LD that parses.
 */
class DistributionIT {

  private static final String ATOM = "http://www.w3.org/2005/Atom";

  static Document xml(String body) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> children(Element parent, String ns, String name) {
    List<Element> out = new java.util.ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e
          && name.equals(e.getLocalName())
          && (ns == null ? e.getNamespaceURI() == null : ns.equals(e.getNamespaceURI()))) {
        out.add(e);
      }
    }
    return out;
  }

  static String text(Element parent, String ns, String name) {
    List<Element> found = children(parent, ns, name);
    assertThat(found).as(name + " in " + parent.getLocalName()).hasSize(1);
    return found.getFirst().getTextContent();
  }

  static void validSitemap(String body) throws Exception {
    var schema =
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
            .newSchema(DistributionIT.class.getResource("/schemas/sitemap.xsd"));
    schema.newValidator().validate(new StreamSource(new java.io.StringReader(body)));
  }

  @Test
  void feedsFollowTheirSpecifications() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Article tricky =
          site.app()
              .articles()
              .create(
                  new ArticleDraft(
                      "",
                      "city",
                      "Київ & Halden <sign> a \"twinning\" deal",
                      "Mixed scripts, ampersands & angle brackets.",
                      "Body with <b>markup</b> and a control char \u0001 removed.",
                      ArticleStatus.PUBLISHED,
                      null,
                      List.of("ines-varga"),
                      List.of("Twinning"),
                      null));

      HttpResponse<String> rssResponse = site.get("/feed.xml");
      assertThat(rssResponse.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/rss+xml");
      Document rss = xml(rssResponse.body());
      Element root = rss.getDocumentElement();
      assertThat(root.getLocalName()).isEqualTo("rss");
      assertThat(root.getAttribute("version")).isEqualTo("2.0");
      Element channel = children(root, null, "channel").getFirst();
      assertThat(text(channel, null, "title")).isEqualTo("The Halden Courier");
      assertThat(text(channel, null, "link")).startsWith("http");
      assertThat(text(channel, null, "description")).isNotBlank();
      assertThat(children(channel, ATOM, "link").getFirst().getAttribute("rel")).isEqualTo("self");
      List<Element> items = children(channel, null, "item");
      assertThat(items).hasSize(20);
      for (Element item : items) {
        assertThat(text(item, null, "title")).isNotBlank();
        assertThat(text(item, null, "link")).startsWith("http://");
        assertThat(text(item, null, "guid")).isEqualTo(text(item, null, "link"));
        ZonedDateTime.parse(text(item, null, "pubDate"), DateTimeFormatter.RFC_1123_DATE_TIME);
      }
      Element first = items.getFirst();
      assertThat(text(first, null, "title")).isEqualTo(tricky.headline());
      assertThat(text(first, FeedWriter.CONTENT, "encoded"))
          .contains("markup")
          .doesNotContain("\u0001");

      HttpResponse<String> atomResponse = site.get("/atom.xml");
      assertThat(atomResponse.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/atom+xml");
      Element feed = xml(atomResponse.body()).getDocumentElement();
      assertThat(feed.getNamespaceURI()).isEqualTo(ATOM);
      // RFC 4287 4.1.1: exactly one id, title and updated; an author on the feed or every entry.
      java.net.URI.create(text(feed, ATOM, "id"));
      assertThat(text(feed, ATOM, "title")).isNotBlank();
      OffsetDateTime.parse(text(feed, ATOM, "updated"));
      assertThat(children(feed, ATOM, "author")).hasSize(1);
      assertThat(children(feed, ATOM, "link"))
          .extracting(e -> e.getAttribute("rel"))
          .contains("self", "alternate");
      List<Element> entries = children(feed, ATOM, "entry");
      assertThat(entries).hasSize(20);
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (Element entry : entries) {
        assertThat(ids.add(text(entry, ATOM, "id"))).as("entry ids are unique").isTrue();
        assertThat(text(entry, ATOM, "title")).isNotBlank();
        OffsetDateTime.parse(text(entry, ATOM, "updated"));
        OffsetDateTime.parse(text(entry, ATOM, "published"));
        assertThat(
                children(entry, ATOM, "link").stream()
                    .filter(l -> l.getAttribute("rel").equals("alternate"))
                    .count())
            .isEqualTo(1);
        Element content = children(entry, ATOM, "content").getFirst();
        assertThat(content.getAttribute("type")).isEqualTo("html");
      }

      HttpResponse<String> jsonResponse = site.get("/feed.json");
      assertThat(jsonResponse.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/feed+json");
      JsonNode json = new ObjectMapper().readTree(jsonResponse.body());
      assertThat(json.path("version").asText()).isEqualTo("https://jsonfeed.org/version/1.1");
      assertThat(json.path("title").asText()).isNotBlank();
      assertThat(json.path("feed_url").asText()).endsWith("/feed.json");
      assertThat(json.path("items")).hasSize(20);
      for (JsonNode item : json.path("items")) {
        assertThat(item.path("id").isTextual()).isTrue();
        assertThat(item.has("content_html") || item.has("content_text")).isTrue();
        OffsetDateTime.parse(item.path("date_published").asText());
        assertThat(item.path("authors").get(0).path("name").asText()).isNotBlank();
      }

      Element section = xml(site.get("/section/city/feed.xml").body()).getDocumentElement();
      for (Element item : children(children(section, null, "channel").getFirst(), null, "item")) {
        assertThat(text(item, null, "link")).contains("/city/");
      }
      assertThat(site.get("/author/ines-varga/atom.xml").statusCode()).isEqualTo(200);
      assertThat(site.get("/tag/twinning/feed.json").body()).contains("twinning");
      assertThat(site.get("/section/nowhere/feed.xml").statusCode()).isEqualTo(404);

      // The feed follows new articles (its cached copy is evicted).
      Article fresh = site.article("Ferry timetable changes");
      assertThat(site.get("/feed.xml").body()).contains("Ferry timetable changes");

      // Comments feed of one article.
      HttpResponse<String> comments = site.get(site.path(fresh) + "/comments.xml");
      assertThat(comments.statusCode()).isEqualTo(200);
      assertThat(xml(comments.body()).getDocumentElement().getAttribute("version"))
          .isEqualTo("2.0");

      // Every page links its feeds.
      assertThat(Jsoup.parse(site.get("/").body()).select("link[rel=alternate]").eachAttr("href"))
          .contains("/feed.xml", "/atom.xml", "/feed.json");
      assertThat(
              Jsoup.parse(site.get("/section/city").body())
                  .select("link[rel=alternate]")
                  .eachAttr("href"))
          .contains("/section/city/feed.xml");

      // Excerpts only, when the newsroom says so.
      site.app().settings().put("feed.full-text", "false");
      assertThat(site.get("/feed.json").body()).doesNotContain("content_html");
    }
  }

  @Test
  void sitemapsAndRobotsFollowTheProtocol() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      String index = site.get("/sitemap.xml").body();
      validSitemap(index);
      Element root = xml(index).getDocumentElement();
      assertThat(root.getLocalName()).isEqualTo("sitemapindex");
      List<String> maps = new java.util.ArrayList<>();
      for (Element sitemap : children(root, DistributionPages.SITEMAP_NS, "sitemap")) {
        maps.add(text(sitemap, DistributionPages.SITEMAP_NS, "loc"));
      }
      assertThat(maps).hasSize(4);
      for (String map : maps) {
        String path = map.substring(map.indexOf("/sitemaps/"));
        HttpResponse<String> response = site.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        validSitemap(response.body());
      }
      Element articles = xml(site.get("/sitemaps/articles-1.xml").body()).getDocumentElement();
      assertThat(children(articles, DistributionPages.SITEMAP_NS, "url")).hasSize(32);
      String news = site.get("/sitemaps/news.xml").body();
      assertThat(news)
          .contains(
              "<news:name>The Halden Courier</news:name>", "<news:language>en</news:language>");
      assertThat(site.get("/sitemaps/articles-9.xml").statusCode()).isEqualTo(404);
      String robots = site.get("/robots.txt").body();
      assertThat(robots).contains("Disallow: /admin", "Sitemap: http://127.0.0.1:8080/sitemap.xml");
    }
  }

  @Test
  void articlePagesCarryStructuredDataAndSocialTags() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      var page = Jsoup.parse(site.get(site.path(article)).body());
      assertThat(page.select("link[rel=canonical]").attr("href")).endsWith(site.path(article));
      assertThat(page.select("meta[property=og:title]").attr("content"))
          .isEqualTo(article.headline());
      assertThat(page.select("meta[name=twitter:card]").attr("content")).startsWith("summary");
      String ld = page.select("script[type=application/ld+json]").html();
      JsonNode graph = new ObjectMapper().readTree(ld);
      JsonNode newsArticle = graph.get(0);
      assertThat(newsArticle.path("@type").asText()).isEqualTo("NewsArticle");
      assertThat(newsArticle.path("headline").asText()).isEqualTo(article.headline());
      assertThat(newsArticle.path("isAccessibleForFree").asBoolean()).isTrue();
      assertThat(newsArticle.path("author").get(0).path("name").asText()).isNotBlank();
      assertThat(newsArticle.path("publisher").path("name").asText())
          .isEqualTo("The Halden Courier");
      Instant.parse(newsArticle.path("datePublished").asText());
      assertThat(graph.get(1).path("@type").asText()).isEqualTo("BreadcrumbList");
      assertThat(graph.get(1).path("itemListElement")).hasSize(3);

      Article hostile =
          site.app()
              .articles()
              .create(
                  new ArticleDraft(
                      "",
                      "city",
                      "Closing </script><script>alert(1)</script> tags",
                      "",
                      "Body.",
                      ArticleStatus.PUBLISHED,
                      null,
                      List.of("ines-varga"),
                      List.of(),
                      null));
      String html = site.get(site.path(hostile)).body();
      assertThat(html).doesNotContain("<script>alert(1)</script>");
      String hostileLd = Jsoup.parse(html).select("script[type=application/ld+json]").html();
      assertThat(new ObjectMapper().readTree(hostileLd).get(0).path("headline").asText())
          .contains("</script>");
      assertThat(Map.of()).isEmpty();
    }
  }
}
