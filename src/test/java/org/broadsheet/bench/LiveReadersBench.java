package org.broadsheet.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.broadsheet.account.Actor;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.live.LiveCoverage;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Many readers on one live story, one node (SQLite): opens {@code live.readers} Server-Sent Events
 * connections from this JVM to the site on 127.0.0.1, posts an update and measures how long until
 * every reader has it, and the heap the open connections take (both ends: the readers live in this
 * JVM too). Writes target/bench/live-readers.txt. Bounded: every wait gives up after two minutes.
 * Run by bench/live-readers.sh, not by the build.
 */
class LiveReadersBench {

  private static long usedHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void manyReadersGetAnUpdate() throws Exception {
    int readers = Integer.getInteger("live.readers", 2000);
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      Actor desk = Actor.system("bench");
      long id = site.app().articles().latest(ArticleFilter.ALL, 1, 0).getFirst().id();
      Article story = site.app().articles().byId(id).orElseThrow();
      LiveCoverage live = site.app().liveCoverage();
      live.start(id, desk);
      live.post(id, "", "The coverage begins.", desk);
      String marker = "marker" + System.nanoTime();
      CountDownLatch connected = new CountDownLatch(readers);
      CountDownLatch received = new CountDownLatch(readers);
      long before = usedHeap();
      HttpClient client =
          HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      URI events = URI.create(site.url("/live/" + id + "/events"));
      long start = System.nanoTime();
      for (int i = 0; i < readers; i++) {
        client.sendAsync(
            HttpRequest.newBuilder(events).build(),
            HttpResponse.BodyHandlers.fromLineSubscriber(
                new Flow.Subscriber<String>() {
                  private boolean first = true;
                  private boolean got;

                  @Override
                  public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                  }

                  @Override
                  public void onNext(String line) {
                    if (line.startsWith("data: ")) {
                      if (first) {
                        first = false;
                        connected.countDown();
                      }
                      if (!got && line.contains(marker)) {
                        got = true;
                        received.countDown();
                      }
                    }
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onComplete() {}
                }));
      }
      boolean all = connected.await(2, TimeUnit.MINUTES);
      long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      long after = usedHeap();
      long posted = System.nanoTime();
      live.post(id, "", "Update " + marker, desk);
      boolean everyone = received.await(2, TimeUnit.MINUTES);
      long deliverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted);
      String line =
          String.format(
              "| %d | %s ms%s | %d ms%s | %.1f KB |",
              readers,
              connectMillis,
              all ? "" : " (not all connected: " + connected.getCount() + " missing)",
              deliverMillis,
              everyone ? "" : " (" + received.getCount() + " never got it)",
              (after - before) / 1024.0 / readers);
      Files.createDirectories(Path.of("target", "bench"));
      Files.write(Path.of("target", "bench", "live-readers-" + readers + ".txt"), List.of(line));
      System.out.println(line + " " + story.headline());
      client.shutdownNow();
    }
  }
}
