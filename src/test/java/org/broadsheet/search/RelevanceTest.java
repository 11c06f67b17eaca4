package org.broadsheet.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search quality on our own fixture (64 short articles in 8 stories, 40 reader queries): More
 * Articles should be the same story, and readers should find what they look for near the top.
 */
class RelevanceTest {

  private static SearchIndex index;
  private static final Map<Long, String> storyOf = new HashMap<>();
  private static final Map<String, Long> idOf = new HashMap<>();
  private static JsonNode fixture;

  @BeforeAll
  static void build() throws Exception {
    try (InputStream in = RelevanceTest.class.getResourceAsStream("/relevance/fixture.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    index = new SearchIndex(new ByteBuffersDirectory(), Locale.ENGLISH);
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    long id = 1;
    for (JsonNode a : fixture.path("articles")) {
      List<String> tags = new ArrayList<>();
      a.path("tags").forEach(t -> tags.add(t.asText()));
      index.put(
          new IndexedArticle(
              id,
              a.path("slug").asText(),
              a.path("headline").asText(),
              a.path("deck").asText(),
              a.path("body").asText(),
              a.path("section").asText(),
              List.of("reporter"),
              tags,
              now.minus(Duration.ofDays(a.path("daysAgo").asLong()))));
      storyOf.put(id, a.path("story").asText());
      idOf.put(a.path("slug").asText(), id);
      id++;
    }
    index.commit(1);
  }

  @AfterAll
  static void close() {
    index.close();
  }

  @Test
  void moreArticlesAreFromTheSameStory() {
    double total = 0;
    int articles = 0;
    List<String> misses = new ArrayList<>();
    for (Map.Entry<Long, String> entry : storyOf.entrySet()) {
      List<SearchIndex.Related> related = index.related(entry.getKey(), 5);
      long same =
          related.stream().filter(r -> storyOf.get(r.id()).equals(entry.getValue())).count();
      total += same / 5.0;
      articles++;
      if (same < 4) {
        misses.add(entry.getKey() + ":" + same);
      }
      assertThat(related).extracting(SearchIndex.Related::id).doesNotContain(entry.getKey());
    }
    double precision = total / articles;
    System.out.printf(
        "More Articles precision@5 = %.3f over %d articles; below 4/5: %s%n",
        precision, articles, misses);
    assertThat(precision).isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void theStorySoFarHoldsOnlyTheSameStory() {
    int members = 0;
    int wrong = 0;
    int withStory = 0;
    for (Map.Entry<Long, String> entry : storyOf.entrySet()) {
      List<SearchIndex.Related> story =
          index.related(entry.getKey(), 10).stream()
              .filter(SearchIndex.Related::sameStory)
              .toList();
      withStory += story.size() >= 2 ? 1 : 0;
      for (SearchIndex.Related r : story) {
        members++;
        wrong += storyOf.get(r.id()).equals(entry.getValue()) ? 0 : 1;
      }
    }
    System.out.printf(
        "Story so far: %d members, %d from another story; %d of %d articles list 2 or more%n",
        members, wrong, withStory, storyOf.size());
    assertThat((double) wrong / Math.max(1, members)).isLessThanOrEqualTo(0.05);
    assertThat(withStory).isGreaterThanOrEqualTo(storyOf.size() * 3 / 4);
  }

  @Test
  void readersFindTheArticleTheyLookForInTheTopThree() {
    int found = 0;
    int queries = 0;
    List<String> misses = new ArrayList<>();
    for (JsonNode q : fixture.path("queries")) {
      List<Long> hits = index.search(q.path("query").asText(), 3);
      long target = idOf.get(q.path("target").asText());
      queries++;
      if (hits.contains(target)) {
        found++;
      } else {
        misses.add(q.path("query").asText());
      }
    }
    double share = (double) found / queries;
    System.out.printf(
        "Known-item search: %d of %d in the top 3 (%.2f); missed: %s%n",
        found, queries, share, misses);
    assertThat(share).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void anyQueryTextIsAnswerableWithoutErrors() {
    for (String odd :
        List.of(
            "",
            "   ",
            "\" * ? : ~ ^ ( ) [ ] { } \\ /",
            "\"unbalanced quote",
            "a".repeat(10_000),
            "Ümlaut café 🚲 Київ мост",
            "AND OR NOT",
            "-",
            "+",
            "((((")) {
      assertThat(index.search(odd, 10)).isNotNull();
    }
  }
}
