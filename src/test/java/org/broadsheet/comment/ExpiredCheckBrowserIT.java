package org.broadsheet.comment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reCAPTCHA failure the reference page shows, done right: the check expires while the reader is
 * still typing, renews itself, and the comment posts with its text intact and no reload.
 */
class ExpiredCheckBrowserIT {

  @Test
  void aReaderWhoTypesLongerThanTheExpiryStillPostsWithoutReloading() {
    try (TestApp site =
            TestApp.start(
                Backend.SQLITE,
                false,
                Map.of(
                    "BROADSHEET_HUMAN_CHECK_EXPIRY",
                    "3",
                    "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                    "0",
                    "BROADSHEET_HUMAN_CHECK_DIFFICULTY",
                    "5000"));
        Browser browser = Browser.start()) {
      Article article = site.article("Slow writers welcome");
      WebDriver driver = browser.driver();
      driver.get(site.url(site.path(article)));
      ((JavascriptExecutor) driver).executeScript("window.__samePage = true;");
      WebElement body = driver.findElement(By.id("comment-body"));
      body.sendKeys("I started writing this ");
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      wait.until(
          d ->
              !d.findElement(By.cssSelector("input[type=hidden][name=altcha]"))
                  .getAttribute("value")
                  .isEmpty());
      String firstAnswer =
          driver
              .findElement(By.cssSelector("input[type=hidden][name=altcha]"))
              .getAttribute("value");
      // The reader keeps typing past the 3-second expiry; the widget renews the answer by itself.
      wait.until(
          d -> {
            String now =
                d.findElement(By.cssSelector("input[type=hidden][name=altcha]"))
                    .getAttribute("value");
            return !now.isEmpty() && !now.equals(firstAnswer);
          });
      body.sendKeys("and finished it long after the check expired.");
      driver.findElement(By.id("comment-name")).sendKeys("Sam Slow");
      driver.findElement(By.id("comment-email")).sendKeys("sam.slow@example.org");
      driver.findElement(By.cssSelector(".comment-submit")).click();
      WebElement posted =
          wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".comment-pending")));
      assertThat(posted.getText())
          .contains("I started writing this and finished it long after the check expired.");
      assertThat(((JavascriptExecutor) driver).executeScript("return window.__samePage === true;"))
          .isEqualTo(true);
      browser.screenshot("comment-after-expiry");
      assertThat(browser.consoleProblems()).isEmpty();
    }
  }
}
