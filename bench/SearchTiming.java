// In-process timings on a generated corpus (see SearchCorpus.java), with the site stopped:
//  - More Articles computation per article (SearchIndex.related, as stored on publish),
//  - search per query on one thread, and the WordPress-style reference: SQL LIKE over the same
//    articles in the same SQLite file,
// and writes the queries it used to QUERIES_FILE for the HTTP load test.
// Usage: java -cp target/broadsheet.jar bench/SearchTiming.java DATA_DIR SAMPLES QUERIES_FILE
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.broadsheet.Broadsheet;
import org.broadsheet.Config;
import org.broadsheet.search.IndexGenerations;
import org.broadsheet.search.SearchIndex;
import org.broadsheet.storage.Database;

public class SearchTiming {
  static String summary(String what, long[] nanos) {
    Arrays.sort(nanos);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
    return String.format("%s: n=%d mean=%.2f ms p50=%.2f ms p99=%.2f ms max=%.2f ms", what, nanos.length, mean,
        nanos[nanos.length / 2] / 1e6, nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
        nanos[nanos.length - 1] / 1e6);
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int samples = Integer.parseInt(args[1]);
    Path queriesFile = Path.of(args[2]);
    Config config = Config.defaults().with(Map.of("BROADSHEET_DATA_DIR", data.toString()));
    IndexGenerations generations = new IndexGenerations(config.searchIndexDir());
    Random r = new Random(7);
    List<String> queries = new ArrayList<>();
    try (Database database = Database.open(config);
        SearchIndex index = Broadsheet.openSearchIndex(config, generations.dir(generations.current()))) {
      int size = index.size();
      List<Long> ids = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM articles WHERE status = 'published'").mapTo(Long.class).list());
      for (int i = 0; i < 400; i++) {
        String headline = database.jdbi().withHandle(h -> h.createQuery("SELECT headline FROM articles WHERE id = :id")
            .bind("id", ids.get(r.nextInt(ids.size()))).mapTo(String.class).one());
        String[] words = headline.split(" ");
        queries.add(words[1] + " " + words[words.length - 1]);
      }
      Files.write(queriesFile, queries);
      for (int i = 0; i < 300; i++) { // warm-up
        index.related(ids.get(r.nextInt(ids.size())), 10);
        index.search(queries.get(i % queries.size()), 20);
      }
      long[] related = new long[samples];
      for (int i = 0; i < samples; i++) {
        long id = ids.get(r.nextInt(ids.size()));
        long t = System.nanoTime();
        index.related(id, 10);
        related[i] = System.nanoTime() - t;
      }
      long[] search = new long[samples];
      for (int i = 0; i < samples; i++) {
        String q = queries.get(i % queries.size());
        long t = System.nanoTime();
        index.search(q, new SearchIndex.Filters("", "", null, null), false, 0, 20);
        search[i] = System.nanoTime() - t;
      }
      int likeSamples = Math.min(20, samples);
      long[] like = new long[likeSamples];
      for (int i = 0; i < likeSamples; i++) {
        String[] words = queries.get(i).split(" ");
        long t = System.nanoTime();
        database.jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM articles WHERE status = 'published' AND (headline LIKE :a OR body_markdown LIKE :a)"
                    + " AND (headline LIKE :b OR body_markdown LIKE :b) ORDER BY published_at DESC LIMIT 20")
            .bind("a", "%" + words[0] + "%").bind("b", "%" + words[1] + "%").mapTo(Long.class).list());
        like[i] = System.nanoTime() - t;
      }
      System.out.println("articles in index: " + size);
      System.out.println(summary("More Articles computation per article", related));
      System.out.println(summary("search, one thread, in process (20 results with snippets)", search));
      System.out.println(summary("reference: SQL LIKE search, one thread", like));
    }
  }
}
