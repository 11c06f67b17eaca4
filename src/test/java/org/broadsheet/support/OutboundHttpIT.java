package org.broadsheet.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's outbound requests cannot be turned against its own network: private, loopback,
 * link-local and other non-public targets are refused after DNS resolution, redirects to them are
 * refused, hosts off the allow-list are never asked, and oversized or slow answers are cut off.
 * "Outside" is played by a server on 127.0.0.2, which these tests alone treat as public; a server
 * on 127.0.0.1 stands for an internal service and counts every request that reaches it.
 */
class OutboundHttpIT {

  private static final InetAddress OUTSIDE = address("127.0.0.2");
  private static HttpServer outside;
  private static HttpServer internal;
  private static final AtomicInteger internalHits = new AtomicInteger();
  private static OutboundHttp http;

  @BeforeAll
  static void start() throws Exception {
    internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    internal.createContext(
        "/",
        ex -> {
          internalHits.incrementAndGet();
          byte[] body = "internal secret".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    internal.start();
    outside = HttpServer.create(new InetSocketAddress(OUTSIDE, 0), 0);
    outside.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    outside.createContext("/ok", ex -> answer(ex, 200, "{\"title\":\"fine\"}"));
    outside.createContext(
        "/to-internal",
        ex -> redirect(ex, "http://127.0.0.1:" + internal.getAddress().getPort() + "/secret"));
    outside.createContext(
        "/to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
    outside.createContext(
        "/to-localhost",
        ex -> redirect(ex, "http://localhost:" + internal.getAddress().getPort() + "/"));
    outside.createContext("/to-elsewhere", ex -> redirect(ex, "http://example.org/"));
    outside.createContext("/to-ok", ex -> redirect(ex, "/ok"));
    outside.createContext("/loop", ex -> redirect(ex, "/loop"));
    outside.createContext(
        "/big",
        ex -> {
          byte[] chunk = new byte[64 * 1024];
          ex.sendResponseHeaders(200, 4L * 1024 * 1024);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 64; i++) {
              out.write(chunk);
            }
          } catch (java.io.IOException e) {
            // The client hung up, as it should.
          }
        });
    outside.createContext(
        "/big-chunked",
        ex -> {
          byte[] chunk = new byte[16 * 1024];
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 1024; i++) {
              out.write(chunk);
            }
          } catch (java.io.IOException e) {
            // The client hung up, as it should.
          }
        });
    outside.createContext(
        "/slow",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 600; i++) {
              out.write('.');
              out.flush();
              Thread.sleep(100);
            }
          } catch (java.io.IOException | InterruptedException e) {
            // The client hung up, as it should.
          }
        });
    outside.createContext(
        "/silent",
        ex -> {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    outside.start();
    http =
        new OutboundHttp(
            host -> true,
            a -> a.equals(OUTSIDE) || PublicAddresses.isPublic(a),
            true,
            Duration.ofSeconds(1),
            "Broadsheet test");
  }

  @AfterAll
  static void stop() {
    http.stop();
    outside.stop(0);
    internal.stop(0);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String body)
      throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static void redirect(com.sun.net.httpserver.HttpExchange ex, String location)
      throws java.io.IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String outside(String path) {
    return "http://127.0.0.2:" + outside.getAddress().getPort() + path;
  }

  @Test
  void anAllowedPublicHostIsFetchedAndRedirectsWithinTheRulesAreFollowed() throws Exception {
    OutboundHttp.Answer answer = http.get(URI.create(outside("/ok")), 1024, "application/json");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("fine");
    assertThat(http.get(URI.create(outside("/to-ok")), 1024, "*/*").status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:PORT/",
        "http://localhost:PORT/",
        "http://[::1]:PORT/",
        "http://[::ffff:127.0.0.1]:PORT/",
        "http://0.0.0.0:PORT/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.10/",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://224.0.0.1/"
      })
  void privateLoopbackAndLinkLocalTargetsAreRefusedAfterResolution(String target) {
    String uri = target.replace("PORT", Integer.toString(internal.getAddress().getPort()));
    assertThatThrownBy(() -> http.get(URI.create(uri), 1024, "*/*"))
        .isInstanceOf(OutboundHttp.Refused.class)
        .hasMessageContaining("non-public address");
    assertThat(internalHits).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/to-internal", "/to-localhost", "/to-metadata"})
  void aRedirectToAPrivateAddressIsRefused(String path) {
    assertThatThrownBy(() -> http.get(URI.create(outside(path)), 1024, "*/*"))
        .isInstanceOf(OutboundHttp.Refused.class)
        .hasMessageContaining("non-public address");
    assertThat(internalHits).hasValue(0);
  }

  @Test
  void hostsOffTheAllowListAreNeverAskedEvenThroughARedirect() {
    OutboundHttp strict =
        new OutboundHttp(
            host -> OutboundHttp.allowedHost(List.of("127.0.0.2"), host),
            a -> a.equals(OUTSIDE),
            true,
            Duration.ofSeconds(1),
            "Broadsheet test");
    try (strict) {
      assertThatThrownBy(() -> strict.get(URI.create(outside("/to-elsewhere")), 1024, "*/*"))
          .isInstanceOf(OutboundHttp.Refused.class)
          .hasMessageContaining("not on the allow-list: example.org");
      assertThatThrownBy(() -> strict.get(URI.create("http://127.0.0.3/"), 1024, "*/*"))
          .isInstanceOf(OutboundHttp.Refused.class)
          .hasMessageContaining("not on the allow-list");
    }
    assertThatThrownBy(() -> http.get(URI.create(outside("/loop")), 1024, "*/*"))
        .isInstanceOf(OutboundHttp.Refused.class)
        .hasMessageContaining("redirects");
  }

  @Test
  void theProductionRulesTakeOnlyHttpsToTheNamedHostsAndTheirSubdomains() {
    OutboundHttp production =
        OutboundHttp.publicInternet(List.of("ytimg.com"), Duration.ofSeconds(1), "test");
    try (production) {
      assertThatThrownBy(() -> production.get(URI.create("http://i.ytimg.com/vi/x.jpg"), 1, "*/*"))
          .isInstanceOf(OutboundHttp.Refused.class)
          .hasMessageContaining("not an HTTPS address");
      assertThatThrownBy(
              () -> production.get(URI.create("https://ytimg.com.evil.example/"), 1, "*/*"))
          .isInstanceOf(OutboundHttp.Refused.class)
          .hasMessageContaining("not on the allow-list");
      assertThatThrownBy(() -> production.get(URI.create("https://user@i.ytimg.com/"), 1, "*/*"))
          .isInstanceOf(OutboundHttp.Refused.class);
    }
    assertThat(OutboundHttp.allowedHost(List.of("ytimg.com"), "I.YTIMG.COM")).isTrue();
    assertThat(OutboundHttp.allowedHost(List.of("ytimg.com"), "notytimg.com")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/big", "/big-chunked"})
  void anOversizedAnswerIsCutOff(String path) {
    assertThatThrownBy(() -> http.get(URI.create(outside(path)), 64 * 1024, "*/*"))
        .isInstanceOf(OutboundHttp.Refused.class)
        .hasMessageContaining("larger than 65536 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/slow", "/silent"})
  void aSlowAnswerIsCutOffAtTheTimeLimit(String path) {
    assertThatThrownBy(() -> http.get(URI.create(outside(path)), 1024 * 1024, "*/*"))
        .isInstanceOf(OutboundHttp.Refused.class)
        .hasMessageContaining("in time");
  }

  @Test
  void addressesAreJudgedByWhatTheyAre() {
    for (String open :
        List.of("93.184.216.34", "2606:2800:220:1::1", "8.8.8.8", "::ffff:8.8.8.8")) {
      assertThat(PublicAddresses.isPublic(address(open))).as(open).isTrue();
    }
    for (String closed :
        List.of(
            "127.0.0.1",
            "10.0.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "198.18.0.1")) {
      assertThat(PublicAddresses.isPublic(address(closed))).as(closed).isFalse();
    }
  }
}
