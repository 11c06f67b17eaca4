package org.broadsheet.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.support.ValidationException;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.Services;
import org.broadsheet.testing.TestApp;
import org.broadsheet.web.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Webhooks against a receiver started by the test, on both databases: deliveries verify with
 * Standard Webhooks' own reference library (under Node), a receiver that fails twice and then
 * answers gets exactly one successful delivery, a dead receiver is turned off after the configured
 * tries (and the newsroom says so), private and loopback targets are refused unless the operator
 * allows them, and events come for stories, comments, subscribers and live updates. Two nodes:
 * {@link WebhooksClusterIT}.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class WebhooksIT {

  static final Actor TEST = Actor.system("test");
  static final Map<String, String> LOCAL =
      Map.of(
          "BROADSHEET_WEBHOOK_PRIVATE_TARGETS", "true",
          "BROADSHEET_WEBHOOK_RETRY_SECONDS", "1",
          "BROADSHEET_WEBHOOK_ATTEMPTS", "3");

  private final Backend backend;

  WebhooksIT(Backend backend) {
    this.backend = backend;
  }

  /** A receiver on this machine: answers with the queued statuses (then 200), keeps what came. */
  static final class Receiver implements AutoCloseable {
    record Request(Map<String, String> headers, String body, int answered) {}

    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Integer> answers = new ArrayDeque<>();
    private int always;
    private final HttpServer server;

    Receiver(int always, Integer... first) throws IOException {
      this.always = always;
      answers.addAll(List.of(first));
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hook",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            exchange
                .getRequestHeaders()
                .forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
            int status;
            synchronized (this) {
              status = answers.isEmpty() ? this.always : answers.removeFirst();
            }
            requests.add(new Request(headers, new String(body, StandardCharsets.UTF_8), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    int successes() {
      synchronized (requests) {
        return (int) requests.stream().filter(r -> r.answered() / 100 == 2).count();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** Verifies a delivery with the reference library; returns what Node printed. */
  static String verifyWithReference(String secret, Receiver.Request r) throws Exception {
    Path node = Path.of("/usr/bin/node");
    if (!Files.isExecutable(node)) {
      Services.missing("Node.js (/usr/bin/node) to run Standard Webhooks' reference library");
    }
    Path dir = Path.of("target/test-classes/standardwebhooks").toAbsolutePath();
    Path script = dir.resolve("verify.js");
    Files.writeString(
        script,
        """
        const { Webhook } = require('standardwebhooks');
        const fs = require('fs');
        const [secret, id, ts, sig, bodyFile] = process.argv.slice(2);
        try {
          new Webhook(secret).verify(fs.readFileSync(bodyFile, 'utf8'),
              { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig });
          console.log('verified');
        } catch (e) { console.log('refused: ' + e.message); }
        """);
    Path body = Files.createTempFile(dir, "body", ".json");
    Files.writeString(body, r.body());
    Process p =
        new ProcessBuilder(
                node.toString(),
                script.toString(),
                secret,
                r.headers().get("webhook-id"),
                r.headers().get("webhook-timestamp"),
                r.headers().get("webhook-signature"),
                body.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void deliveriesAreSignedAsTheReferenceLibraryExpects() throws Exception {
    try (Receiver receiver = new Receiver(204);
        TestApp site = TestApp.start(backend, false, LOCAL)) {
      var hook =
          site.app().webhooks().create("App", receiver.url(), Set.of("article.published"), TEST);
      var story = site.article("Bridge reopens after repairs");
      Eventually.until("the receiver hears of it", () -> receiver.requests.size() == 1);
      Receiver.Request r = receiver.requests.getFirst();
      JsonNode payload = Api.JSON.readTree(r.body());
      assertThat(payload.path("type").asText()).isEqualTo("article.published");
      assertThat(payload.path("data").path("id").asLong()).isEqualTo(story.id());
      assertThat(payload.path("data").path("headline").asText())
          .isEqualTo("Bridge reopens after repairs");
      assertThat(r.headers().get("webhook-signature")).startsWith("v1,");
      assertThat(verifyWithReference(hook.secret(), r)).isEqualTo("verified");
      Receiver.Request tampered =
          new Receiver.Request(r.headers(), r.body().replace("Bridge", "Tunnel"), 0);
      assertThat(verifyWithReference(hook.secret(), tampered)).startsWith("refused");
      // A draft is no event; nothing more is sent.
      assertThat(site.app().webhooks().deliverDue()).isZero();
    }
  }

  @Test
  void aReceiverThatFailsTwiceGetsExactlyOneSuccessfulDelivery() throws Exception {
    try (Receiver receiver = new Receiver(200, 500, 503);
        TestApp site = TestApp.start(backend, false, LOCAL)) {
      var hook =
          site.app().webhooks().create("Flaky", receiver.url(), Set.of("article.published"), TEST);
      site.article("Ferry timetable changes");
      Eventually.until(
          "delivered on the third try",
          () ->
              site.app().webhooks().recent(hook.id(), 10).stream()
                  .anyMatch(d -> d.status().equals("delivered")));
      var delivery = site.app().webhooks().recent(hook.id(), 10).getFirst();
      assertThat(delivery.attempts()).isEqualTo(3);
      assertThat(delivery.tries()).extracting(t -> t.status()).containsExactly(500, 503, 200);
      assertThat(site.app().webhooks().deliverDue()).as("nothing left to send").isZero();
      assertThat(receiver.requests).hasSize(3);
      assertThat(receiver.successes()).isEqualTo(1);
      assertThat(receiver.requests.stream().map(r -> r.headers().get("webhook-id")).distinct())
          .as("one message id across tries, so a receiver can drop repeats")
          .hasSize(1);
      assertThat(site.app().webhooks().byId(hook.id()).orElseThrow().enabled()).isTrue();
    }
  }

  @Test
  void aDeadReceiverIsTurnedOffAndTheNewsroomSaysSo() throws Exception {
    try (Receiver receiver = new Receiver(500);
        TestApp site = TestApp.start(backend, false, LOCAL)) {
      var hook =
          site.app().webhooks().create("Dead", receiver.url(), Set.of("article.published"), TEST);
      site.article("Market hall closes early");
      Eventually.until(
          "turned off", () -> !site.app().webhooks().byId(hook.id()).orElseThrow().enabled());
      var off = site.app().webhooks().byId(hook.id()).orElseThrow();
      assertThat(off.disabledReason()).contains("3 tries").contains("500");
      assertThat(receiver.requests).hasSize(3);
      site.article("Another story while it is off");
      Eventually.until(
          "the event waits", () -> site.app().webhooks().recent(hook.id(), 10).size() == 2);
      assertThat(site.app().webhooks().deliverDue()).isZero();
      assertThat(receiver.requests).as("nothing is sent to a turned-off endpoint").hasSize(3);
      var admin =
          site.app()
              .newsroom()
              .addMember("ada@example.org", "Ada Admin", ApiIT.PASSWORD, Role.ADMIN, TEST);
      assertThat(IntegrationPages.navigation(site.app().webhooks()).figures(admin))
          .singleElement()
          .satisfies(f -> assertThat(f.label()).contains("turned off"));
      // Fixed and turned on again: what waited is sent.
      receiver.requests.clear();
      synchronized (receiver) {
        receiver.always = 200;
      }
      site.app().webhooks().enable(hook.id(), TEST);
      Eventually.until("both sent", () -> receiver.successes() == 2);
    }
  }

  @Test
  void privateAndLoopbackTargetsAreRefusedUnlessAllowed() throws Exception {
    try (Receiver receiver = new Receiver(200);
        TestApp site = TestApp.start(backend, false)) {
      for (String url :
          List.of(
              receiver.url(),
              "https://127.0.0.1/hook",
              "https://10.1.2.3/hook",
              "https://169.254.169.254/latest",
              "https://[::1]/hook",
              "http://example.org/plain-http",
              "ftp://example.org/hook")) {
        assertThatThrownBy(
                () ->
                    site.app().webhooks().create("Inside", url, Set.of("article.published"), TEST))
            .as(url)
            .isInstanceOf(ValidationException.class)
            .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("url"));
      }
      assertThatThrownBy(
              () -> site.app().webhooks().create("No events", "https://10.0.0.1/", Set.of(), TEST))
          .isInstanceOf(ValidationException.class)
          .satisfies(
              e ->
                  assertThat(((ValidationException) e).fieldErrors())
                      .containsKeys("url", "events"));
      assertThat(receiver.requests).isEmpty();
    }
  }

  @Test
  void commentsSubscribersLiveUpdatesAndTestsAreEvents() throws Exception {
    try (Receiver receiver = new Receiver(200);
        TestApp site = TestApp.start(backend, false, LOCAL)) {
      var hook =
          site.app()
              .webhooks()
              .create(
                  "Everything",
                  receiver.url(),
                  Set.of("comment.approved", "live.update_posted", "article.unpublished"),
                  TEST);
      site.app().webhooks().sendTest(hook.id(), TEST);
      Eventually.until("the test arrives", () -> receiver.requests.size() == 1);
      assertThat(Api.JSON.readTree(receiver.requests.getFirst().body()).path("type").asText())
          .isEqualTo("ping");

      var story = site.article("Storm moves north");
      site.app().liveCoverage().start(story.id(), TEST);
      long update =
          site.app()
              .liveCoverage()
              .post(story.id(), "Gusts of 90 km/h", "Trees down on the coast road.", TEST);
      Eventually.until(
          "the live update arrives", () -> types(receiver).contains("live.update_posted"));
      JsonNode live = last(receiver, "live.update_posted");
      assertThat(live.path("data").path("id").asLong()).isEqualTo(update);
      assertThat(live.path("data").path("bodyHtml").asText()).contains("Trees down");
      assertThat(live.path("data").path("url").asText()).endsWith("#update-" + update);

      site.app()
          .articles()
          .changeStatus(story.id(), org.broadsheet.article.ArticleStatus.UNPUBLISHED, TEST);
      Eventually.until(
          "the unpublish arrives", () -> types(receiver).contains("article.unpublished"));
      assertThat(types(receiver)).doesNotContain("article.published");
    }
  }

  private static List<String> types(Receiver receiver) {
    synchronized (receiver.requests) {
      return receiver.requests.stream()
          .map(
              r -> {
                try {
                  return Api.JSON.readTree(r.body()).path("type").asText();
                } catch (IOException e) {
                  return "";
                }
              })
          .toList();
    }
  }

  private static JsonNode last(Receiver receiver, String type) throws IOException {
    synchronized (receiver.requests) {
      for (int i = receiver.requests.size() - 1; i >= 0; i--) {
        JsonNode n = Api.JSON.readTree(receiver.requests.get(i).body());
        if (n.path("type").asText().equals(type)) {
          return n;
        }
      }
    }
    throw new AssertionError("no " + type);
  }
}
