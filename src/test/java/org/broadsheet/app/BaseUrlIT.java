package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.Map;
import org.broadsheet.support.OperatorNotices;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/** A site whose base URL points elsewhere than where it listens tells its operator at start. */
class BaseUrlIT {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aStaleBaseUrlIsNamedAtStartAndOnTheDashboard() throws Exception {
    int port = freePort();
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            false,
            Map.of("BROADSHEET_PORT", "" + port, "BROADSHEET_BASE_URL", "http://127.0.0.1:8080"))) {
      assertThat(site.app().notices().current())
          .extracting(OperatorNotices.Notice::message)
          .anySatisfy(m -> assertThat(m).contains("listens on port " + port));
    }
    int other = freePort();
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            false,
            Map.of(
                "BROADSHEET_PORT",
                "" + other,
                "BROADSHEET_BASE_URL",
                "http://127.0.0.1:" + other))) {
      assertThat(site.app().notices().current()).isEmpty();
    }
  }
}
