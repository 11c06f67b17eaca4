package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.broadsheet.testing.ServeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's log as an operator's collector reads it: with {@code BROADSHEET_LOG_FORMAT=json}
 * every line the server logs is one JSON object, and a line written while answering a request
 * carries that request's id (the proxy's X-Request-Id); in either format logging starts without the
 * logging library's own status lines.
 */
class LogFormatIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static void report(String base, String requestId) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/csp-report"))
                    .header("Content-Type", "application/csp-report")
                    .header("X-Request-Id", requestId)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"csp-report\":{\"violated-directive\":\"script-src\","
                                + "\"blocked-uri\":\"https://tracker.example/\","
                                + "\"document-uri\":\"http://127.0.0.1/\"}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(204);
  }

  @Test
  void jsonLogsAreOneObjectPerLineWithTheRequestId(@TempDir Path data) throws Exception {
    List<String> output;
    try (ServeProcess server =
        ServeProcess.thisBuild(data, Map.of("BROADSHEET_LOG_FORMAT", "json"))) {
      report(server.base(), "log-format-test-1");
      assertThat(server.stop()).isTrue();
      output = server.output();
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output) {
      if (line.startsWith("WARNING: ") || line.isBlank()) {
        continue; // the JVM's own warnings (run from classes, not the jar), not the server's log
      }
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).as("the server logged").hasSizeGreaterThan(3);
    assertThat(lines)
        .allSatisfy(l -> assertThat(l.path("level").asText()).isIn("INFO", "WARN", "ERROR"))
        .anySatisfy(
            l -> {
              assertThat(l.path("formattedMessage").asText())
                  .contains("Content-Security-Policy violation");
              assertThat(l.path("mdc").path("request").asText()).isEqualTo("log-format-test-1");
            });
  }

  @Test
  void textLogsStartWithoutTheLoggingLibrarysStatus(@TempDir Path data) throws Exception {
    try (ServeProcess server = ServeProcess.thisBuild(data, Map.of())) {
      report(server.base(), "log-format-test-2");
      assertThat(server.stop()).isTrue();
      assertThat(server.output())
          .noneMatch(l -> l.contains("ch.qos.logback"))
          .anyMatch(l -> l.contains("Stopped cleanly in"))
          .anyMatch(
              l ->
                  l.contains("WARN")
                      && l.contains("[log-format-test-2] - Content-Security-Policy"));
    }
  }
}
