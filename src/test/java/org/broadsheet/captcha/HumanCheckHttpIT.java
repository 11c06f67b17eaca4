package org.broadsheet.captcha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

class HumanCheckHttpIT {

  @Test
  void theChallengeEndpointIssuesFreshUncachedChallengesForKnownFormsOnly() throws Exception {
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            false,
            java.util.Map.of("BROADSHEET_METRICS_TOKEN", "a-metrics-token-of-24-chars"))) {
      HttpResponse<String> response = site.get("/api/human-check/challenge?form=comment:42");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
      ProofOfWork.Challenge challenge =
          new ObjectMapper().readValue(response.body(), ProofOfWork.Challenge.class);
      assertThat(challenge.maxnumber()).isEqualTo(50_000);
      assertThat(challenge.salt()).contains("form=comment%3A42");
      assertThat(site.get("/api/human-check/challenge?form=comment:42").body())
          .isNotEqualTo(response.body());
      assertThat(site.get("/api/human-check/challenge?form=admin").statusCode()).isEqualTo(400);
      assertThat(site.get("/api/human-check/challenge").statusCode()).isEqualTo(400);

      String answer = ProofOfWork.solve(challenge, 840);
      assertThat(site.app().proofOfWork().verify(answer, "comment:42", "").isPassed()).isTrue();
      String metrics =
          site.get("/metrics", "Authorization", "Bearer a-metrics-token-of-24-chars").body();
      assertThat(metrics)
          .contains(
              "broadsheet_humancheck_issued_total",
              "broadsheet_humancheck_solved_total",
              "broadsheet_humancheck_solve_time_seconds");
    }
  }

  @Test
  void aSolutionSpentOnOneNodeIsRefusedOnAnotherSharingPostgresql() {
    Backend.TestDatabase database = Backend.POSTGRESQL.create();
    try (database;
        TestApp nodeOne =
            TestApp.startNode(database, Map.of("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"));
        TestApp nodeTwo =
            TestApp.startNode(database, Map.of("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"))) {
      Article article = nodeOne.article("Two nodes, one database");
      String answer = nodeOne.solvedCheck("comment:" + article.id());
      Map<String, String> form =
          Map.of(
              "comment",
              "Posted on node one.",
              "name",
              "Nia",
              "email",
              "nia@example.org",
              "altcha",
              answer);
      HttpResponse<String> first =
          nodeOne.postForm("/api/articles/" + article.id() + "/comments", form);
      assertThat(first.statusCode()).isEqualTo(201);
      Map<String, String> replay =
          Map.of(
              "comment",
              "Replayed on node two.",
              "name",
              "Nia",
              "email",
              "nia2@example.org",
              "altcha",
              answer);
      HttpResponse<String> second =
          nodeTwo.postForm("/api/articles/" + article.id() + "/comments", replay);
      assertThat(second.statusCode()).isEqualTo(400);
      assertThat(second.body()).contains("\"code\":\"already-used\"", "already used");
      assertThat(nodeTwo.app().humanCheckKeys().current().id())
          .isEqualTo(nodeOne.app().humanCheckKeys().current().id());
      String fromTwo = nodeTwo.solvedCheck("comment:" + article.id());
      assertThat(
              nodeOne.app().proofOfWork().verify(fromTwo, "comment:" + article.id(), "").isPassed())
          .as("a challenge issued by one node verifies on the other")
          .isTrue();
    }
  }

  @Test
  void aThirdPartyProviderWidensTheContentSecurityPolicyOnlyWhenChosen() {
    try (TestApp plain = TestApp.start(Backend.SQLITE, false)) {
      Article article = plain.article("Plain");
      HttpResponse<String> page = plain.get(plain.path(article));
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .doesNotContain("cloudflare");
      assertThat(page.body()).contains("data-challenge-url=").doesNotContain("turnstile");
    }
    try (TestApp turnstile =
        TestApp.start(
            Backend.SQLITE,
            false,
            Map.of(
                "BROADSHEET_HUMAN_CHECK",
                "turnstile",
                "BROADSHEET_HUMAN_CHECK_SITE_KEY",
                "1x00000000000000000000AA",
                "BROADSHEET_HUMAN_CHECK_SECRET",
                "test-secret"))) {
      Article article = turnstile.article("Turnstile");
      HttpResponse<String> page = turnstile.get(turnstile.path(article));
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains(
              "script-src 'self' https://challenges.cloudflare.com",
              "frame-src https://challenges.cloudflare.com");
      assertThat(page.body())
          .contains(
              "https://challenges.cloudflare.com/turnstile/v0/api.js",
              "class=\"cf-turnstile\"",
              "data-sitekey=\"1x00000000000000000000AA\"")
          .doesNotContain("test-secret");
    }
  }
}
