package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Role;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.ForwardingProxy;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * The site behind a reverse proxy, as most newsrooms run it: other people's failures never lock a
 * member out; with the proxy trusted, limits count each reader and a forged header is ignored.
 */
class ReverseProxyIT {

  private static final String PASSWORD = "correct horse battery staple";

  private static HttpResponse<String> signIn(
      TestApp site, Browserless client, String email, String password, boolean check) {
    client.get("/admin/sign-in");
    Map<String, String> form =
        check
            ? Map.of("email", email, "password", password, "altcha", site.solvedCheck("signin"))
            : Map.of("email", email, "password", password);
    return client.post("/admin/sign-in", form);
  }

  @Test
  void anUntrustedProxySharesOneAddressYetTheAdminStillSignsInAndIsTold() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false);
        ForwardingProxy proxy = new ForwardingProxy(site.app().port())) {
      site.app().accounts().create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
      for (int i = 0; i < 60; i++) {
        Browserless other =
            new Browserless(proxy.url(""))
                .withHeader(ForwardingProxy.CLIENT_HEADER, "203.0.113." + (i + 1));
        HttpResponse<String> failed =
            signIn(site, other, "guess" + i + "@example.org", "not the password", true);
        assertThat(failed.statusCode()).as("attempt %d: %s", i + 1, failed.body()).isEqualTo(401);
      }
      assertThat(Accounts.NETWORK_SLOW_AFTER).isLessThan(60);

      Browserless ada = new Browserless(proxy.url(""));
      HttpResponse<String> withoutCheck = signIn(site, ada, "ada@example.org", PASSWORD, false);
      assertThat(withoutCheck.statusCode())
          .as("the shared address now needs the check")
          .isEqualTo(401);
      assertThat(withoutCheck.body()).contains("automatic check");
      HttpResponse<String> in = signIn(site, ada, "ada@example.org", PASSWORD, true);
      assertThat(in.statusCode()).as("right password and a solved check").isEqualTo(303);

      String dashboard = ada.get("/admin").body();
      assertThat(dashboard)
          .contains("Needs the operator", "is not in BROADSHEET_TRUSTED_PROXIES", "127.0.0.1");
    }
  }

  @Test
  void metricsNeedTheirTokenWhereverTheRequestComesFrom() throws Exception {
    String token = "a-metrics-token-of-24-chars";
    try (TestApp site =
            TestApp.start(
                Backend.SQLITE,
                false,
                Map.of(
                    "BROADSHEET_TRUSTED_PROXIES", "127.0.0.1", "BROADSHEET_METRICS_TOKEN", token));
        ForwardingProxy proxy = new ForwardingProxy(site.app().port())) {
      Browserless outside = new Browserless(proxy.url(""));
      HttpResponse<String> none = outside.get("/metrics");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(site.get("/metrics").statusCode()).as("from this machine").isEqualTo(401);
      assertThat(
              site.get("/metrics", "Authorization", "Bearer wrong-token-of-24-characters")
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> scraped =
          new Browserless(proxy.url(""))
              .withHeader("Authorization", "Bearer " + token)
              .get("/metrics");
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("broadsheet_humancheck_solve_time_seconds");
    }
  }

  @Test
  void aTrustedProxyKeepsLimitsPerReaderAndAForgedHeaderChangesNothing() throws Exception {
    try (TestApp site =
            TestApp.start(
                Backend.SQLITE, false, Map.of("BROADSHEET_TRUSTED_PROXIES", "127.0.0.1"));
        ForwardingProxy proxy = new ForwardingProxy(site.app().port())) {
      site.app().accounts().create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
      Browserless attacker =
          new Browserless(proxy.url("")).withHeader(ForwardingProxy.CLIENT_HEADER, "203.0.113.7");
      for (int i = 0; i < Accounts.NETWORK_CHECK_AFTER + 1; i++) {
        signIn(site, attacker, "guess" + i + "@example.org", "not the password", true);
      }
      assertThat(signIn(site, attacker, "x@example.org", "not the password", false).body())
          .as("the attacker's network needs the check")
          .contains("automatic check");

      Browserless forging =
          new Browserless(proxy.url(""))
              .withHeader(ForwardingProxy.CLIENT_HEADER, "203.0.113.7")
              .withHeader("X-Forwarded-For", "198.51.100.50");
      assertThat(signIn(site, forging, "y@example.org", "not the password", false).body())
          .as("a header the attacker wrote does not make it someone else")
          .contains("automatic check");

      Browserless ada =
          new Browserless(proxy.url("")).withHeader(ForwardingProxy.CLIENT_HEADER, "198.51.100.9");
      assertThat(signIn(site, ada, "ada@example.org", PASSWORD, false).statusCode())
          .as("another reader is not held to the attacker's limit")
          .isEqualTo(303);
      assertThat(ada.get("/admin").body()).doesNotContain("Needs the operator");

      // Metrics are off without a token, even from this machine through the proxy.
      assertThat(new Browserless(proxy.url("")).get("/metrics").statusCode()).isEqualTo(404);
      assertThat(site.get("/metrics").statusCode()).as("directly, too").isEqualTo(404);
      assertThat(site.app().audit().latest(1, 0).getFirst().ip())
          .as("the member's own address is recorded, not the proxy's")
          .isEqualTo("198.51.100.9");
    }
  }
}
