package org.broadsheet.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.article.ArticleWithMore;
import org.broadsheet.article.RelatedChoices;
import org.broadsheet.cli.Cli;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The story so far, More Articles without duplicate links, the newsroom's pins and exclusions,
 * erasing, and {@code broadsheet reindex} while the site keeps searching.
 */
class RelatedArticlesIT {

  private static List<String> links(Document page, String selector) {
    return page.select(selector + " a[href]").eachAttr("href");
  }

  private static Article publish(
      TestApp site, String section, String headline, String body, Instant at) {
    return site.app()
        .articles()
        .create(
            new ArticleDraft(
                "",
                section,
                headline,
                "",
                body,
                ArticleStatus.PUBLISHED,
                at,
                List.of("ines-varga"),
                List.of(),
                null));
  }

  @Test
  void theStorySoFarIsInTimeOrderAndNoLinkAppearsTwice() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Article museum =
          site.app()
              .articles()
              .bySlug("maritime-museum-sets-reopening-date-after-refit")
              .orElseThrow();
      Article review =
          site.app()
              .articles()
              .bySlug("review-new-maritime-museum-lets-its-people-speak")
              .orElseThrow();
      Article visit =
          site.app()
              .articles()
              .bySlug("thousands-visit-maritime-museum-on-reopening-day")
              .orElseThrow();

      Document page = Jsoup.parse(site.get(site.path(visit)).body());
      List<String> story = links(page, ".story-so-far");
      assertThat(story)
          .as("earlier steps of the museum story")
          .contains(site.path(museum), site.path(review));
      assertThat(page.select(".story-so-far [aria-current=page]").text())
          .contains(visit.headline());
      List<String> times = page.select(".story-so-far time").eachAttr("datetime");
      assertThat(times).isSortedAccordingTo(String::compareTo);
      List<String> more = links(page, ".more-articles .card-title");
      assertThat(more)
          .hasSize(4)
          .doesNotContainAnyElementsOf(story)
          .doesNotContain(site.path(visit));

