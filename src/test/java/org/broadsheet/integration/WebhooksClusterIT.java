package org.broadsheet.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database: both follow the change feed and both deliver webhooks, yet
 * each event reaches the receiver once (one delivery row per event and endpoint, taken by one node
 * at a time); and a story changed through the Admin API on one node is new in the other node's
 * cached Content API at once.
 */
class WebhooksClusterIT {

  @Test
  void twoNodesDeliverEachEventOnce() throws Exception {
    try (WebhooksIT.Receiver receiver = new WebhooksIT.Receiver(200);
        Backend.TestDatabase database = Backend.POSTGRESQL.create();
        TestApp a = TestApp.startNode(database, WebhooksIT.LOCAL);
        TestApp b = TestApp.startNode(database, WebhooksIT.LOCAL)) {
      a.app()
          .webhooks()
          .create("Both", receiver.url(), Set.of("article.published"), WebhooksIT.TEST);
      for (int i = 0; i < 6; i++) {
        (i % 2 == 0 ? a : b).article("Story " + i + " from either node");
      }
      Eventually.until("six deliveries", () -> receiver.successes() >= 6);
      assertThat(a.app().webhooks().deliverDue() + b.app().webhooks().deliverDue()).isZero();
      assertThat(receiver.requests)
          .as("each event once, though both nodes follow the feed")
          .hasSize(6);
      assertThat(receiver.requests.stream().map(r -> r.headers().get("webhook-id")).distinct())
          .hasSize(6);
    }
  }

  @Test
  void anEditOnOneNodeIsNewInTheOthersCachedApi() throws Exception {
    try (Backend.TestDatabase database = Backend.POSTGRESQL.create();
        TestApp a = TestApp.startNode(database, java.util.Map.of());
        TestApp b = TestApp.startNode(database, java.util.Map.of())) {
      var story = a.article("Harbour bridge opens");
      String path = "/api/v1/articles/" + story.id();
      Eventually.until("node B shows it", () -> b.get(path).statusCode() == 200);
      String etag = b.get(path).headers().firstValue("ETag").orElseThrow();
      assertThat(b.get(path, "If-None-Match", etag).statusCode()).as("cached on B").isEqualTo(304);
      var editor =
          a.app()
              .newsroom()
              .addMember(
                  "eda@example.org",
                  "Eda Editor",
                  ApiIT.PASSWORD,
                  org.broadsheet.account.Role.EDITOR,
                  WebhooksIT.TEST);
      var api =
          new org.broadsheet.client.api.ArticlesAdminApi(
              ApiIT.client(
                  a,
                  ApiIT.key(
                      a,
                      editor,
                      org.broadsheet.account.Role.Permission.WRITE_OWN,
                      org.broadsheet.account.Role.Permission.EDIT_ALL,
                      org.broadsheet.account.Role.Permission.PUBLISH)));
      api.updateArticle(
          story.id(),
          new org.broadsheet.client.model.ApiArticleInput().headline("Harbour bridge opens early"));
      Eventually.until(
          "node B's cached answer is replaced",
          () -> b.get(path).body().contains("Harbour bridge opens early"));
    }
  }
}
