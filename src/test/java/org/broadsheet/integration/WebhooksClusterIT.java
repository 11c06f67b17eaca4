package org.broadsheet.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database both follow the change feed and both deliver webhooks: each
 * event still reaches the receiver once (one delivery row per event and endpoint, taken by one node
 * at a time).
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
}
