package org.broadsheet.live;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Actor;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The server stops while a reader has a live story open, an update is posted while it is down, and
 * the server comes back on the same address: the reader's page reconnects by itself and shows the
 * update it missed, without a reload.
 */
class LiveRestartBrowserIT {

  @Test
  void aReaderCatchesUpAfterTheServerRestarts() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Map<String, String> settings = Map.of("BROADSHEET_PORT", Integer.toString(port));
    try (Backend.TestDatabase database = Backend.SQLITE.create();
        Browser browser = Browser.start()) {
      Actor desk = Actor.system("live desk");
      long id;
      String path;
      TestApp first = TestApp.startNode(database, settings);
      try {
        var articles = first.app().articles();
        articles.createSection("news", "News", "");
        articles.createAuthor("reporter", "Rita Reporter", "");
        Article story =
            articles.create(
                new ArticleDraft(
                    "",
                    "news",
                    "Storm over the harbour",
                    "",
                    "The storm reached the coast at dawn.",
                    ArticleStatus.PUBLISHED,
                    null,
                    List.of("reporter"),
                    List.of(),
                    null));
        id = story.id();
        path = first.path(story);
        first.app().liveCoverage().start(id, desk);
        first.app().liveCoverage().post(id, "", "Winds are rising.", desk);
        WebDriver driver = browser.driver();
        driver.get(first.url(path));
        new WebDriverWait(driver, Duration.ofSeconds(15))
            .until(d -> "true".equals(d.findElement(By.id("live")).getAttribute("data-connected")));
      } finally {
        first.close();
      }

      // Down: the desk posts from the command line's side of the house.
      long missed;
      try (Broadsheet offline =
          Broadsheet.create(database.config().with(settings), Clock.systemUTC())) {
        missed = offline.liveCoverage().post(id, "", "The harbour wall held overnight.", desk);
      }

      TestApp second = TestApp.startNode(database, settings);
      try {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30))
            .until(d -> !d.findElements(By.id("update-" + missed)).isEmpty());
        browser.screenshot("live-after-restart");
      } finally {
        second.close();
      }
    }
  }
}
