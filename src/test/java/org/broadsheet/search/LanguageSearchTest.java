package org.broadsheet.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** Ukrainian and Russian sites: inflected words find each other; suggestions complete headlines. */
class LanguageSearchTest {

  private static SearchIndex index(Locale language, String... headlinesAndBodies) {
    SearchIndex index = new SearchIndex(new ByteBuffersDirectory(), language);
    for (int i = 0; i < headlinesAndBodies.length; i += 2) {
      index.put(
          new IndexedArticle(
              i / 2 + 1,
              "a" + i,
              headlinesAndBodies[i],
              "",
              headlinesAndBodies[i + 1],
              "news",
              List.of("reporter"),
              List.of(),
              Instant.parse("2026-11-20T10:00:00Z").plusSeconds(i)));
    }
    index.commit(1);
    return index;
  }

  @Test
  void ukrainianFindsOtherFormsOfTheSameWord() {
    try (SearchIndex index =
        index(
            Locale.forLanguageTag("uk"),
            "У Києві відкрили новий міст через Дніпро",
            "Міська рада повідомила, що рух мостом почнеться в понеділок.",
            "Футбольний клуб переміг у фіналі",
            "Команда зіграла на стадіоні у Львові.")) {
      assertThat(index.search("Київ", 5)).containsExactly(1L);
      assertThat(index.search("мости", 5)).containsExactly(1L);
      assertThat(index.search("стадіон", 5)).containsExactly(2L);
      assertThat(index.suggest("новий мі", 5))
          .extracting(SearchIndex.Suggestion::id)
          .containsExactly(1L);
    }
  }

  @Test
  void russianFindsOtherFormsOfTheSameWord() {
    try (SearchIndex index =
        index(
            Locale.forLanguageTag("ru"),
            "В Москве открыли новую библиотеку",
            "Библиотека работает ежедневно.",
            "Выборы в городской совет",
            "Городские выборы пройдут весной.")) {
      assertThat(index.search("библиотеки", 5)).containsExactly(1L);
      assertThat(index.search("выборах", 5)).containsExactly(2L);
    }
  }

  @Test
  void englishSuggestionsCompleteTheLastWordAndNeedTheOthers() {
    try (SearchIndex index =
        index(
            Locale.ENGLISH,
            "Kessel Channel dredging paused",
            "A tribunal paused the work.",
            "Kestrel nests found on the cathedral",
            "Birdwatchers are delighted.",
            "Café owners welcome the tram",
            "Traders say footfall is up.")) {
      assertThat(index.suggest("kes", 5))
          .extracting(SearchIndex.Suggestion::id)
          .containsExactly(2L, 1L);
      assertThat(index.suggest("kessel ch", 5))
          .extracting(SearchIndex.Suggestion::id)
          .containsExactly(1L);
      assertThat(index.suggest("cafe", 5))
          .extracting(SearchIndex.Suggestion::id)
          .containsExactly(3L);
      assertThat(index.suggest("\" * ? : ~", 5)).isEmpty();
      assertThat(index.suggest("", 5)).isEmpty();
    }
  }
}
