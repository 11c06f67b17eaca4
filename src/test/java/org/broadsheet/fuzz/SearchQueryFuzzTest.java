package org.broadsheet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.broadsheet.search.IndexedArticle;
import org.broadsheet.search.SearchIndex;

/**
 * Whatever a reader types into search: an answer, never a syntax error, and snippets whose only
 * markup is the highlight.
 */
class SearchQueryFuzzTest {

  private static final SearchIndex INDEX = index();

  private static SearchIndex index() {
    SearchIndex index = new SearchIndex(new ByteBuffersDirectory(), Locale.ENGLISH);
    index.put(
        new IndexedArticle(
            1,
            "harbour-ferry",
            "Harbour ferry returns after repairs",
            "The <b>old</b> boat & its crew",
            "Commuters cheered \"at last\" as the ferry docked; fares stay at 2.50.",
            "city",
            List.of("ines-varga"),
            List.of("ferries"),
            Instant.parse("2026-11-30T08:00:00Z")));
    index.put(
        new IndexedArticle(
            2,
            "jazz-week",
            "Jazz week announces programme",
            "",
            "Forty concerts in nine days: Київ, Tromsø and São Paulo bands.",
            "culture",
            List.of("tilde-marsh"),
            List.of("music"),
            Instant.parse("2026-11-29T08:00:00Z")));
    index.commit(0);
    return index;
  }

  @FuzzTest(maxDuration = "3s")
  void anyQueryGetsAnAnswer(byte[] input) {
    String query = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    for (boolean newest : new boolean[] {false, true}) {
      SearchIndex.Results results = INDEX.search(query, "", newest, 0, 10);
      for (SearchIndex.Hit hit : results.hits()) {
        String markupLeft = hit.snippetHtml().replace("<mark>", "").replace("</mark>", "");
        assertThat(markupLeft).as(hit.snippetHtml()).doesNotContain("<");
      }
    }
    INDEX.suggest(query, 5);
  }
}
