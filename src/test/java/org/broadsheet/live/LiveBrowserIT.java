package org.broadsheet.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two readers have a live story open; an editor posts an update: the reader at the top sees it
 * appear at the top of the stream without a reload, the reader scrolled down into the stream is not
 * moved and gets a "1 new update" button instead; an edit and a deletion reach the open page too.
 */
class LiveBrowserIT {

  @Test
  void updatesReachOpenPagesWithoutMovingTheReader() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true);
        Browser top = Browser.start();
        Browser below = Browser.start()) {
      site.app()
          .newsroom()
          .addMember(
              "eda@example.org",
              "Eda Editor",
              "correct horse battery staple",
              Role.EDITOR,
              Actor.system("test"));
      Actor eda = Actor.of(site.app().accounts().byEmail("eda@example.org").orElseThrow(), "t");
      long id = site.app().articles().latest(ArticleFilter.ALL, 1, 0).getFirst().id();
      Article story = site.app().articles().byId(id).orElseThrow();
      LiveCoverage live = site.app().liveCoverage();
      live.start(id, eda);
      for (int i = 1; i <= 6; i++) {
        live.post(
            id, "", "Earlier update number " + i + ". " + "Words of the day. ".repeat(25), eda);
      }

      WebDriver a = top.driver();
      WebDriver b = below.driver();
      a.get(site.url(site.path(story)));
      b.get(site.url(site.path(story)));
      for (WebDriver d : new WebDriver[] {a, b}) {
        new WebDriverWait(d, Duration.ofSeconds(15))
            .until(x -> "true".equals(x.findElement(By.id("live")).getAttribute("data-connected")));
      }
      // Reader B reads further down the stream.
      ((JavascriptExecutor) b)
          .executeScript(
              "document.querySelector('#update-' + arguments[0]).scrollIntoView()",
              live.stream(id).orElseThrow().newestFirst().get(3).id());
      Object scrolled = ((JavascriptExecutor) b).executeScript("return window.scrollY");

      long posted = live.post(id, "Ferries resume", "The first ferry has left the quay.", eda);

      new WebDriverWait(a, Duration.ofSeconds(10))
          .until(
              d ->
                  d.findElement(By.cssSelector("ol.live-updates > li:first-child article"))
                      .getAttribute("id")
                      .equals("update-" + posted));
      new WebDriverWait(b, Duration.ofSeconds(10))
          .until(d -> d.findElement(By.cssSelector("button.live-waiting")).isDisplayed());
      assertThat(b.findElement(By.cssSelector("button.live-waiting")).getText())
          .isEqualTo("1 new update");
      assertThat(b.findElements(By.id("update-" + posted))).isEmpty();
      assertThat(((JavascriptExecutor) b).executeScript("return window.scrollY"))
          .as("the reader below was not moved")
          .isEqualTo(scrolled);
      top.screenshot("live-reader-top");
      below.screenshot("live-reader-below");
      b.findElement(By.cssSelector("button.live-waiting")).click();
      assertThat(
              b.findElement(By.cssSelector("ol.live-updates > li:first-child article"))
                  .getAttribute("id"))
          .isEqualTo("update-" + posted);

      // An edit and a deletion reach the open page in place.
      live.edit(posted, "Ferries resume at noon", "The first ferry has left the quay.", eda);
      new WebDriverWait(a, Duration.ofSeconds(10))
          .until(d -> d.findElement(By.id("update-" + posted)).getText().contains("at noon"));
      long oldest = live.stream(id).orElseThrow().newestFirst().getLast().id();
      live.delete(oldest, eda);
      new WebDriverWait(a, Duration.ofSeconds(10))
          .until(d -> d.findElements(By.id("update-" + oldest)).isEmpty());
      // Reader A reads from the start instead: the oldest first, and a new update at the end.
      a.findElement(By.cssSelector("button.live-order")).click();
      java.util.List<String> order =
          a.findElements(By.cssSelector("ol.live-updates > li > article")).stream()
              .map(e -> e.getAttribute("id"))
              .toList();
      assertThat(order.getLast()).isEqualTo("update-" + posted);
      long last = live.post(id, "", "Harbour master confirms the schedule.", eda);
      new WebDriverWait(a, Duration.ofSeconds(10))
          .until(
              d ->
                  d.findElement(By.cssSelector("ol.live-updates > li:last-child article"))
                      .getAttribute("id")
                      .equals("update-" + last));
      assertThat(top.consoleProblems()).isEmpty();
      assertThat(below.consoleProblems()).isEmpty();
    }
  }
}
