package org.broadsheet.demo;

import static org.broadsheet.config.Settings.*;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.article.Correction;
import org.broadsheet.article.Image;
import org.broadsheet.site.SiteSettings;

/**
 * The demo newspaper shipped in the jar ({@code demo/demo.json}: The Halden Courier, a fictional
 * regional paper written for Broadsheet). Seeded through the ordinary services, so it exercises the
 * same validation and change feed as real content. Publication times are relative to now.
 */
public final class DemoContent {

  record DemoSite(String title, String tagline) {}

  record DemoSection(String slug, String name, String description) {}

  record DemoAuthor(String slug, String name, String bio) {}

  record DemoImage(String file, String alt, String credit) {}

  record DemoCorrection(String kind, String note, long minutesAfter) {}

  record DemoArticle(
      String slug,
      String section,
      List<String> authors,
      List<String> tags,
      String headline,
      String deck,
      String body,
      long publishedMinutesAgo,
      long updatedMinutesAfter,
      DemoImage image,
      List<DemoCorrection> corrections) {}

  record Demo(
      DemoSite site,
      List<DemoSection> sections,
      List<DemoAuthor> authors,
      List<DemoArticle> articles) {}

  /** What seeding did. */
  public record Result(int sections, int authors, int articles) {}

  private DemoContent() {}

  static Demo load() {
    ObjectMapper mapper =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    try (InputStream in =
        DemoContent.class.getClassLoader().getResourceAsStream("demo/demo.json")) {
      if (in == null) {
        throw new IllegalStateException("demo/demo.json is missing from the jar");
      }
      return mapper.readValue(in, Demo.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the site has no sections and no articles, the only state demo content goes into. */
  public static boolean siteIsEmpty(ArticleService articles) {
    return articles.countAll() == 0 && articles.sections().isEmpty();
  }

  /**
   * Whether {@code serve} seeds demo content: only into an empty embedded (SQLite) database with
   * demo content enabled. PostgreSQL gets it only when asked, with {@code broadsheet demo}.
   */
  public static boolean seedsOnServe(org.broadsheet.config.Config config, ArticleService articles) {
    return config.embeddedDatabase() && config.get(DEMO_CONTENT) && siteIsEmpty(articles);
  }

  /**
   * Seeds the demo site into an empty database. Corrections and updates are dated by the clock
   * passed in, so they are set relative to publication by moving that clock.
   */
  public static Result seed(ArticleService articles, SiteSettings settings, Clock clock) {
    if (!siteIsEmpty(articles)) {
      throw new IllegalStateException(
          "The database already has content; demo content only goes into an empty site.");
    }
    Demo demo = load();
    settings.put(SiteSettings.TITLE, demo.site().title());
    settings.put(SiteSettings.TAGLINE, demo.site().tagline());
    demo.sections().forEach(s -> articles.createSection(s.slug(), s.name(), s.description()));
    demo.authors().forEach(a -> articles.createAuthor(a.slug(), a.name(), a.bio()));
    Instant now = clock.instant();
    List<DemoArticle> oldestFirst =
        demo.articles().stream()
            .sorted((x, y) -> Long.compare(y.publishedMinutesAgo(), x.publishedMinutesAgo()))
            .toList();
    for (DemoArticle d : oldestFirst) {
      Instant published = now.minus(Duration.ofMinutes(d.publishedMinutesAgo()));
      Image image =
          d.image() == null
              ? null
              : new Image("/media/demo/" + d.image().file(), d.image().alt(), d.image().credit());
      Article article =
          articles.create(
              new ArticleDraft(
                  d.slug(),
                  d.section(),
                  d.headline(),
                  d.deck(),
                  d.body(),
                  ArticleStatus.PUBLISHED,
                  published,
                  d.authors(),
                  d.tags(),
                  image));
      for (DemoCorrection c :
          d.corrections() == null ? List.<DemoCorrection>of() : d.corrections()) {
        articles.addCorrectionAt(
            article.id(),
            Correction.Kind.fromDb(c.kind()),
            c.note(),
            published.plus(Duration.ofMinutes(c.minutesAfter())));
      }
      if (d.updatedMinutesAfter() > 0) {
        articles.markUpdated(
            article.id(), published.plus(Duration.ofMinutes(d.updatedMinutesAfter())));
      }
    }
    return new Result(demo.sections().size(), demo.authors().size(), demo.articles().size());
  }
}
