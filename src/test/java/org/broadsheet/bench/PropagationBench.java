package org.broadsheet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Cluster;
import org.junit.jupiter.api.Test;

/**
 * How long an edit takes to reach the other nodes: N nodes (separate JVMs) on one PostgreSQL
 * schema; node 1 changes a headline, and watchers on every other node poll (every 5 ms) its article
 * page, a search for the new headline's word and the RSS feed until each shows it. Times run from
 * the moment the edit's call returned (committed) on node 1. A benchmark, not a test: it asserts
 * nothing about time and runs only when asked (bench/propagation.sh); it writes
 * target/bench/propagation-{N}.txt.
 */
class PropagationBench {

  static final int NODES = Integer.getInteger("cluster.nodes", 2);
  static final int EDITS = Integer.getInteger("cluster.edits", 60);

  static String word(int n) {
    return Cluster.word(n);
  }

  @Test
  void measurePropagation() throws Exception {
    try (Backend.TestDatabase database = Backend.POSTGRESQL.create()) {
      List<Long> ids = new ArrayList<>();
      try (Broadsheet app = Broadsheet.create(database.config(), Clock.systemUTC())) {
        app.articles().createSection("news", "News", "");
        app.articles().createAuthor("reporter", "Rita Reporter", "");
        for (int i = 0; i < 5; i++) {
          ids.add(
              app.articles()
                  .create(
                      new ArticleDraft(
                          "",
                          "news",
                          "Harbour story " + word(i),
                          "",
                          "A body.",
                          ArticleStatus.PUBLISHED,
                          null,
                          List.of("reporter"),
                          List.of(),
                          null))
                  .id());
        }
      }
      Map<String, List<Long>> times = new ConcurrentHashMap<>();
      try (Cluster cluster = Cluster.start(NODES, database, Map.of())) {
        Cluster.Node writer = cluster.node(0);
        Map<Long, String> paths = new LinkedHashMap<>();
        for (long id : ids) {
          paths.put(id, writer.call("path " + id));
        }
        for (int edit = 0; edit < EDITS; edit++) {
          long id = ids.get(edit % ids.size());
          String token = word(1000 + edit);
          String headline = "Harbour story " + token;
          String path = paths.get(id);
          // Warm every reader's cache first, so the pages below are served from it.
          for (int n = 1; n < NODES; n++) {
            cluster.node(n).get(path);
            cluster.node(n).get("/feed.xml");
          }
          writer.call("headline " + id + " " + headline);
          long committed = System.nanoTime();
          List<CompletableFuture<Void>> watchers = new ArrayList<>();
          for (int n = 1; n < NODES; n++) {
            Cluster.Node reader = cluster.node(n);
            watchers.add(
                watch(
                    times,
                    "article page",
                    committed,
                    () -> reader.get(path).body(),
                    b -> b.contains(headline)));
            watchers.add(
                watch(
                    times,
                    "search",
                    committed,
                    () -> reader.get("/search?q=" + token).body(),
                    b -> b.contains(path)));
            watchers.add(
                watch(
                    times,
                    "feed",
                    committed,
                    () -> reader.get("/feed.xml").body(),
                    b -> b.contains(headline)));
          }
          watchers.forEach(CompletableFuture::join);
        }
      }
      StringBuilder out = new StringBuilder();
      List<Long> all = new ArrayList<>();
      for (var e : new java.util.TreeMap<>(times).entrySet()) {
        out.append(line(NODES, e.getKey(), e.getValue()));
        all.addAll(e.getValue());
      }
      out.append(line(NODES, "all", all));
      Path file = Path.of("target", "bench", "propagation-" + NODES + ".txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, out.toString());
      System.out.print(out);
    }
  }

  private static String line(int nodes, String what, List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    long p50 = sorted.get(sorted.size() / 2);
    long p99 = sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * 0.99) - 1));
    return String.format(
        "| %d nodes | %s | %d | %.0f ms | %.0f ms | %.0f ms |%n",
        nodes, what, sorted.size(), p50 / 1000.0, p99 / 1000.0, sorted.getLast() / 1000.0);
  }

  private static CompletableFuture<Void> watch(
      Map<String, List<Long>> times,
      String what,
      long committed,
      java.util.function.Supplier<String> page,
      Predicate<String> shows) {
    return CompletableFuture.runAsync(
        () -> {
          long deadline = committed + 30_000_000_000L;
          while (!shows.test(page.get())) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException(what + " never showed the edit");
            }
            LockSupport.parkNanos(5_000_000);
          }
          times
              .computeIfAbsent(what, k -> Collections.synchronizedList(new ArrayList<>()))
              .add((System.nanoTime() - committed) / 1000);
        });
  }
}
