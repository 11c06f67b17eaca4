package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Cluster;
import org.broadsheet.testing.Eventually;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several nodes (separate JVMs, separate data and index folders) on one PostgreSQL schema: rounds
 * of simultaneous writes on every node while readers keep pages cached, and after each round every
 * node's article pages, front page, feed and search agree with the database within one second.
 * Prints the propagation figures; {@code -Dcluster.nodes=3 -Dcluster.rounds=50} runs it bigger
 * (bench/propagation.sh).
 */
class ClusterIT {

  static final int NODES = Integer.getInteger("cluster.nodes", 2);
  static final int ROUNDS = Integer.getInteger("cluster.rounds", 20);
  static final int ARTICLES_PER_NODE = 3;

  private Backend.TestDatabase database;
  private Jdbi jdbi;
  private org.broadsheet.storage.Database db;

  @BeforeEach
  void create() {
    database = Backend.POSTGRESQL.create();
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
    database.close();
  }

  static String word(int n) {
    return Cluster.word(n);
  }

  private record Seeded(List<List<Long>> articlesByNode, List<Long> drafts) {}

  /** Articles for each node to edit and comment on, and one draft per round to publish. */
  private Seeded seed() {
    List<List<Long>> byNode = new ArrayList<>();
    List<Long> drafts = new ArrayList<>();
    try (Broadsheet app = Broadsheet.create(database.config(), Clock.systemUTC())) {
      var articles = app.articles();
      articles.createSection("news", "News", "");
      articles.createAuthor("reporter", "Rita Reporter", "");
      for (int n = 0; n < NODES; n++) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < ARTICLES_PER_NODE; i++) {
          ids.add(
              create(articles, "Harbour story " + word(1000 + n * 10 + i), ArticleStatus.PUBLISHED)
                  .id());
        }
        byNode.add(ids);
      }
      for (int r = 0; r < ROUNDS * NODES; r++) {
        drafts.add(create(articles, "Late edition " + word(5000 + r), ArticleStatus.DRAFT).id());
      }
    }
    db = org.broadsheet.storage.Database.open(database.config());
    jdbi = db.jdbi();
    return new Seeded(byNode, drafts);
  }

  private static Article create(
      org.broadsheet.article.ArticleService articles, String headline, ArticleStatus status) {
    return articles.create(
        new ArticleDraft(
            "",
            "news",
            headline,
            "",
            "A body about the harbour.",
            status,
            null,
            List.of("reporter"),
            List.of(),
            null));
  }

  private long pendingComment(long articleId, int n) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO comments (article_id, author_name, body, status, created_at, body_hash)"
                        + " VALUES (:a, 'Reader', :b, 'pending', 0, :b)")
                .bind("a", articleId)
                .bind("b", "Comment number " + n)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
  }

  private int approvedInDatabase(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM comments WHERE article_id = :a AND status = 'approved'")
                .bind("a", articleId)
                .mapTo(Integer.class)
                .one());
  }

  private String headlineInDatabase(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT headline FROM articles WHERE id = :a")
                .bind("a", articleId)
                .mapTo(String.class)
                .one());
  }

  private static int count(String page, String needle) {
    int n = 0;
    for (int at = page.indexOf(needle); at >= 0; at = page.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  /** What every node must show after a round; empty when it does. */
  private List<String> stale(
      Cluster.Node node, Map<Long, String> paths, List<Long> edited, List<Long> published) {
    List<String> problems = new ArrayList<>();
    String home = node.get("/").body();
    String feed = node.get("/feed.xml").body();
    for (var entry : paths.entrySet()) {
      long id = entry.getKey();
      String page = node.get(entry.getValue()).body();
      String headline = headlineInDatabase(id);
      if (!page.contains(headline)) {
        problems.add("article " + id + " lacks its headline " + headline);
      }
      int shown = count(page, "data-comment-id=\"");
      int approved = approvedInDatabase(id);
      if (shown != approved) {
        problems.add("article " + id + " shows " + shown + " comments of " + approved);
      }
    }
    for (long id : edited) {
      String headline = headlineInDatabase(id);
      String token = headline.substring(headline.lastIndexOf(' ') + 1);
      if (!node.get("/search?q=" + token).body().contains(paths.get(id))) {
        problems.add("search for " + token + " misses article " + id);
      }
      // The feed holds the newest stories only: one still in it must show its new headline.
      if (feed.contains(paths.get(id)) && !feed.contains(headline)) {
        problems.add("feed shows article " + id + " without its headline " + headline);
      }
    }
    for (long id : published) {
      String headline = headlineInDatabase(id);
      if (!home.contains(headline)) {
        problems.add("front page lacks " + headline);
      }
      if (!feed.contains(headline)) {
        problems.add("feed lacks " + headline);
      }
      String token = headline.substring(headline.lastIndexOf(' ') + 1);
      if (!node.get("/search?q=" + token).body().contains(paths.get(id))) {
        problems.add("search for " + token + " misses article " + id);
      }
    }
    return problems;
  }

  @Test
  void roundsOfSimultaneousWritesOnEveryNodeLeaveNoPageStaleForMoreThanASecond() {
    Seeded seeded = seed();
    int comment = 0;
    try (Cluster cluster = Cluster.start(NODES, database, Map.of())) {
      Map<Long, String> paths = new LinkedHashMap<>();
      for (List<Long> ids : seeded.articlesByNode()) {
        for (long id : ids) {
          paths.put(id, cluster.node(0).call("path " + id));
        }
      }
      List<Long> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<String> late = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        // Every node reads every page first, so what it serves next is from its cache.
        for (Cluster.Node node : cluster.nodes()) {
          assertThat(stale(node, paths, List.of(), List.of())).isEmpty();
        }
        // Then, at once on every node: approve a comment on each of its articles, change the
        // headline of one, and publish one draft.
        List<Long> edited = new ArrayList<>();
        List<Long> published = new ArrayList<>();
        List<CompletableFuture<String>> writes = new ArrayList<>();
        List<Runnable> starts = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
          Cluster.Node node = cluster.node(n);
          for (long id : seeded.articlesByNode().get(n)) {
            long c = pendingComment(id, comment++);
            starts.add(() -> writes.add(node.send("approve " + c)));
          }
          long target = seeded.articlesByNode().get(n).get(round % ARTICLES_PER_NODE);
          String headline = "Harbour story " + word(20_000 + round * 10 + n);
          edited.add(target);
          starts.add(() -> writes.add(node.send("headline " + target + " " + headline)));
          long draft = seeded.drafts().get(round * NODES + n);
          published.add(draft);
          starts.add(() -> writes.add(node.send("publish " + draft)));
        }
        starts.forEach(Runnable::run);
        writes.forEach(CompletableFuture::join);
        long committed = System.nanoTime();
        for (long draft : published) {
          paths.put(draft, cluster.node(0).call("path " + draft));
        }
        // Every node agrees with the database within a second of the last commit (all nodes are
        // read at once).
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        int thisRound = round;
        for (Cluster.Node node : cluster.nodes()) {
          checks.add(
              CompletableFuture.runAsync(
                  () -> {
                    List<String> problems = stale(node, paths, edited, published);
                    while (!problems.isEmpty() && System.nanoTime() - committed < 1_000_000_000L) {
                      problems = stale(node, paths, edited, published);
                    }
                    latencies.add((System.nanoTime() - committed) / 1_000_000);
                    if (!problems.isEmpty()) {
                      late.add("round " + thisRound + ", node " + node.port() + ": " + problems);
                    }
                  }));
        }
        checks.forEach(CompletableFuture::join);
      }
      List<Long> sorted = latencies.stream().sorted().toList();
      System.out.printf(
          "PROPAGATION nodes=%d rounds=%d commit-to-all-pages-agree p50=%d ms p99=%d ms max=%d ms"
              + " stale=%d%n",
          NODES,
          ROUNDS,
          sorted.get(sorted.size() / 2),
          sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
          sorted.getLast(),
          late.size());
      assertThat(late).as("pages still stale a second after the round's last commit").isEmpty();
      for (Cluster.Node node : cluster.nodes()) {
        assertThat(node.logLines("failed on change")).as("followers that failed").isEmpty();
        assertThat(node.logLines(" ERROR ")).isEmpty();
      }
    }
  }

  @Test
  void moreArticlesRecomputedByEveryNodeAtOnceNeverFailAndEveryNodeShowsTheStoredList() {
    List<Long> ids = new ArrayList<>();
    try (Broadsheet app = Broadsheet.create(database.config(), Clock.systemUTC())) {
      var articles = app.articles();
      articles.createSection("news", "News", "");
      articles.createAuthor("reporter", "Rita Reporter", "");
      String[] topics = {"ferry timetable", "harbour dredging", "tide tables", "pier repairs"};
      for (int i = 0; i < 8; i++) {
        ids.add(
            articles
                .create(
                    new ArticleDraft(
                        "",
                        "news",
                        "Harbour " + topics[i % 4] + " " + word(300 + i),
                        "",
                        "The harbour "
                            + topics[i % 4]
                            + " and the harbour ferry, the tide and the pier again.",
                        ArticleStatus.PUBLISHED,
                        null,
                        List.of("reporter"),
                        List.of(),
                        null))
                .id());
      }
    }
    db = org.broadsheet.storage.Database.open(database.config());
    jdbi = db.jdbi();
    try (Cluster cluster = Cluster.start(2, database, Map.of())) {
      for (int round = 0; round < 10; round++) {
        // Both nodes change the same two stories at once, so both recompute the same lists at once.
        List<CompletableFuture<String>> writes = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
          for (int k = 0; k < 2; k++) {
            long id = ids.get((round + k) % ids.size());
            writes.add(
                cluster
                    .node(n)
                    .send("headline " + id + " Harbour news " + word(400 + round * 4 + n * 2 + k)));
          }
        }
        writes.forEach(CompletableFuture::join);
      }
      for (Cluster.Node node : cluster.nodes()) {
        Eventually.until(
            "node has applied every change", () -> node.call("caught-up").equals("true"));
      }
      for (Cluster.Node node : cluster.nodes()) {
        assertThat(node.logLines("failed on change"))
            .as("followers that failed: %s", node.logFrom("failed on change", 40))
            .isEmpty();
        assertThat(node.logLines("duplicate key")).isEmpty();
      }
      for (long id : ids) {
        List<String> stored =
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT a.headline FROM related_articles r JOIN articles a ON a.id = r.related_id"
                                + " WHERE r.article_id = :id ORDER BY r.rank")
                        .bind("id", id)
                        .mapTo(String.class)
                        .list());
        assertThat(stored).as("article %d has a stored list", id).isNotEmpty();
        String path = cluster.node(0).call("path " + id);
        for (Cluster.Node node : cluster.nodes()) {
          Eventually.until(
              "node shows the stored More Articles of " + id,
              java.time.Duration.ofSeconds(2),
              () -> {
                String page = node.get(path).body();
                return page.substring(page.indexOf("id=\"more-heading\""))
                    .contains(stored.getFirst());
              });
        }
      }
    }
  }

  @Test
  void firstRunSetupOnTwoNodesAtOnceMakesOneAdmin() {
    db = org.broadsheet.storage.Database.open(database.config());
    db.migrate();
    jdbi = db.jdbi();
    try (Cluster cluster = Cluster.start(2, database, Map.of())) {
      List<CompletableFuture<String>> tries = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        tries.add(cluster.node(i % 2).send("setup admin" + i + "@example.org"));
      }
      List<String> answers = tries.stream().map(CompletableFuture::join).toList();
      assertThat(answers).containsOnlyOnce("created");
      assertThat(answers.stream().filter("already"::equals)).hasSize(5);
      int admins =
          jdbi.withHandle(
              h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
      assertThat(admins).isEqualTo(1);
    }
  }

  @Test
  void parallelWrongPasswordsOnTwoNodesMeetTheHumanCheckFromTheThirdOn() {
    try (Broadsheet app = Broadsheet.create(database.config(), Clock.systemUTC())) {
      app.newsroom()
          .addMember(
              "editor@example.org",
              "Eda Editor",
              "the right password, long enough",
              org.broadsheet.account.Role.EDITOR,
              org.broadsheet.account.Actor.system("test"));
    }
    try (Cluster cluster = Cluster.start(2, database, Map.of())) {
      List<CompletableFuture<String>> tries = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        tries.add(cluster.node(i % 2).send("signin editor@example.org wrong password " + i));
      }
      List<String> answers = tries.stream().map(CompletableFuture::join).toList();
      assertThat(answers.stream().filter("Failure"::equals))
          .as("guesses checked without the human check")
          .hasSize(org.broadsheet.account.Accounts.CHECK_AFTER);
      assertThat(answers.stream().filter("NeedsHumanCheck"::equals))
          .hasSize(12 - org.broadsheet.account.Accounts.CHECK_AFTER);
    }
  }

  @Test
  void aKeyRotatedOnOneNodeIsUsedByEveryNodeAtOnce() {
    try (Cluster cluster = Cluster.start(2, database, Map.of())) {
      Cluster.Node a = cluster.node(0);
      Cluster.Node b = cluster.node(1);
      String before = b.call("key");
      assertThat(a.call("key")).isEqualTo(before);
      String signedBefore = b.call("check comment:1");

      String rotated = a.call("rotate");
      assertThat(rotated).isNotEqualTo(before);
      Eventually.until(
          "the other node signs with the new key",
          java.time.Duration.ofSeconds(1),
          () -> b.call("key").equals(rotated));
      // Challenges signed with the new key on either node pass on both; the old key's still pass
      // for the grace period.
      assertThat(a.call("verify comment:1 " + b.call("check comment:1"))).isEqualTo("true");
      assertThat(b.call("verify comment:1 " + a.call("check comment:1"))).isEqualTo("true");
      assertThat(a.call("verify comment:1 " + signedBefore)).isEqualTo("true");
    }
  }

  @Test
  void commentAndSignUpLimitsHoldExactlyAcrossNodes() throws Exception {
    Seeded seeded;
    try (Broadsheet app = Broadsheet.create(database.config(), Clock.systemUTC())) {
      app.articles().createSection("news", "News", "");
      app.articles().createAuthor("reporter", "Rita Reporter", "");
      seeded =
          new Seeded(
              List.of(List.of(create(app.articles(), "Limits", ArticleStatus.PUBLISHED).id())),
              List.of());
    }
    db = org.broadsheet.storage.Database.open(database.config());
    jdbi = db.jdbi();
    long article = seeded.articlesByNode().getFirst().getFirst();
    Map<String, String> settings = new HashMap<>();
    settings.put("BROADSHEET_COMMENTS_PER_IP_PER_MINUTE", "6");
    settings.put("BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE", "1000");
    settings.put("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0");
    settings.put("BROADSHEET_COMMENTS_POLICY", "none");
    settings.put("BROADSHEET_HUMAN_CHECK_DIFFICULTY", "1000");
    try (Cluster cluster = Cluster.start(2, database, settings)) {
      List<Map<String, String>> forms = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("article", Long.toString(article));
        form.put("comment", "Parallel comment " + i);
        form.put("name", "Reader " + i);
        form.put("email", "reader" + i + "@example.org");
        form.put("url", "");
        form.put("altcha", cluster.node(i % 2).call("check comment:" + article));
        forms.add(form);
      }
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<CompletableFuture<Integer>> posts = new ArrayList<>();
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(50)) {
        for (int i = 0; i < 100; i++) {
          Cluster.Node node = cluster.node(i % 2);
          Map<String, String> form = forms.get(i);
          posts.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return node.postForm("/comments", form).statusCode();
                  },
                  pool));
        }
        go.countDown();
      }
      List<Integer> statuses = posts.stream().map(CompletableFuture::join).toList();
      assertThat(statuses.stream().filter(s -> s == 429)).hasSize(94);
      int stored =
          jdbi.withHandle(
              h ->
                  h.createQuery("SELECT COUNT(*) FROM comments WHERE article_id = :a")
                      .bind("a", article)
                      .mapTo(Integer.class)
                      .one());
      assertThat(stored).isEqualTo(6);

      List<CompletableFuture<String>> signUps = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        signUps.add(cluster.node(i % 2).send("subscribe parallel" + i + "@example.org"));
      }
      List<String> answers = signUps.stream().map(CompletableFuture::join).toList();
      assertThat(answers.stream().filter("accepted"::equals)).hasSize(20);
      assertThat(answers.stream().filter("limited"::equals)).hasSize(80);
    }
  }
}
