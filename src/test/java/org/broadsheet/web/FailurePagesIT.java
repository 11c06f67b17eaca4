package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * When the database goes away: a 500 page in the site's look, no stack trace, and /readyz says so.
 */
class FailurePagesIT {

  @Test
  void aLostDatabaseGivesA500PageAndAnUnreadyNode() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      assertThat(site.get("/section/city").statusCode()).isEqualTo(200);
      site.app().pageCache().clear();
      site.app().database().close();

      HttpResponse<String> page = site.get("/section/politics");
      assertThat(page.statusCode()).isEqualTo(500);
      assertThat(page.body())
          .contains("The Halden Courier", "Something went wrong", "incident")
          .doesNotContain("Exception", "at org.", "SQL");
      assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();

      HttpResponse<String> ready = site.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(site.get("/healthz").statusCode()).isEqualTo(200);
    }
  }
}
