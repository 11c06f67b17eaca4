package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Requests meant to make the site work hard or write its logs for someone else. */
class HostileRequestsIT {

  private static HttpResponse<String> post(TestApp site, String path, String type, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(site.url(path)))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void formsAndAddressesWithTooManyFieldsAreRefusedBeforeAnyoneParsesThem() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      StringBuilder fields = new StringBuilder("comment=x");
      for (int i = 0; i < 300_000; i++) {
        fields.append("&a=");
      }
      HttpResponse<String> flood =
          post(site, "/comments", "application/x-www-form-urlencoded", fields.toString());
      assertThat(flood.statusCode()).isEqualTo(413);
      assertThat(flood.body()).contains("more than 1000 fields");

      StringBuilder query = new StringBuilder("/search?q=harbour");
      for (int i = 0; i < 500; i++) {
        query.append("&p").append(i).append('=');
      }
      HttpResponse<String> longQuery = site.get(query.toString());
      assertThat(longQuery.statusCode()).isEqualTo(400);
      assertThat(site.get("/search?q=harbour").statusCode()).isEqualTo(200);

      // A pasted paragraph (or "a.b.c…", many words to the index) searches on its start.
      String many =
          "harbour+".repeat(600) + "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w".repeat(50);
      assertThat(site.get("/search?q=" + many).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void cspReportsAreCappedLimitedAndCannotWriteLogLinesOfTheirOwn() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(WebServer.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      String big = "{\"csp-report\":{\"blocked-uri\":\"" + "x".repeat(20_000) + "\"}}";
      assertThat(post(site, "/csp-report", "application/csp-report", big).statusCode())
          .isEqualTo(413);
      String forged =
          "{\"csp-report\":{\"violated-directive\":\"script-src\",\"blocked-uri\":"
              + "\"https://evil.example/\\n12:00:00.000 INFO  o.b.a.Audit - admin signed in\","
              + "\"document-uri\":\"https://news.example.org/\"}}";
      for (int i = 0; i < 20; i++) {
        assertThat(post(site, "/csp-report", "application/csp-report", forged).statusCode())
            .isEqualTo(204);
      }
      assertThat(post(site, "/csp-report", "application/csp-report", "not json").statusCode())
          .isIn(204, 400);
      List<String> lines =
          seen.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.startsWith("Content-Security-Policy violation"))
              .toList();
      assertThat(lines).as("a few a minute from one network").hasSizeBetween(1, 6);
      assertThat(lines)
          .allSatisfy(
              line -> {
                assertThat(line).doesNotContain("\n", "\r");
                assertThat(line).contains("directive=script-src", "page=https://news.example.org/");
              });
      assertThat(site.app().web().cspViolations()).isEqualTo(22);
    } finally {
      log.detachAppender(seen);
    }
  }
}
