package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.article.Correction;
import org.broadsheet.site.Links;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.RawHttp;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicPagesIT {

  private static TestApp site;

  @BeforeAll
  static void start() {
    site = TestApp.start(Backend.SQLITE, true);
  }

  @AfterAll
  static void stop() {
    site.close();
  }

  private static String firstArticlePath(String html) {
    Matcher m =
        Pattern.compile("href=\"(/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/[a-z0-9-]+)\"").matcher(html);
    assertThat(m.find()).as("an article link on the page").isTrue();
    return m.group(1);
  }

  @Test
  void frontPageShowsTheDemoNewspaper() {
    HttpResponse<String> home = site.get("/");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(home.body())
        .contains("The Halden Courier", "<main id=\"main\"", "aria-label=\"Sections\"", "Latest");
    assertThat(Pattern.compile("<h1[ >]").matcher(home.body()).results().count()).isEqualTo(1);
  }

  @Test
  void articlePageHasEveryRegionOfTheReferencePage() {
    String path = firstArticlePath(site.get("/").body());
    HttpResponse<String> page = site.get(path);
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.body();
    assertThat(html)
        .contains(
            "id=\"headline\"",
            "class=\"deck\"",
            "rel=\"author\"",
            "<time datetime=\"",
            "class=\"story-body\"",
            "› Subscribe",
            "Leave a Reply",
            "More Articles",
            "<link rel=\"canonical\" href=\"http://127.0.0.1:8080" + path + "\"");
    assertThat(Pattern.compile("<h1[ >]").matcher(html).results().count()).isEqualTo(1);
    assertThat(html).doesNotContain("<script>").doesNotContain("style=\"");
  }

  @Test
  void anArticleWithCorrectionsListsThemAndSaysUpdated() {
    Article corrected =
        site.app().articles().latest(org.broadsheet.article.ArticleFilter.ALL, 100, 0).stream()
            .map(s -> site.app().articles().byId(s.id()).orElseThrow())
            .filter(a -> !a.corrections().isEmpty())
            .findFirst()
            .orElseThrow();
    String html = site.get(new Links(java.time.ZoneId.of("UTC"), "").article(corrected)).body();
    assertThat(html)
        .contains(
            "Corrections and updates",
            corrected.corrections().getFirst().kind().label(),
            "Updated <time");
  }

  @Test
  void anArticleAtAnOldAddressMovesPermanently() {
    String path = firstArticlePath(site.get("/").body());
    String wrongDate = path.replaceFirst("/\\d{4}/\\d{2}/\\d{2}/", "/2001/01/01/");
    HttpResponse<String> moved = site.get(wrongDate);
    assertThat(moved.statusCode()).isEqualTo(301);
    assertThat(moved.headers().firstValue("Location").orElseThrow()).endsWith(path);
  }

  @Test
  void sectionTagAndAuthorPagesList() {
    assertThat(site.get("/section/city").body()).contains("<h1>City", "class=\"card\"");
    assertThat(site.get("/tag/harbour").body()).contains("<h1>Harbour");
    assertThat(site.get("/author/ines-varga").body()).contains("<h1>Ines Varga");
  }

  @Test
  void paginationWorksAndStopsAtTheEnd() {
    assertThat(site.get("/?page=2").statusCode()).isEqualTo(200);
    assertThat(site.get("/?page=2").body()).contains("rel=\"prev\"");
    assertThat(site.get("/?page=3").statusCode()).isEqualTo(200);
    assertThat(site.get("/?page=4").statusCode()).isEqualTo(404);
    assertThat(site.get("/section/city?page=2").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/?page=-1",
        "/?page=abc",
        "/?page=99999999999",
        "/?page=0",
        "/section/city?page=1.5",
        "/tag/harbour?page=-3"
      })
  void badPageNumbersAre400InTheSiteLook(String path) {
    HttpResponse<String> response = site.get(path);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("The Halden Courier", "whole number")
        .doesNotContain("Exception", "at org.");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/no-such-page",
        "/section/nowhere",
        "/tag/nothing-here",
        "/author/nobody",
        "/city/2026/11/27/no-such-story",
        "/city/2026/11/27/Bad_Slug",
        "/city/20266/11/27/x",
        "/section/UPPER",
        "/assets/css/site.css",
        "/media/demo/../../etc/passwd",
        "/media/demo/missing.svg",
        "/a/b/c/d/e/f/g"
      })
  void unknownAndMalformedPathsAre404InTheSiteLook(String path) {
    HttpResponse<String> response = site.get(path);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .contains("The Halden Courier", "Page not found")
        .doesNotContain("Exception");
    assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void overlongUrlsAreRefusedInTheSiteLook() {
    HttpResponse<String> long5k = site.get("/" + "a".repeat(5_000));
    assertThat(long5k.statusCode()).isEqualTo(404);
    String huge = RawHttp.get(site.app().port(), "/" + "a".repeat(20_000));
    assertThat(RawHttp.status(huge)).isIn(400, 414, 431);
    assertThat(huge).contains("The Halden Courier", "Address too long").doesNotContain("Exception");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%zz", "/section/%E0%A4%A", "/%", "/tag/%00", "/%C0%AF"})
  void invalidPercentEncodingIsA400InTheSiteLook(String raw) {
    String response = RawHttp.get(site.app().port(), raw);
    assertThat(RawHttp.status(response)).isIn(400, 404);
    assertThat(response)
        .contains("The Halden Courier")
        .contains("Content-Security-Policy")
        .doesNotContain("Exception", "at org.");
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    for (String path : List.of("/", "/nope", "/?page=x", "/healthz")) {
      HttpResponse<String> response = site.get(path);
      assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
          .doesNotContain("unsafe-inline");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(response.headers().firstValue("Referrer-Policy")).isPresent();
    }
  }

  @Test
  void anonymousPagesAreSharedCacheableWithValidators() {
    HttpResponse<String> first = site.get("/");
    assertThat(first.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(first.headers().firstValue("Cache-Control").orElseThrow())
        .contains("public", "max-age=60", "stale-while-revalidate");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[0-9a-f]+\"");
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

    HttpResponse<String> again = site.get("/", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(site.get("/", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    assertThat(site.get("/", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void gzipIsServedToClientsThatAskForIt() throws Exception {
    HttpResponse<byte[]> zipped = site.getBytes("/", "Accept-Encoding", "gzip");
    assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(zipped.headers().firstValue("Vary")).contains("Accept-Encoding");
    String html =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(html).isEqualTo(site.get("/").body());
    assertThat(zipped.headers().firstValue("ETag").orElseThrow()).endsWith("-gz\"");
  }

  @Test
  void assetsAreFingerprintedAndImmutable() {
    Matcher css =
        Pattern.compile("href=\"(/assets/css/site\\.[0-9a-f]+\\.css)\"")
            .matcher(site.get("/").body());
    assertThat(css.find()).isTrue();
    HttpResponse<String> asset = site.get(css.group(1));
    assertThat(asset.statusCode()).isEqualTo(200);
    assertThat(asset.headers().firstValue("Cache-Control").orElseThrow())
        .contains("immutable", "max-age=31536000");
    assertThat(asset.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
  }

  @Test
  void scriptsAndStylesAreServedPrecompressedWithStrongETags() throws Exception {
    Matcher js =
        Pattern.compile("src=\"(/assets/js/[a-z-]+\\.[0-9a-f]+\\.js)\"")
            .matcher(site.get("/").body());
    assertThat(js.find()).isTrue();
    String plain = site.get(js.group(1)).body();
    var client = java.net.http.HttpClient.newHttpClient();
    for (String[] ask :
        new String[][] {{"gzip", "gzip"}, {"br, gzip", "br"}, {"gzip, br;q=0", "gzip"}}) {
      var response =
          client.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(site.url(js.group(1))))
                  .header("Accept-Encoding", ask[0])
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.headers().firstValue("Content-Encoding")).contains(ask[1]);
      assertThat(response.headers().firstValue("Vary")).contains("Accept-Encoding");
      String etag = response.headers().firstValue("ETag").orElseThrow();
      assertThat(etag).as("a strong ETag").startsWith("\"").doesNotStartWith("W/");
      byte[] body = response.body();
      String text =
          ask[1].equals("gzip")
              ? new String(
                  new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))
                      .readAllBytes(),
                  java.nio.charset.StandardCharsets.UTF_8)
              : new String(
                  com.aayushatharva.brotli4j.decoder.Decoder.decompress(body).getDecompressedData(),
                  java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text).isEqualTo(plain);
      assertThat(body.length).isLessThan(plain.length());
      var again =
          client.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(site.url(js.group(1))))
                  .header("Accept-Encoding", ask[0])
                  .header("If-None-Match", etag)
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(again.statusCode()).isEqualTo(304);
    }
  }

  @Test
  void editingAnArticleEvictsExactlyTheAffectedPages() {
    PageCache cache = site.app().pageCache();
    String path = firstArticlePath(site.get("/section/sport").body());
    Article sport =
        site.app().articles().bySlug(path.substring(path.lastIndexOf('/') + 1)).orElseThrow();
    // An unrelated article elsewhere: not on the sport article's More Articles, nor it on theirs.
    var index = site.app().searchIndex();
    java.util.Set<Long> near = new java.util.HashSet<>();
    index.related(sport.id(), 4).forEach(r -> near.add(r.id()));
    Article unrelated =
        site
            .app()
            .articles()
            .latest(
                org.broadsheet.article.ArticleFilter.section(
                    site.app().articles().section("culture").orElseThrow().id()),
                20,
                0)
            .stream()
            .filter(c -> !near.contains(c.id()))
            .filter(c -> index.related(c.id(), 4).stream().noneMatch(r -> r.id() == sport.id()))
            .map(c -> site.app().articles().byId(c.id()).orElseThrow())
            .findFirst()
            .orElseThrow();
    String cityPath = new Links(java.time.ZoneId.of("UTC"), "").article(unrelated);
    site.get(path);
    site.get(cityPath);
    site.get("/section/sport");
    site.get("/section/culture");
    site.get("/");
    assertThat(cache.contains(path)).isTrue();

    site.app()
        .articles()
        .update(
            sport.id(),
            new ArticleDraft(
                sport.slug(),
                "sport",
                sport.headline() + " (revised)",
                sport.deck(),
                sport.bodyMarkdown(),
                ArticleStatus.PUBLISHED,
                null,
                sport.authors().stream().map(a -> a.slug()).toList(),
                sport.tags().stream().map(t -> t.name()).toList(),
                sport.image()));

    assertThat(cache.contains(path)).isFalse();
    assertThat(cache.contains("/section/sport")).isFalse();
    assertThat(cache.contains("/")).isFalse();
    assertThat(cache.contains(cityPath)).as("an article in another section stays cached").isTrue();
    assertThat(cache.contains("/section/culture")).as("another section stays cached").isTrue();
    assertThat(site.get(path).body()).contains("(revised)", "Updated <time");
  }

  @Test
  void publishingShowsTheNewStoryAndACorrectionShowsAtOnce() {
    Article published =
        site.app()
            .articles()
            .create(
                new ArticleDraft(
                    "",
                    "culture",
                    "Choir festival adds a second weekend",
                    "Demand for tickets.",
                    "The organisers said so.",
                    ArticleStatus.PUBLISHED,
                    null,
                    List.of("marit-solberg"),
                    List.of("Arts"),
                    null));
    assertThat(site.get("/").body()).contains("Choir festival adds a second weekend");
    assertThat(site.get("/section/culture").body())
        .contains("Choir festival adds a second weekend");
    assertThat(site.get("/tag/arts").body()).contains("Choir festival adds a second weekend");
    String path = new Links(java.time.ZoneId.of("UTC"), "").article(published);
    assertThat(site.get(path).body()).doesNotContain("Corrections and updates");
    site.app()
        .articles()
        .addCorrection(
            published.id(), Correction.Kind.CORRECTION, "The festival is in June, not July.", null);
    assertThat(site.get(path).body())
        .contains("Corrections and updates", "The festival is in June, not July.");
  }

  @Test
  void healthAndReadinessAnswerAndAreNotCached() {
    HttpResponse<String> health = site.get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("ok");
    HttpResponse<String> ready = site.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void escapingKeepsMarkupInTextAsText() {
    Article article =
        site.app()
            .articles()
            .create(
                new ArticleDraft(
                    "",
                    "city",
                    "Council <script>alert(1)</script> & \"quotes\"",
                    "<img src=x onerror=alert(2)>",
                    "Body",
                    ArticleStatus.PUBLISHED,
                    null,
                    List.of("ines-varga"),
                    List.of(),
                    null));
    String html = site.get(new Links(java.time.ZoneId.of("UTC"), "").article(article)).body();
    assertThat(html)
        .contains(
            "<h1 id=\"headline\">Council &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\"</h1>",
            "content=\"&lt;img src=x onerror=alert(2)>\"")
        .doesNotContain("<script>alert(1)")
        .doesNotContain("<img src=x");
  }

  @Test
  void cacheHitsAndMissesAnswerAlike() {
    String path = firstArticlePath(site.get("/").body());
    site.app().pageCache().clear();
    HttpResponse<String> miss = site.get(path);
    assertThat(site.app().pageCache().contains(path)).isTrue();
    HttpResponse<String> hit = site.get(path);
    assertThat(hit.body()).isEqualTo(miss.body());
    for (String header :
        List.of(
            "ETag",
            "Last-Modified",
            "Cache-Control",
            "Content-Security-Policy",
            "Vary",
            "X-Content-Type-Options")) {
      assertThat(hit.headers().firstValue(header))
          .as(header)
          .isEqualTo(miss.headers().firstValue(header));
    }
    assertThat(
            hit.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase())
        .isEqualTo(
            miss.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());
    assertThat(site.get(path + "?utm_source=x").body())
        .as("unknown query parameters share the cached page")
        .isEqualTo(miss.body());
  }
}