      // A body link to an article keeps it out of both lists.
      Instant now = Instant.now();
      Article follow =
          publish(
              site,
              "culture",
              "Maritime museum Solveig drifter gets a new mast",
              "The Halden Maritime Museum and director Cordelia Vance said the Solveig needs work. See ["
                  + museum.headline()
                  + "]("
                  + site.path(museum)
                  + ").",
              now.minus(Duration.ofMinutes(5)));
      Document followPage = Jsoup.parse(site.get(site.path(follow)).body());
      assertThat(links(followPage, ".story-body")).contains(site.path(museum));
      assertThat(links(followPage, ".more-articles .card-title")).doesNotContain(site.path(museum));
      assertThat(links(followPage, ".story-so-far")).doesNotContain(site.path(museum));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void editorsPinAndExcludeAndErasedArticlesVanishEverywhere(Backend backend) throws Exception {
    try (TestApp site = TestApp.start(backend, true)) {
      RelatedLists related = site.app().indexer().relatedStore();
      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      Article jazz =
          site.app().articles().bySlug("halden-jazz-week-announces-programme").orElseThrow();
      ArticleWithMore before =
          site.app().articles().publishedWithMore(article.slug()).orElseThrow();
      assertThat(before.more()).extracting(a -> a.id()).doesNotContain(jazz.id());

      related.decide(
          article.id(),
          jazz.id(),
          RelatedChoices.Action.PIN,
          org.broadsheet.account.Actor.system("test"));
      Document pinned = Jsoup.parse(site.get(site.path(article)).body());
      assertThat(links(pinned, ".more-articles .card-title").getFirst()).isEqualTo(site.path(jazz));

      long shownBefore =
          before.story().isEmpty() ? before.more().getFirst().id() : before.story().getFirst().id();
      Article excluded = site.app().articles().byId(shownBefore).orElseThrow();
      related.decide(
          article.id(),
          excluded.id(),
          RelatedChoices.Action.EXCLUDE,
          org.broadsheet.account.Actor.system("test"));
      String excludedPage = site.get(site.path(article)).body();
      assertThat(excludedPage).doesNotContain("href=\"" + site.path(excluded) + "\"");

      StringWriter out = new StringWriter();
      int code =
          Cli.run(
              new PrintWriter(out, true),
              new PrintWriter(new StringWriter(), true),
              java.util.stream.Stream.concat(
                      java.util.stream.Stream.of(
                          "related", article.slug(), "--reset", Long.toString(jazz.id())),
                      site.cliOptions().stream())
                  .toArray(String[]::new));
      assertThat(code).isZero();
      assertThat(out.toString()).contains("Reset", jazz.headline(), "More Articles:");
      assertThat(related.choices(article.id()))
          .containsExactly(new RelatedChoices.Choice(excluded.id(), RelatedChoices.Action.EXCLUDE));
      // The command line wrote in another process: this node follows the change feed.
      Eventually.until(
          "the page to drop the pin the command line reset",
          () ->
              !links(Jsoup.parse(site.get(site.path(article)).body()), ".more-articles .card-title")
                  .getFirst()
                  .equals(site.path(jazz)));

      StringWriter err = new StringWriter();
      assertThat(
              Cli.run(
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(err, true),
                  java.util.stream.Stream.concat(
                          java.util.stream.Stream.of(
                              "related", article.slug(), "--pin", article.slug()),
                          site.cliOptions().stream())
                      .toArray(String[]::new)))
          .isNotZero();
      assertThat(err.toString()).contains("itself");

      // Erase one that many lists show: gone from search, from every list and every page.
      Article erased =
          site.app().articles().bySlug("fjellmark-reservoir-falls-to-41-per-cent").orElseThrow();
      assertThat(related.listing(erased.id())).isNotEmpty();
      List<Long> listing = related.listing(erased.id());
      site.app().articles().erase(erased.id(), null);
      assertThat(site.app().searchIndex().search("Fjellmark reservoir", 10))
          .doesNotContain(erased.id());
      assertThat(related.listing(erased.id())).isEmpty();
      for (Long id : listing) {
        Article other = site.app().articles().byId(id).orElseThrow();
        assertThat(site.get(site.path(other)).body()).doesNotContain(erased.slug());
      }
      assertThat(site.get(site.path(erased)).statusCode()).isEqualTo(404);
      assertThat(site.get("/").body()).doesNotContain(erased.slug());
    }
  }

  @Test
  void reindexBuildsANewIndexWhileTheSiteKeepsSearching() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      SearchIndex index = site.app().searchIndex();
      assertThat(index.search("Kessel Channel dredging", 5)).isNotEmpty();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          Cli.run(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "reindex",
              "--data-dir",
              site.app().config().get(DATA_DIR).toString());
      assertThat(code).as(err.toString()).isZero();
      assertThat(out.toString()).contains("Indexed 32 articles", "gen-2");
      assertThat(err.toString()).contains("Indexing", "More Articles", "32/32");
      assertThat(index.search("Kessel Channel dredging", 5))
          .as("still searching while the new one waits")
          .isNotEmpty();

      var generations = new IndexGenerations(site.app().config().searchIndexDir());
      Eventually.until(
          "the site to switch to the rebuilt index",
          () -> !java.nio.file.Files.exists(generations.dir(1)));
      assertThat(generations.dir(1)).as("the old index is gone once switched").doesNotExist();
      assertThat(generations.current()).isEqualTo(2);
      assertThat(index.size()).isEqualTo(32);
      Article added =
          publish(site, "city", "Night ferry to Skarra returns", "The night ferry is back.", null);
      assertThat(index.search("night ferry Skarra", 5)).first().isEqualTo(added.id());
      assertThat(site.get("/search?q=dredging").body()).contains("Kessel Channel");
    }
  }
}
