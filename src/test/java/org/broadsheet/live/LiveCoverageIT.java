package org.broadsheet.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live coverage through the newsroom, on both databases: a story goes live, updates are posted,
 * edited, pinned, marked as key events and deleted, and the coverage is closed; the cached public
 * page shows each change at once (newest first, pinned on top, key events listed, edits marked,
 * deleted ones gone, bodies sanitized); a refused update keeps what was typed; a contributor cannot
 * post.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class LiveCoverageIT {

  private static final String PASSWORD = "correct horse battery staple";

  private final Backend backend;

  LiveCoverageIT(Backend backend) {
    this.backend = backend;
  }

  private static Browserless member(TestApp site, String email, String name, Role role) {
    site.app()
        .newsroom()
        .addMember(email, name, PASSWORD, role, org.broadsheet.account.Actor.system("test"));
    Browserless b = new Browserless("http://127.0.0.1:" + site.app().port());
    b.signIn(email, PASSWORD);
    return b;
  }

  private static Document page(TestApp site, Article story) {
    return Jsoup.parse(site.get(site.path(story)).body());
  }

  @Test
  void aStoryGoesLiveTakesUpdatesAndCloses() throws Exception {
    try (TestApp site = TestApp.start(backend, true)) {
      long id = site.app().articles().latest(ArticleFilter.ALL, 1, 0).getFirst().id();
      Article story = site.app().articles().byId(id).orElseThrow();
      Browserless ed = member(site, "eda@example.org", "Eda Editor", Role.EDITOR);
      String base = "/admin/articles/" + id + "/live";
      assertThat(page(site, story).select("#live")).isEmpty();
      ed.get("/admin/articles/" + id);
      assertThat(ed.post(base + "/start", Map.of()).statusCode()).isEqualTo(303);
      assertThat(page(site, story).select("#live .live-badge").text()).isEqualTo("Live");
      // While live, the page may load any provider's frame (a later update may embed one).
      assertThat(
              site.get(site.path(story))
                  .headers()
                  .firstValue("Content-Security-Policy")
                  .orElseThrow())
          .contains("https://www.youtube-nocookie.com", "https://open.spotify.com");
      assertThat(page(site, story).select(".kicker a.live-badge").attr("href")).isEqualTo("#live");

      HttpResponse<String> empty =
          ed.post(base + "/updates", Map.of("updateHeadline", "Kept", "updateBody", " "));
      assertThat(empty.statusCode()).isEqualTo(422);
      assertThat(Jsoup.parse(empty.body()).selectFirst("#field-updateHeadline").attr("value"))
          .as("what was typed comes back")
          .isEqualTo("Kept");
      ed.post(
          base + "/updates",
          Map.of(
              "updateHeadline",
              "",
              "updateBody",
              "First boats leave.",
              "updateAuthors",
              java.util.List.of("eda-editor", "ines-varga")));
      ed.post(
          base + "/updates",
          Map.of(
              "updateHeadline",
              "Bridge reopens",
              "updateBody",
              "The bridge is open again.<script>alert(1)</script>"));
      // An update's link alone on its line is an embed card, as in the story itself.
      ed.post(
          base + "/updates",
          Map.of("updateBody", "Watch:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ"));
      assertThat(page(site, story).select("#live .live-update figure.embed").attr("data-embed"))
          .isEqualTo("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
      long video = site.app().liveCoverage().stream(id).orElseThrow().newestFirst().getFirst().id();
      ed.post(base + "/updates/" + video, Map.of("action", "delete"));
      // From the live desk (composer beside the stream), back to the desk.
      assertThat(ed.get(base).body()).contains("Post the update", "First boats leave.");
      HttpResponse<String> fromDesk =
          ed.post(
              base + "/updates",
              Map.of("updateHeadline", "", "updateBody", "A wrong report.", "back", "desk"));
      assertThat(fromDesk.headers().firstValue("Location").orElseThrow())
          .contains("/admin/articles/" + id + "/live?done=live-posted");
      var updates = site.app().liveCoverage().stream(id).orElseThrow().newestFirst();
      assertThat(updates).hasSize(3);
      assertThat(updates.getFirst().bodyMarkdown()).isEqualTo("A wrong report.");
      long first = updates.get(2).id();
      long bridge = updates.get(1).id();
      long wrong = updates.get(0).id();
      // The page follows each post at once (the page cache is evicted through the change feed).
      assertThat(page(site, story).select("#live .live-updates .live-update")).hasSize(3);

      ed.post(base + "/updates/" + first, Map.of("action", "pin"));
      ed.post(base + "/updates/" + bridge, Map.of("action", "key"));
      ed.post(
          base + "/updates/" + bridge,
          Map.of(
              "action", "edit", "updateHeadline", "Bridge reopens at noon", "updateBody", "Open."));
      ed.post(base + "/updates/" + wrong, Map.of("action", "delete"));

      Document doc = page(site, story);
      Element live = doc.selectFirst("#live");
      assertThat(live.select(".live-updates .live-update").eachAttr("id"))
          .containsExactly("update-" + bridge, "update-" + first);
      assertThat(live.select("#pinned-update-" + first)).hasSize(1);
      assertThat(live.select(".live-key-events a").eachText())
          .containsExactly("Bridge reopens at noon");
      assertThat(live.selectFirst(".live-key-events a").attr("href"))
          .isEqualTo("#update-" + bridge);
      assertThat(live.selectFirst("#update-" + bridge + " .live-edited")).isNotNull();
      assertThat(live.text()).doesNotContain("A wrong report.");
      assertThat(live.select("script")).isEmpty();
      assertThat(live.selectFirst("#update-" + first + " .live-update-author").text())
          .as("two bylines on the scene")
          .isEqualTo("Eda Editor and Ines Varga");
      assertThat(live.selectFirst("#update-" + bridge + " .live-update-author").text())
          .as("none chosen: the poster's own")
          .isEqualTo("Eda Editor");

      // Search engines read a LiveBlogPosting with its updates and their permalinks.
      var jsonLd =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(doc.selectFirst("script[type=application/ld+json]").data())
              .get(0);
      assertThat(jsonLd.get("@type").asText()).isEqualTo("LiveBlogPosting");
      assertThat(jsonLd.has("coverageStartTime")).isTrue();
      assertThat(jsonLd.get("liveBlogUpdate")).hasSize(2);
      assertThat(jsonLd.get("liveBlogUpdate").get(0).get("url").asText())
          .endsWith("#update-" + bridge);

      // Feeds of the updates: RSS, Atom and JSON Feed, newest first, linked from the page.
      String path = site.path(story);
      assertThat(doc.select("link[rel=alternate][href=" + path + "/updates.xml]")).hasSize(1);
      HttpResponse<String> rss = site.get(path + "/updates.xml");
      assertThat(rss.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/rss+xml");
      var items =
          javax.xml.parsers.DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(new org.xml.sax.InputSource(new java.io.StringReader(rss.body())))
              .getElementsByTagName("item");
      assertThat(items.getLength()).isEqualTo(2);
      assertThat(site.get(path + "/updates.atom").body()).contains("<feed", "#update-" + bridge);
      var json =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(site.get(path + "/updates.json").body());
      assertThat(json.get("items")).hasSize(2);
      assertThat(json.get("items").get(0).get("title").asText())
          .isEqualTo("Bridge reopens at noon");

      assertThat(ed.post(base + "/close", Map.of()).statusCode()).isEqualTo(303);
      Document closed = page(site, story);
      assertThat(closed.select("#live .live-badge, .kicker .live-badge")).isEmpty();
      assertThat(closed.select("#live .live-since").text()).contains("ended");
      assertThat(closed.select("#live .live-updates .live-update")).hasSize(2);
      assertThat(closed.selectFirst("script[type=application/ld+json]").data())
          .contains("coverageEndTime");
      assertThat(ed.post(base + "/updates", Map.of("updateBody", "Too late.")).statusCode())
          .isEqualTo(422);
      assertThat(site.app().audit().latest(40, 0).stream().map(e -> e.action()).toList())
          .contains(
              "live.start",
              "live.post",
              "live.edit",
              "live.pin",
              "live.key-event",
              "live.delete",
              "live.close");

      Browserless contributor =
          member(site, "cora@example.org", "Cora Contributor", Role.CONTRIBUTOR);
      contributor.get("/admin");
      assertThat(contributor.post(base + "/updates", Map.of("updateBody", "Mine")).statusCode())
          .isEqualTo(403);
    }
  }
}
