package org.broadsheet.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/** Publish, find, edit, unpublish: the index and More Articles follow every step. */
class SearchLifecycleIT {

  private static ArticleDraft draft(Article a, String headline, ArticleStatus status) {
    return new ArticleDraft(
        a.slug(),
        a.section().slug(),
        headline,
        a.deck(),
        a.bodyMarkdown(),
        status,
        null,
        a.authors().stream().map(x -> x.slug()).toList(),
        a.tags().stream().map(t -> t.name()).toList(),
        a.image());
  }

  @Test
  void publishFindEditUnpublishAndRestart() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      SearchIndex index = site.app().searchIndex();
      assertThat(index.size()).as("the demo paper is indexed at start").isEqualTo(32);
      Article zeppelin =
          site.app()
              .articles()
              .create(
                  new ArticleDraft(
                      "",
                      "city",
                      "Zeppelin hangar becomes a climbing hall",
                      "An old airship shed finds a new life.",
                      "The Westmark zeppelin hangar opens to climbers on Saturday.",
                      ArticleStatus.PUBLISHED,
                      null,
                      List.of("ines-varga"),
                      List.of("Sport"),
                      null));
      assertThat(index.search("zeppelin climbing", 5)).first().isEqualTo(zeppelin.id());
      assertThat(index.search("zeppelins", 5)).as("stemming").contains(zeppelin.id());

      site.app()
          .articles()
          .update(
              zeppelin.id(),
              draft(zeppelin, "Airship shed turns into a bouldering gym", ArticleStatus.PUBLISHED));
      assertThat(index.search("bouldering", 5)).contains(zeppelin.id());
      assertThat(index.search("\"climbing hall\"", 5))
          .as("old headline words are gone")
          .doesNotContain(zeppelin.id());

      HttpResponse<String> page =
          site.get("/search?q=" + URLEncoder.encode("bouldering gym", StandardCharsets.UTF_8));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Airship shed turns into a bouldering gym", "1 result");
      assertThat(site.get("/api/search?q=bouldering").body())
          .contains("\"headline\":\"Airship shed turns into a bouldering gym\"");

      Article story =
          site.app()
              .articles()
              .bySlug("libraries-and-community-centres-open-as-cooling-rooms")
              .orElseThrow();
      List<Long> moreBefore =
          site.app().searchIndex().related(story.id(), 4).stream()
              .map(SearchIndex.Related::id)
              .toList();
      assertThat(moreBefore).isNotEmpty();
      long shown = moreBefore.getFirst();
      Article other = site.app().articles().byId(shown).orElseThrow();
      site.app()
          .articles()
          .update(other.id(), draft(other, other.headline(), ArticleStatus.UNPUBLISHED));
      assertThat(index.search(other.headline(), 10)).doesNotContain(other.id());
      String storyPage = site.get(site.path(story)).body();
      assertThat(storyPage).doesNotContain(site.path(other));

      site.app()
          .articles()
          .update(
              zeppelin.id(),
              draft(
                  zeppelin, "Airship shed turns into a bouldering gym", ArticleStatus.UNPUBLISHED));
      assertThat(index.search("bouldering", 5)).doesNotContain(zeppelin.id());
      assertThat(index.size()).isEqualTo(31);
    }
  }

  @Test
  void oddQueriesGetResultsOrAClearMessageNeverAnErrorPage() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      for (String query :
          List.of(
              "",
              "   ",
              "\" * ? : ~ ^ ( ) [ ] { } \\ /",
              "\"harbour",
              "a".repeat(10_000),
              "🚲 café Київ",
              "AND",
              "((((",
              "harbour dredging")) {
        HttpResponse<String> page =
            site.get("/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertThat(page.statusCode()).as(query).isEqualTo(200);
        assertThat(page.body()).doesNotContain("Exception", "Something went wrong");
      }
      assertThat(site.get("/search?q=").body()).contains("Type a few words");
      assertThat(site.get("/search?q=" + "a".repeat(300)).body()).contains("too long");
      assertThat(site.get("/search?q=harbour+dredging").body())
          .contains("Kessel Channel", "<mark>");
      assertThat(site.get("/search?q=dreging+chanel").body())
          .as("typo tolerance: the corrected words' results, said so")
          .contains("showing results for “dredging channel”", "Kessel Channel");
      String escaped =
          site.get(
                  "/search?q="
                      + URLEncoder.encode(
                          "<script>alert(1)</script> harbour", StandardCharsets.UTF_8))
              .body();
      assertThat(escaped).doesNotContain("<script>alert(1)").contains("&lt;script&gt;");
      String inSport = site.get("/search?q=harbour&section=sport").body();
      assertThat(inSport).doesNotContain("Kessel Channel");
      assertThat(site.get("/api/search/suggest?q=kessel%20ch").body())
          .contains("Kessel Channel", "\"url\":\"/");
      assertThat(site.get("/api/search/suggest?q=%22%20*%20%3F").body()).isEqualTo("[]");
      assertThat(site.get("/api/search/suggest?q=" + "a".repeat(10_000)).statusCode())
          .isEqualTo(200);
      String filtered =
          site.get("/search?q=harbour&author=ines-varga&from=2020-01-01&to=2030-12-31").body();
      assertThat(filtered)
          .contains(
              "value=\"ines-varga\" selected",
              "name=\"from\" type=\"date\" value=\"2020-01-01\"",
              "value=\"2030-12-31\"");
      assertThat(site.get("/search?q=harbour&from=27.11.2026").body())
          .contains("year-month-day")
          .doesNotContain("Something went wrong");
      assertThat(site.get("/api/search?q=harbour&author=nobody-at-all").body())
          .contains("\"total\":0");
      assertThat(site.get("/api/search?q=harbour&from=2001-01-01&to=2001-12-31").body())
          .contains("\"total\":0");
      assertThat(site.get("/api/search?q=harbour&from=yesterday").body())
          .contains("year-month-day");
      String newest = site.get("/api/search?q=heatwave&sort=newest").body();
      assertThat(newest).contains("\"total\"", "\"snippet\"");
    }
  }
}
