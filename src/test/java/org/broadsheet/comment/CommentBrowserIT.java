package org.broadsheet.comment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A reader commenting in a real browser, with the human check solving in a Web Worker. */
class CommentBrowserIT {

  private static TestApp site;
  private static Browser reader;
  private static Browser stranger;

  @BeforeAll
  static void start() {
    site =
        TestApp.start(
            Backend.SQLITE,
            false,
            Map.of(
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                "0",
                "BROADSHEET_HUMAN_CHECK_DIFFICULTY",
                "20000"));
    reader = Browser.start();
    stranger = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (reader != null) {
      reader.close();
    }
    if (stranger != null) {
      stranger.close();
    }
    site.close();
  }

  private static WebDriverWait waiting(WebDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  private static void type(WebDriver driver, String id, String text) {
    WebElement field = driver.findElement(By.id(id));
    field.clear();
    field.sendKeys(text);
  }

  @Test
  void emptySubmitShowsBothMessagesAndKeepsTheOtherFields() {
    Article article = site.article("Empty submit in a browser");
    WebDriver driver = reader.driver();
    driver.get(site.url(site.path(article)));
    type(driver, "comment-email", "kept@example.org");
    driver.findElement(By.cssSelector(".comment-submit")).click();
    WebElement bodyError = driver.findElement(By.id("comment-body-error"));
    waiting(driver).until(ExpectedConditions.visibilityOf(bodyError));
    assertThat(bodyError.getText()).isEqualTo("Please enter your comment!");
    assertThat(driver.findElement(By.id("comment-name-error")).getText())
        .isEqualTo("Please enter your name here");
    assertThat(driver.findElement(By.id("comment-email")).getAttribute("value"))
        .isEqualTo("kept@example.org");
    reader.screenshot("comment-empty-submit");
    assertThat(reader.consoleProblems()).isEmpty();
  }

  @Test
  void theSubmitButtonStaysWhereItIsWhileTheCheckRuns() {
    Article article = site.article("A button that stays put");
    WebDriver driver = reader.driver();
    driver.get(site.url(site.path(article)));
    JavascriptExecutor js = (JavascriptExecutor) driver;
    String top =
        "return document.querySelector('.comment-submit').getBoundingClientRect().top"
            + " + window.scrollY;";
    Number before = (Number) js.executeScript(top);
    type(driver, "comment-body", "Typing starts the check.");
    waiting(driver)
        .until(
            d ->
                !"idle"
                    .equals(
                        js.executeScript(
                            "return document.querySelector('.human-check').dataset.state;")));
    // "Verifying…" (then "Verified") appears in a line kept for it: nothing below moves, so a
    // click aimed at "Post Comment" lands on it.
    assertThat(((Number) js.executeScript(top)).doubleValue()).isEqualTo(before.doubleValue());
    waiting(driver)
        .until(
            d ->
                "verified"
                    .equals(
                        js.executeScript(
                            "return document.querySelector('.human-check').dataset.state;")));
    assertThat(((Number) js.executeScript(top)).doubleValue()).isEqualTo(before.doubleValue());
  }

  @Test
  void aCommentAwaitsModerationForItsAuthorOnlyThenEveryoneSeesItAndRepliesNest() {
    Article article = site.article("Comment flow in a browser");
    String url = site.url(site.path(article));
    WebDriver driver = reader.driver();
    driver.get(url);
    ((JavascriptExecutor) driver).executeScript("window.__samePage = true;");
    type(driver, "comment-body", "A first comment, typed in a real browser.");
    type(driver, "comment-name", "Ada Reader");
    type(driver, "comment-email", "ada.browser@example.org");
    driver.findElement(By.cssSelector(".comment-submit")).click();
    WebElement mine =
        waiting(driver)
            .until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".comment-pending")));
    assertThat(mine.getText())
        .contains("A first comment, typed in a real browser.", "awaiting moderation");
    assertThat(((JavascriptExecutor) driver).executeScript("return window.__samePage === true;"))
        .isEqualTo(true);
    reader.screenshot("comment-pending");

    driver.navigate().refresh();
    assertThat(driver.findElement(By.cssSelector(".comment-pending")).getText())
        .contains("awaiting moderation");

    stranger.driver().get(url);
    assertThat(stranger.driver().findElements(By.cssSelector(".comment"))).isEmpty();

    Comment pending =
        site.app().comments().queue(CommentStatus.PENDING, 10).stream()
            .filter(c -> c.authorEmail().equals("ada.browser@example.org"))
            .findFirst()
            .orElseThrow();
    site.app().comments().approve(pending.id());
    stranger.driver().navigate().refresh();
    assertThat(stranger.driver().findElement(By.id("comment-" + pending.id())).getText())
        .contains("A first comment, typed in a real browser.")
        .doesNotContain("awaiting");

    WebDriver other = stranger.driver();
    other.findElement(By.cssSelector("#comment-" + pending.id() + " .comment-reply")).click();
    assertThat(other.findElement(By.cssSelector(".replying-to")).isDisplayed()).isTrue();
    type(other, "comment-body", "A reply from someone else.");
    type(other, "comment-name", "Bo Stranger");
    type(other, "comment-email", "bo.browser@example.org");
    other.findElement(By.cssSelector(".comment-submit")).click();
    WebElement reply =
        waiting(other)
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#comment-" + pending.id() + " .comment-children .comment")));
    assertThat(reply.getText()).contains("A reply from someone else.");
    stranger.screenshot("comment-reply");
    assertThat(reader.consoleProblems()).isEmpty();
    assertThat(stranger.consoleProblems()).isEmpty();
    assertThat(site.app().web().cspViolations()).isZero();
  }

  @Test
  void theDraftSurvivesAReload() {
    Article article = site.article("Drafts survive");
    WebDriver driver = reader.driver();
    driver.get(site.url(site.path(article)));
    type(driver, "comment-body", "Half-written thoughts that must not vanish.");
    type(driver, "comment-name", "Dee Draft");
    waiting(driver)
        .until(
            d ->
                String.valueOf(
                        ((JavascriptExecutor) d)
                            .executeScript(
                                "return localStorage.getItem('broadsheet.draft."
                                    + article.id()
                                    + "')"))
                    .contains("must not vanish"));
    driver.navigate().refresh();
    assertThat(driver.findElement(By.id("comment-body")).getAttribute("value"))
        .isEqualTo("Half-written thoughts that must not vanish.");
    assertThat(driver.findElement(By.id("comment-name")).getAttribute("value"))
        .isEqualTo("Dee Draft");
  }
}
