package org.broadsheet.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.broadsheet.captcha.ProofOfWork;

/**
 * Readers posting comments over HTTP as fast as they can, each solving the human check first, until
 * the server goes away or they are stopped; every comment the server answered 201 for is kept in
 * {@link #acknowledged}. For tests that stop or kill the server under load.
 */
public final class CommentPosters implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  public final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final ExecutorService posters;

  /**
   * Starts {@code readers} posters on the article at {@code base}; bodies end with {@code tail}.
   */
  public CommentPosters(String base, long articleId, int readers, String tail) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AtomicInteger counter = new AtomicInteger();
    posters = Executors.newFixedThreadPool(readers);
    for (int t = 0; t < readers; t++) {
      posters.submit(
          () -> {
            while (!Thread.currentThread().isInterrupted()) {
              try {
                ProofOfWork.Challenge challenge =
                    JSON.readValue(
                        http.send(
                                HttpRequest.newBuilder(
                                        URI.create(
                                            base
                                                + "/api/human-check/challenge?form=comment:"
                                                + articleId))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body(),
                        ProofOfWork.Challenge.class);
                String body = "Comment " + counter.incrementAndGet() + " " + tail;
                String form =
                    "name=Load+Tester&email=load%40example.org&comment="
                        + URLEncoder.encode(body, StandardCharsets.UTF_8)
                        + "&altcha="
                        + URLEncoder.encode(
                            ProofOfWork.solve(challenge, 5), StandardCharsets.UTF_8);
                HttpResponse<String> response =
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create(base + "/api/articles/" + articleId + "/comments"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                  acknowledged.add(body);
                }
              } catch (Exception gone) {
                return; // the server went away (or the test stops us)
              }
            }
          });
    }
  }

  /** Waits until {@code count} comments were acknowledged, or {@code limit} has passed. */
  public void awaitAcknowledged(int count, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (acknowledged.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Stops the posters; true when they all ended. */
  public boolean stop() throws InterruptedException {
    posters.shutdownNow();
    return posters.awaitTermination(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
