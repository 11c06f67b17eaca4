package org.broadsheet.comment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.CommentPosters;
import org.broadsheet.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers post concurrently; the server is killed with SIGKILL; every acknowledged comment is there
 * after restart.
 */
class CommentCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Server(Process process, int port, long articleId) {}

  private static Server startServer(Path dataDir) throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ServerProcess.class.getName(),
                dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
      // skip log lines
    }
    assertThat(line).as("server started").isNotNull();
    String[] parts = line.split(" ");
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe from filling up
                }
              } catch (java.io.IOException ignored) {
                // the process was killed
              }
            });
    drain.setDaemon(true);
    drain.start();
    return new Server(process, Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
  }

  @Test
  void everyAcknowledgedCommentSurvivesKillDashNine(@TempDir Path dataDir) throws Exception {
    Server server = startServer(dataDir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + server.port();
    CommentPosters posters = new CommentPosters(base, server.articleId(), 6, "survives crashes.");
    Set<String> acknowledged = posters.acknowledged;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acknowledged.size() < 200
        && System.nanoTime() < deadline
        && server.process().isAlive()) {
      Thread.sleep(10);
    }
    server.process().destroyForcibly();
    assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(posters.stop()).isTrue();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);

    try (Database database = Database.open(Backend.baseConfig(dataDir))) {
      database
          .jdbi()
          .useHandle(
              h ->
                  assertThat(h.createQuery("PRAGMA integrity_check").mapTo(String.class).one())
                      .isEqualTo("ok"));
    }
    Server restarted = startServer(dataDir);
    try {
      String list =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + restarted.port()
                                  + "/api/articles/"
                                  + restarted.articleId()
                                  + "/comments"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      List<String> stored =
          JSON.readTree(list).path("comments").findValues("text").stream()
              .map(JsonNode::asText)
              .toList();
      assertThat(stored).containsAll(acknowledged);
    } finally {
      restarted.process().destroyForcibly();
      restarted.process().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
