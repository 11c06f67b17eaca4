package org.broadsheet.article;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.broadsheet.article.Publication.Action;
import org.broadsheet.site.Section;
import org.broadsheet.support.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The publication rules on their own: which status and time each button gives. */
class PublicationTest {

  static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
  static final Instant LIVE_SINCE = Instant.parse("2026-11-30T08:00:00Z");

  static Article article(ArticleStatus status, Instant publishedAt) {
    return new Article(
        7,
        "ferry",
        new Section(1, "city", "City", "", 1),
        "Ferry",
        "",
        "",
        "",
        status,
        publishedAt,
        null,
        LIVE_SINCE,
        LIVE_SINCE,
        null,
        List.of(),
        List.of(),
        List.of());
  }

  @Test
  void publishingANewArticleLeavesTheTimeToNow() {
    var d = Publication.decide(Action.PUBLISH, null, "", KYIV, true);
    assertThat(d.status()).isEqualTo(ArticleStatus.PUBLISHED);
    assertThat(d.publishedAt()).isNull();
  }

  @Test
  void republishingALiveArticleKeepsItsPublicationTimeAndAddress() {
    var d =
        Publication.decide(
            Action.PUBLISH, article(ArticleStatus.PUBLISHED, LIVE_SINCE), "", KYIV, true);
    assertThat(d.publishedAt()).isEqualTo(LIVE_SINCE);
  }

  @Test
  void savingKeepsTheStatusAndTimeOfScheduledAndLiveArticles() {
    for (ArticleStatus status : List.of(ArticleStatus.SCHEDULED, ArticleStatus.PUBLISHED)) {
      var d = Publication.decide(Action.SAVE, article(status, LIVE_SINCE), "", KYIV, true);
      assertThat(d.status()).isEqualTo(status);
      assertThat(d.publishedAt()).isEqualTo(LIVE_SINCE);
    }
    var draft = Publication.decide(Action.SAVE, null, "", KYIV, false);
    assertThat(draft.status()).isEqualTo(ArticleStatus.DRAFT);
    assertThat(draft.inReview()).isNull();
  }

  @Test
  void schedulingReadsTheTimeInTheSiteTimeZone() {
    var d = Publication.decide(Action.SCHEDULE, null, "2026-12-01T07:30", KYIV, true);
    assertThat(d.status()).isEqualTo(ArticleStatus.SCHEDULED);
    assertThat(d.publishedAt()).isEqualTo(Instant.parse("2026-12-01T05:30:00Z"));
    assertThatThrownBy(() -> Publication.decide(Action.SCHEDULE, null, "tomorrow", KYIV, true))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsOnlyKeys("publishAt")
                    .containsValue(
                        "Give the date and time to publish, for example 2026-12-01T07:30"
                            + " (Europe/Kyiv)."));
  }

  @Test
  void aTimeBeyondTheCalendarIsAFieldErrorNotAFault() {
    for (String far :
        List.of("99999999-01-01T00:00", "+999999999-12-31T23:59", "0001-01-01T00:00")) {
      assertThatThrownBy(() -> Publication.decide(Action.SCHEDULE, null, far, KYIV, true))
          .as(far)
          .isInstanceOf(ValidationException.class)
          .satisfies(
              e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("publishAt"));
    }
  }

  @Test
  void reviewMarksOnlyDrafts() {
    assertThat(Publication.decide(Action.REVIEW, null, "", KYIV, false).inReview()).isTrue();
    assertThat(
            Publication.decide(
                    Action.REVIEW, article(ArticleStatus.PUBLISHED, LIVE_SINCE), "", KYIV, true)
                .inReview())
        .isNull();
  }

  @Test
  void unpublishingTakesTheArticleDown() {
    var d =
        Publication.decide(
            Action.UNPUBLISH, article(ArticleStatus.PUBLISHED, LIVE_SINCE), "", KYIV, true);
    assertThat(d.status()).isEqualTo(ArticleStatus.UNPUBLISHED);
    assertThat(d.inReview()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = Action.class,
      names = {"PUBLISH", "SCHEDULE", "UNPUBLISH"})
  void onlyMembersWhoMayPublishPressThePublishingButtons(Action action) {
    assertThatThrownBy(() -> Publication.decide(action, null, "2026-12-01T07:30", KYIV, false))
        .isInstanceOf(Publication.NotAllowed.class);
  }

  @Test
  void theFormsSpellingsAreTheActions() {
    assertThat(Publication.Action.parse("publish")).isEqualTo(Action.PUBLISH);
    assertThat(Publication.Action.parse("PUBLISH")).isNull();
    assertThat(Publication.Action.parse(null)).isNull();
  }
}
