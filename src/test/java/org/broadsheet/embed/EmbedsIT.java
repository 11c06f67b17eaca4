package org.broadsheet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.media.TestImages;
import org.broadsheet.support.OutboundHttp;
import org.broadsheet.support.PublicAddresses;
import org.broadsheet.support.TaskQueue;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Embeds as readers get them, on both databases: a link alone on its line becomes a card that
 * contacts nobody, the page's Content-Security-Policy allows exactly its providers' frames (and no
 * page without embeds allows any), unknown links stay links; with fetching on, the provider's title
 * and a local thumbnail appear on the card (a local stand-in speaks YouTube's oEmbed format),
 * fetched once.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class EmbedsIT {

  private static final String BODY =
      """
      The harbour council met at noon.

      https://www.youtube.com/watch?v=dQw4w9WgXcQ

      https://x.com/harbourdesk/status/1850000000000000000

      The minutes are at https://example.org/minutes for anyone who asks.

      https://example.org/unknown-link
      """;

  private final Backend backend;
  private TestApp site;

  EmbedsIT(Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void start() {
    site = TestApp.start(backend, true);
  }

  @AfterEach
  void stop() {
    site.close();
  }

  private Article publish(String headline, String body) {
    return site.app()
        .articles()
        .create(
            new ArticleDraft(
                "",
                "city",
                headline,
                "",
                body,
                ArticleStatus.PUBLISHED,
                null,
                List.of("ines-varga"),
                List.of(),
                null));
  }

  @Test
  void aLinkAloneOnItsLineBecomesACardAndOnlyThatPageAllowsItsProvidersFrames() {
    Article story = publish("The council votes on the harbour", BODY);
    for (int visit = 0; visit < 2; visit++) { // rendered, then from the page cache
      HttpResponse<String> page = site.get(site.path(story));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .as("visit %d", visit)
          .contains("frame-src https://platform.twitter.com https://www.youtube-nocookie.com;")
          .contains("default-src 'self'")
          .doesNotContain("youtube.com ");
      Document doc = Jsoup.parse(page.body());
      List<Element> cards = doc.select("figure.embed");
      assertThat(cards).hasSize(2);
      assertThat(cards.get(0).attr("data-embed"))
          .isEqualTo("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
      assertThat(cards.get(0).hasClass("embed-wide")).isTrue();
      assertThat(cards.get(0).selectFirst(".embed-provider").text()).isEqualTo("YouTube video");
      assertThat(cards.get(0).selectFirst("button.embed-load").text()).isEqualTo("Play the video");
      assertThat(cards.get(0).selectFirst(".embed-note a").attr("href"))
          .isEqualTo("https://www.youtube.com/watch?v=dQw4w9WgXcQ");
      assertThat(cards.get(1).attr("data-embed"))
          .startsWith("https://platform.twitter.com/embed/Tweet.html");
      // Nothing on the page would make a reader's browser call a provider before a click.
      assertThat(
              doc.select(
                  "iframe, script[src^=http], img[src^=http], link[href^=http]:not([rel=canonical]):not([rel=alternate])"))
          .isEmpty();
      Element body = doc.selectFirst(".story-body");
      assertThat(body.select("a[href=https://example.org/unknown-link]")).hasSize(1);
      assertThat(body.select("a[href=https://example.org/minutes]")).hasSize(1);
    }
    Article plain = publish("A story with no embeds", "Only words here.");
    // No deck: search engines get the story's opening words.
    assertThat(
            Jsoup.parse(site.get(site.path(plain)).body())
                .selectFirst("meta[name=description]")
                .attr("content"))
        .isEqualTo("Only words here.");
    for (String path : List.of(site.path(plain), "/", "/section/city")) {
      assertThat(site.get(path).headers().firstValue("Content-Security-Policy").orElseThrow())
          .as(path)
          .doesNotContain("frame-src");
    }
    // Fetching is off by default: nothing was asked of anyone.
    int rows =
        site.app()
            .database()
            .jdbi()
            .withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM embed_cards").mapTo(Integer.class).one());
    assertThat(rows).isZero();
  }

  @Test
  void withFetchingOnTheCardShowsTheProvidersTitleAndALocalThumbnailFetchedOnce() throws Exception {
    InetAddress outside = InetAddress.getByName("127.0.0.2");
    AtomicInteger oembedCalls = new AtomicInteger();
    HttpServer provider = HttpServer.create(new InetSocketAddress(outside, 0), 0);
    String base = "http://127.0.0.2:" + provider.getAddress().getPort();
    byte[] thumbnail = TestImages.jpeg(1280, 720);
    provider.createContext(
        "/oembed",
        ex -> {
          oembedCalls.incrementAndGet();
          String query = ex.getRequestURI().getRawQuery();
          byte[] json =
              query.contains("youtube")
                  ? ("{\"type\":\"video\",\"version\":\"1.0\",\"title\":\"Cranes <b>at</b> dawn\","
                          + "\"author_name\":\"Harbour Desk\",\"provider_name\":\"YouTube\","
                          + "\"thumbnail_url\":\""
                          + base
                          + "/vi/dQw4w9WgXcQ/hqdefault.jpg\",\"thumbnail_width\":480,"
                          + "\"thumbnail_height\":360}")
                      .getBytes(StandardCharsets.UTF_8)
                  : new byte[0];
          ex.sendResponseHeaders(query.contains("youtube") ? 200 : 500, json.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(json);
          }
        });
    provider.createContext(
        "/vi/",
        ex -> {
          ex.getResponseHeaders().add("Content-Type", "image/jpeg");
          ex.sendResponseHeaders(200, thumbnail.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(thumbnail);
          }
        });
    provider.start();
    OutboundHttp http =
        new OutboundHttp(
            host -> host.equals("127.0.0.2"),
            a -> a.equals(outside) || PublicAddresses.isPublic(a),
            true,
            Duration.ofSeconds(5),
            "Broadsheet test");
    try (http) {
      EmbedCards cards =
          new EmbedCards(
              site.app().database().jdbi(),
              site.app().changes(),
              site.app().clock(),
              Optional.of(
                  new EmbedCards.Fetching(
                      http,
                      new TaskQueue("test"),
                      id -> site.app().articles().byId(id).map(Article::bodyHtml),
                      site.app().media()::storeThumbnail,
                      p -> base + "/oembed?provider=" + p.name().toLowerCase() + "&url=")));
      Article story = publish("The council votes on the harbour", BODY);
      String path = site.path(story);
      assertThat(Jsoup.parse(site.get(path).body()).select(".embed-title")).isEmpty();

      cards.fetchFor(story.id(), story.bodyHtml());

      Document doc =
          Eventually.value(
              "the page shows the fetched card",
              () -> {
                Document d = Jsoup.parse(site.get(path).body());
                return d.select(".embed-title").isEmpty() ? null : d;
              });
      Element card = doc.selectFirst("figure.embed");
      // The provider's markup is text on our page, never markup.
      assertThat(card.selectFirst(".embed-title").text()).isEqualTo("Cranes <b>at</b> dawn");
      assertThat(card.selectFirst(".embed-author").text()).isEqualTo("Harbour Desk");
      Element img = card.selectFirst("img.embed-thumb");
      assertThat(img.attr("src")).matches("/media/[0-9a-f]{32}\\.jpg");
      assertThat(img.attr("width")).isEqualTo("800");
      assertThat(img.attr("height")).isEqualTo("450");
      assertThat(img.attr("srcset")).isNotBlank();
      HttpResponse<byte[]> stored = site.getBytes(img.attr("src"));
      assertThat(stored.statusCode()).isEqualTo(200);
      assertThat(stored.headers().firstValue("Content-Type")).hasValue("image/jpeg");
      // X has an oEmbed endpoint; the stand-in refused it: a plain card, and a note in the table.
      assertThat(doc.select("figure.embed").get(1).select(".embed-title")).isEmpty();

      int calls = oembedCalls.get();
      assertThat(calls).isEqualTo(2);
      cards.fetchFor(story.id(), story.bodyHtml());
      assertThat(oembedCalls)
          .as("a fetched card and a fresh failure are not asked again")
          .hasValue(calls);
    } finally {
      provider.stop(0);
    }
  }
}
