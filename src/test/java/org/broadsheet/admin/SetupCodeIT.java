package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.broadsheet.newsroom.NewsroomService;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A fresh site that others can reach is claimed only with the one-time code from the server's log;
 * one that only this machine can reach needs none (the Quick start).
 */
class SetupCodeIT {

  private static final Pattern CODE =
      Pattern.compile("setup code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})");

  private static Map<String, String> form(String code) {
    Map<String, String> form = new HashMap<>();
    form.put("title", "The Courier");
    form.put("name", "Ada");
    form.put("email", "ada@example.org");
    form.put("password", NewsroomIT.PASSWORD);
    if (code != null) {
      form.put("code", code);
    }
    return form;
  }

  @Test
  void aReachableFreshSiteAsksForTheCodeFromTheLog() {
    Logger log = (Logger) LoggerFactory.getLogger(NewsroomService.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE, false, Map.of("BROADSHEET_BASE_URL", "https://news.example.org"))) {
      String line =
          seen.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains("not set up yet"))
              .findFirst()
              .orElseThrow();
      Matcher m = CODE.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      String code = m.group(1);

      Browserless someone = new Browserless(site.url(""));
      assertThat(someone.get("/admin/setup").body()).contains("Setup code");
      HttpResponse<String> without = someone.post("/admin/setup", form(null));
      assertThat(without.statusCode()).isEqualTo(422);
      assertThat(without.body())
          .contains("setup code from the server's log", "value=\"ada@example.org\"");
      assertThat(someone.post("/admin/setup", form("AAAA-BBBB-CCCC")).statusCode()).isEqualTo(422);
      assertThat(site.app().accounts().count()).isZero();

      Browserless operator = new Browserless(site.url(""));
      operator.get("/admin/setup");
      assertThat(operator.post("/admin/setup", form(code.toLowerCase())).statusCode())
          .isEqualTo(303);
      assertThat(site.app().accounts().count()).isEqualTo(1);
      assertThat(site.app().settings().get("setup.code", "")).as("used once").isEmpty();
    } finally {
      log.detachAppender(seen);
    }
  }

  @Test
  void aSiteOnlyThisMachineReachesNeedsNoCode() {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      Browserless me = new Browserless(site.url(""));
      assertThat(me.get("/admin/setup").body()).doesNotContain("Setup code");
      assertThat(me.post("/admin/setup", form(null)).statusCode()).isEqualTo(303);
    }
  }
}
