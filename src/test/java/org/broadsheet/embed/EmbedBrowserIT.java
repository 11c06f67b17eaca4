package org.broadsheet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A reader's browser contacts no provider until the reader asks: the page with a YouTube video and
 * a Spotify track loads with requests to this site only (read from the browser's own request log),
 * the cards hold the frames' space, and pressing "Play the video" loads the YouTube frame, allowed
 * by the page's policy, while Spotify is still not contacted. No host but this machine resolves in
 * the test browser, so nothing leaves it.
 */
class EmbedBrowserIT {

  @Test
  void noRequestGoesToAProviderUntilTheReaderClicks() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true);
        Browser browser = Browser.withRequestLog()) {
      Article story =
          site.app()
              .articles()
              .create(
                  new ArticleDraft(
                      "",
                      "city",
                      "The harbour cranes, on video",
                      "",
                      "The cranes arrived at dawn.\n\n"
                          + "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
                          + "And the song the dockers sang:\n\n"
                          + "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC\n",
                      ArticleStatus.PUBLISHED,
                      null,
                      List.of("ines-varga"),
                      List.of(),
                      null));
      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      driver.manage().window().setSize(new Dimension(390, 844));
      driver.get(site.url(site.path(story)));
      WebElement video = driver.findElement(By.cssSelector("figure.embed-wide"));
      WebElement play = video.findElement(By.cssSelector("button.embed-load"));
      wait.until(ExpectedConditions.visibilityOf(play));
      ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", video);
      browser.screenshot("embed-card-390");

      List<String> before = browser.requestedUrls();
      assertThat(before).isNotEmpty();
      assertThat(before)
          .as("requests before any click")
          .allSatisfy(url -> assertThat(URI.create(url).getHost()).isEqualTo("127.0.0.1"));
      // The card holds the frame's 16:9 box.
      int width = video.getSize().getWidth();
      assertThat(video.getSize().getHeight()).isBetween(width * 9 / 16 - 2, width * 9 / 16 + 2);
      int top = video.getLocation().getY();

      play.click();
      WebElement frame =
          wait.until(
              ExpectedConditions.presenceOfNestedElementLocatedBy(video, By.tagName("iframe")));
      assertThat(frame.getAttribute("src"))
          .startsWith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
      assertThat(frame.getAttribute("title")).isEqualTo("YouTube video");
      assertThat(video.getLocation().getY()).as("nothing moved").isEqualTo(top);
      assertThat(video.getSize().getHeight()).isBetween(width * 9 / 16 - 2, width * 9 / 16 + 2);
      wait.until(
          d ->
              browser.requestedUrls().stream()
                  .anyMatch(u -> u.startsWith("https://www.youtube-nocookie.com/embed/")));
      List<String> after = browser.requestedUrls();
      assertThat(after).noneMatch(u -> u.contains("spotify"));
      assertThat(browser.consoleProblems())
          .as("the page's policy allows the frame it loads")
          .noneMatch(m -> m.contains("Content Security Policy"));
      browser.screenshot("embed-loaded-390");
    }
  }
}
