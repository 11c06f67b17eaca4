package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on PostgreSQL, each its own JVM: a reader's live connection is on node B, an update is
 * posted on node A, and it reaches the reader through the change feed (PostgreSQL's notification
 * wakes node B). The time it took is printed; the test waits for it without a deadline of its own.
 */
class LiveClusterIT {

  private Backend.TestDatabase database;

  @BeforeEach
  void create() {
    database = Backend.POSTGRESQL.create();
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void anUpdatePostedOnOneNodeReachesAReaderOnTheOther() throws Exception {
    long id;
    try (Broadsheet app = Broadsheet.create(database.config(), Clock.systemUTC())) {
      app.articles().createSection("news", "News", "");
      app.articles().createAuthor("reporter", "Rita Reporter", "");
      id =
          app.articles()
              .create(
                  new ArticleDraft(
                      "",
                      "news",
                      "Storm over the harbour",
                      "",
                      "The storm reached the coast at dawn.",
                      ArticleStatus.PUBLISHED,
                      null,
                      List.of("reporter"),
                      List.of(),
                      null))
              .id();
    }
    try (Cluster cluster = Cluster.start(2, database, Map.of())) {
      assertThat(cluster.node(0).call("live-start " + id)).isEqualTo("live");
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      HttpClient client = HttpClient.newHttpClient();
      var reading =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(cluster.node(1).url("/live/" + id + "/events")))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.fromLineSubscriber(
                  new java.util.concurrent.Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                      s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                      lines.add(line);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onComplete() {}
                  }));
      // The stream as it is, at once.
      String first;
      do {
        first = lines.poll(20, TimeUnit.SECONDS);
        assertThat(first).as("the first event from node B").isNotNull();
      } while (!first.startsWith("data: "));

      long start = System.nanoTime();
      String posted = cluster.node(0).call("live-post " + id + " Boats return to the harbour");
      String line;
      do {
        line = lines.poll(20, TimeUnit.SECONDS);
        assertThat(line).as("the update on node B's stream").isNotNull();
      } while (!(line.startsWith("data: ") && line.contains("update-" + posted)));
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      System.out.println("Live update from node A reached a reader on node B in " + millis + " ms");
      assertThat(line).contains("Boats return to the harbour");
      reading.cancel(true);
      client.close();
    }
  }
}
