// Generates a synthetic newspaper for the search benchmark: COUNT published articles written from
// invented words, grouped into news stories that share people, a place, an organisation, topic
// words and tags (so More Articles has real structure to find). Deterministic (seed 42).
// Usage: java -cp target/broadsheet.jar bench/SearchCorpus.java DATA_DIR COUNT
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.broadsheet.Config;
import org.broadsheet.storage.Database;

public class SearchCorpus {
  static final String[] SYLLABLES = {
    "ka", "lor", "ven", "mi", "tas", "dor", "bel", "rin", "sa", "mor", "tel", "qui", "na", "vor",
    "les", "pa", "dun", "ri", "hal", "sto", "ber", "nik", "ol", "gra", "fen", "wy", "zar", "ul",
    "tem", "cas", "bro", "lin", "hed", "ask", "mar", "vel", "tor", "jun", "ist", "eld"
  };
  static final String[] COMMON = (
      "council city plan report residents work week said minister official public new year people"
          + " local service cost budget meeting decision support local district road street school"
          + " water club team match season court police hospital market price company jobs staff"
          + " board members vote proposal project building museum festival weather river harbour"
          + " station line bus tram rail power energy housing rent families children health doctors")
      .split(" ");

  static String word(Random r, int syllables) {
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < syllables; i++) {
      w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
    }
    return w.toString();
  }

  static String name(Random r) {
    String w = word(r, 2 + r.nextInt(2));
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }

  record Story(String person1, String person2, String place, String org, String[] topic, int[] tags) {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    Random r = new Random(42);
    String[] vocabulary = new String[4000];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = word(r, 2 + r.nextInt(2));
    }
    int storyCount = Math.max(8, count / 20);
    List<Story> stories = new ArrayList<>();
    for (int i = 0; i < storyCount; i++) {
      String[] topic = new String[6];
      for (int t = 0; t < topic.length; t++) {
        topic[t] = vocabulary[r.nextInt(vocabulary.length)];
      }
      stories.add(
          new Story(
              name(r) + " " + name(r),
              name(r) + " " + name(r),
              name(r),
              name(r) + " " + (r.nextBoolean() ? "Group" : "Trust"),
              topic,
              new int[] {1 + 2 * r.nextInt(150), 2 + 2 * r.nextInt(150)}));
    }
    Config config = Config.defaults().with(Map.of("BROADSHEET_DATA_DIR", data.toString()));
    try (Database database = Database.open(config)) {
      database.migrate();
      long now = System.currentTimeMillis();
      database.jdbi().useTransaction(h -> {
        String[] sections = {"city", "politics", "business", "sport", "culture", "science", "world", "opinion"};
        for (int i = 0; i < sections.length; i++) {
          h.execute("INSERT INTO sections (slug, name, position) VALUES (?, ?, ?)", sections[i],
              Character.toUpperCase(sections[i].charAt(0)) + sections[i].substring(1), i);
        }
        for (int i = 1; i <= 40; i++) {
          h.execute("INSERT INTO authors (slug, name) VALUES (?, ?)", "reporter-" + i, name(r) + " " + name(r));
        }
        for (int i = 1; i <= 300; i++) {
          h.execute("INSERT INTO tags (slug, name) VALUES (?, ?)", "tag-" + i, name(r));
        }
      });
      int batch = 2000;
      for (int from = 0; from < count; from += batch) {
        int start = from;
        database.jdbi().useTransaction(h -> {
          var articles = h.prepareBatch(
              "INSERT INTO articles (id, slug, section_id, headline, deck, body_markdown, body_html, status,"
                  + " published_at, created_at, modified_at) VALUES (:id, :slug, :section, :headline, :deck,"
                  + " :md, :html, 'published', :at, :at, :at)");
          var authors = h.prepareBatch("INSERT INTO article_authors (article_id, author_id, position) VALUES (:a, :b, 0)");
          var tags = h.prepareBatch("INSERT INTO article_tags (article_id, tag_id) VALUES (:a, :t)");
          for (int i = start; i < Math.min(count, start + batch); i++) {
            long id = i + 1;
            Story s = stories.get(r.nextInt(stories.size()));
            String headline = (r.nextBoolean() ? s.person1() : s.org()) + " " + s.topic()[r.nextInt(6)]
                + " " + s.topic()[r.nextInt(6)] + " " + COMMON[r.nextInt(COMMON.length)] + " in " + s.place();
            String deck = "The " + COMMON[r.nextInt(COMMON.length)] + " " + s.topic()[r.nextInt(6)]
                + " drew " + s.person2() + " into the " + s.topic()[r.nextInt(6)] + " debate.";
            StringBuilder body = new StringBuilder();
            int sentences = 8 + r.nextInt(6);
            for (int k = 0; k < sentences; k++) {
              int words = 10 + r.nextInt(12);
              StringBuilder sentence = new StringBuilder();
              for (int w = 0; w < words; w++) {
                int pick = r.nextInt(10);
                String next = pick < 3 ? s.topic()[r.nextInt(6)]
                    : pick < 6 ? COMMON[r.nextInt(COMMON.length)]
                    : vocabulary[r.nextInt(vocabulary.length)];
                sentence.append(sentence.isEmpty() ? Character.toUpperCase(next.charAt(0)) + next.substring(1) : next).append(' ');
              }
              if (r.nextInt(3) == 0) {
                sentence.append("said ").append(r.nextBoolean() ? s.person1() : s.person2()).append(" of ").append(s.org()).append(' ');
              }
              body.append(sentence.toString().strip()).append(k % 4 == 3 ? ".\n\n" : ". ");
            }
            String md = body.toString().strip();
            String html = "<p>" + md.replace("\n\n", "</p><p>") + "</p>";
            long at = now - (long) (count - i) * 600_000L;
            articles.bind("id", id).bind("slug", "article-" + id).bind("section", 1 + r.nextInt(8))
                .bind("headline", headline).bind("deck", deck).bind("md", md).bind("html", html)
                .bind("at", at).add();
            authors.bind("a", id).bind("b", 1 + r.nextInt(40)).add();
            for (int t : s.tags()) {
              tags.bind("a", id).bind("t", t).add();
            }
          }
          articles.execute();
          authors.execute();
          tags.execute();
        });
        System.err.printf("\rgenerated %d/%d", Math.min(count, start + batch), count);
      }
      System.err.println();
    }
  }
}
