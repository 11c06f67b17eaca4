package org.broadsheet.article;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.storage.Database;
import org.broadsheet.support.Markdown;
import org.broadsheet.support.ValidationException;
import org.broadsheet.testing.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class ArticleServiceIT {

  private static final Instant NOW = Instant.parse("2026-11-20T09:30:00Z");

  private final Backend backend;
  private Backend.TestDatabase testDatabase;
  private Database database;
  private ChangeFeed feed;
  private ArticleService articles;
  private final List<Change> changes = new ArrayList<>();

  ArticleServiceIT(Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void open() {
    testDatabase = backend.create();
    database = Database.open(testDatabase.config());
    database.migrate();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    feed = new ChangeFeed(database.jdbi(), clock, java.time.Duration.ofSeconds(1));
    feed.follow("test", changes::add);
    articles =
        new ArticleService(
            database.jdbi(),
            feed,
            new Markdown("https://news.example.org"),
            clock,
            ZoneOffset.UTC,
            org.broadsheet.article.RelatedChoices.NONE,
            new org.broadsheet.account.Audit(database.jdbi(), clock));
    articles.createSection("city", "City", "Local news");
    articles.createSection("sport", "Sport", "");
    articles.createAuthor("ada-lind", "Ada Lind", "Covers the harbour.");
    articles.createAuthor("", "Bo Ek", "");
  }

  @AfterEach
  void close() {
    database.close();
    testDatabase.close();
  }

  private ArticleDraft draft(
      String headline, String section, ArticleStatus status, Instant publishedAt) {
    return new ArticleDraft(
        "",
        section,
        headline,
        "A deck",
        "Body **text**.",
        status,
        publishedAt,
        List.of("ada-lind"),
        List.of("Harbour", "Ferries"),
        null);
  }

  @Test
  void publishingStoresEverythingAndRecordsAChange() {
    Article article =
        articles.create(
            new ArticleDraft(
                null,
                "city",
                "Ferry timetable changes for winter",
                "Fewer sailings.",
                "The *winter* timetable starts Monday.\n\n<script>alert(1)</script>",
                ArticleStatus.PUBLISHED,
                null,
                List.of("ada-lind", "bo-ek"),
                List.of("Ferries", "Harbour", "ferries"),
                new Image("/media/ferry.jpg", "A ferry at the quay", "Photo: Ada Lind")));
    assertThat(article.slug()).isEqualTo("ferry-timetable-changes-for-winter");
    assertThat(article.section().slug()).isEqualTo("city");
    assertThat(article.status()).isEqualTo(ArticleStatus.PUBLISHED);
    assertThat(article.publishedAt()).isEqualTo(NOW);
    assertThat(article.bodyHtml()).contains("<em>winter</em>").doesNotContain("<script");
    assertThat(article.authors()).extracting(Author::slug).containsExactly("ada-lind", "bo-ek");
    assertThat(article.tags())
        .extracting(Tag::slug)
        .containsExactlyInAnyOrder("ferries", "harbour");
    assertThat(article.image().alt()).isEqualTo("A ferry at the quay");
    assertThat(changes)
        .anySatisfy(
            c -> {
              assertThat(c.entity()).isEqualTo(Change.Entity.ARTICLE);
              assertThat(c.entityId()).isEqualTo(article.id());
              assertThat(c.kind()).isEqualTo(Change.Kind.PUBLISHED);
            });
  }

  @Test
  void listsShowOnlyPublishedArticlesNewestFirstPerFilter() {
    Article old =
        articles.create(
            draft(
                "Old harbour story",
                "city",
                ArticleStatus.PUBLISHED,
                NOW.minus(Duration.ofDays(2))));
    Article fresh =
        articles.create(
            draft(
                "Fresh harbour story",
                "city",
                ArticleStatus.PUBLISHED,
                NOW.minus(Duration.ofHours(1))));
    Article match =
        articles.create(
            new ArticleDraft(
                "",
                "sport",
                "Cup final tonight",
                "",
                "",
                ArticleStatus.PUBLISHED,
                NOW,
                List.of("bo-ek"),
                List.of("Football"),
                null));
    articles.create(draft("A draft nobody sees", "city", ArticleStatus.DRAFT, null));

    assertThat(articles.latest(ArticleFilter.ALL, 10, 0))
        .extracting(ArticleSummary::id)
        .containsExactly(match.id(), fresh.id(), old.id());
    assertThat(articles.countPublished(ArticleFilter.ALL)).isEqualTo(3);
    long city = articles.section("city").orElseThrow().id();
    assertThat(articles.latest(ArticleFilter.section(city), 10, 0))
        .extracting(ArticleSummary::id)
        .containsExactly(fresh.id(), old.id());
    assertThat(articles.latest(ArticleFilter.section(city).excluding(fresh.id()), 10, 0))
        .extracting(ArticleSummary::id)
        .containsExactly(old.id());
    long football = articles.tag("football").orElseThrow().id();
    assertThat(articles.latest(ArticleFilter.tag(football), 10, 0))
        .extracting(ArticleSummary::id)
        .containsExactly(match.id());
    long bo = articles.author("bo-ek").orElseThrow().id();
    assertThat(articles.latest(ArticleFilter.author(bo), 10, 0))
        .extracting(ArticleSummary::id)
        .containsExactly(match.id());
    assertThat(articles.latest(ArticleFilter.ALL, 1, 1))
        .extracting(ArticleSummary::id)
        .containsExactly(fresh.id());
    assertThat(articles.latest(ArticleFilter.ALL, 10, 0).getFirst().authors())
        .extracting(Author::name)
        .containsExactly("Bo Ek");
  }

  @Test
  void invalidDraftsAreRefusedFieldByFieldAndNothingIsStored() {
    assertThatThrownBy(
            () ->
                articles.create(
                    new ArticleDraft(
                        "Bad Slug!",
                        "nowhere",
                        " ",
                        "x".repeat(500),
                        "",
                        ArticleStatus.SCHEDULED,
                        NOW.minusSeconds(60),
                        List.of("nobody"),
                        List.of(),
                        new Image("/x.jpg", "", null))))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsKeys(
                        "headline", "deck", "slug", "section", "authors", "publishAt", "imageAlt"));
    assertThat(articles.countAll()).isZero();
  }

  @Test
  void slugsAreUniqueAcrossTheSite() {
    articles.create(draft("Same headline", "city", ArticleStatus.PUBLISHED, null));
    assertThatThrownBy(
            () -> articles.create(draft("Same headline", "sport", ArticleStatus.PUBLISHED, null)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("slug")).contains("same-headline"));
    assertThat(articles.countAll()).isEqualTo(1);
  }

  @Test
  void editingAPublishedArticleShowsUpdatedAndKeepsItsPublicationTime() {
    Article article =
        articles.create(
            draft(
                "Bridge closes", "city", ArticleStatus.PUBLISHED, NOW.minus(Duration.ofHours(3))));
    assertThat(article.wasUpdated()).isFalse();
    Article edited =
        articles.update(
            article.id(),
            new ArticleDraft(
                article.slug(),
                "city",
                "Bridge closes for repairs",
                "",
                "New body",
                ArticleStatus.PUBLISHED,
                null,
                List.of("ada-lind"),
                List.of(),
                null));
    assertThat(edited.publishedAt()).isEqualTo(article.publishedAt());
    assertThat(edited.wasUpdated()).isTrue();
    assertThat(edited.headline()).isEqualTo("Bridge closes for repairs");
    assertThat(edited.tags()).isEmpty();
    Article unpublished =
        articles.update(
            article.id(),
            new ArticleDraft(
                article.slug(),
                "city",
                "Bridge closes for repairs",
                "",
                "New body",
                ArticleStatus.UNPUBLISHED,
                null,
                List.of("ada-lind"),
                List.of(),
                null));
    assertThat(unpublished.isPublic()).isFalse();
    assertThat(articles.countPublished(ArticleFilter.ALL)).isZero();
    assertThat(changes)
        .extracting(Change::kind)
        .contains(Change.Kind.PUBLISHED, Change.Kind.UPDATED, Change.Kind.UNPUBLISHED);
  }

  @Test
  void correctionsAreTimestampedAndListedInOrder() {
    Article article =
        articles.create(
            draft(
                "Count of ships", "city", ArticleStatus.PUBLISHED, NOW.minus(Duration.ofHours(3))));
    articles.addCorrection(
        article.id(),
        Correction.Kind.CORRECTION,
        "An earlier version gave the wrong number of ships.",
        null);
    articles.addCorrectionAt(
        article.id(),
        Correction.Kind.UPDATE,
        "The port confirmed the figure.",
        NOW.plusSeconds(60));
    Article reloaded = articles.byId(article.id()).orElseThrow();
    assertThat(reloaded.corrections())
        .extracting(Correction::kind)
        .containsExactly(Correction.Kind.CORRECTION, Correction.Kind.UPDATE);
    assertThat(reloaded.corrections().getFirst().createdAt()).isEqualTo(NOW);
    assertThat(reloaded.wasUpdated()).isTrue();
    assertThatThrownBy(
            () -> articles.addCorrection(article.id(), Correction.Kind.UPDATE, "  ", null))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void sectionSlugsMayNotShadowTheSitesOwnPaths() {
    assertThatThrownBy(() -> articles.createSection("tag", "Tag", ""))
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> articles.createSection("city", "City again", ""))
        .hasMessageContaining("already exists");
    assertThat(articles.createSection("", "Kultur & Léisure", "").slug())
        .isEqualTo("kultur-leisure");
  }

  @Test
  void textInAnyScriptRoundTrips() {
    articles.createSection("svit", "Світ", "");
    Article article =
        articles.create(
            new ArticleDraft(
                "",
                "svit",
                "Київ готується до зими: «тепло для всіх»",
                "Дек — з емодзі 🌍",
                "Текст **жирний**.",
                ArticleStatus.PUBLISHED,
                null,
                List.of("ada-lind"),
                List.of("Енергетика"),
                null));
    Article reloaded = articles.bySlug(article.slug()).orElseThrow();
    assertThat(reloaded.headline()).isEqualTo("Київ готується до зими: «тепло для всіх»");
    assertThat(reloaded.deck()).isEqualTo("Дек — з емодзі 🌍");
    assertThat(reloaded.tags().getFirst().slug()).isEqualTo("enerhetyka");
    assertThat(article.slug()).isEqualTo("kyiv-hotuietsia-do-zymy-teplo-dlia-vsikh");
  }
}
