package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.broadsheet.config.Settings.*;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A newsroom's first day in a real browser: set up a fresh site, sign in, upload an image, write an
 * article with it, schedule it, let it publish, see it on the front page, moderate a comment.
 */
class NewsroomBrowserIT {

  @Test
  void setUpWriteScheduleAndModerate() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));
    try (TestApp site =
            TestApp.start(
                Backend.SQLITE,
                false,
                Map.of(
                    "BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0",
                    "BROADSHEET_HUMAN_CHECK_DIFFICULTY", "5000"),
                clock);
        Browser browser = Browser.start()) {
      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

      driver.get(site.url("/admin"));
      assertThat(driver.getCurrentUrl()).endsWith("/admin/setup");
      driver.findElement(By.id("field-title")).clear();
      driver.findElement(By.id("field-title")).sendKeys("The Fjord Gazette");
      driver.findElement(By.id("field-name")).sendKeys("Freya Editor");
      driver.findElement(By.id("field-email")).sendKeys("freya@example.org");
      driver.findElement(By.id("field-password")).sendKeys(NewsroomIT.PASSWORD);
      driver.findElement(By.cssSelector("form.admin-form button[type=submit]")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Your site is ready"));

      // Sign out and in again, as on any other day.
      driver.findElement(By.cssSelector(".admin-signout button")).click();
      wait.until(ExpectedConditions.urlContains("/admin/sign-in"));
      driver.findElement(By.id("field-email")).sendKeys("freya@example.org");
      driver.findElement(By.id("field-password")).sendKeys(NewsroomIT.PASSWORD);
      driver.findElement(By.cssSelector("form.admin-form button[type=submit]")).click();
      wait.until(ExpectedConditions.urlMatches(".*/admin$"));

      String imageUrl = MediaSteps.uploadAnImage(site, driver, wait);

      driver.get(site.url("/admin/articles/new"));
      // This test writes Markdown: the editor remembers the choice.
      new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(10))
          .until(
              org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable(
                  By.cssSelector(".editor-mode [data-mode=markdown]")))
          .click();
      driver.findElement(By.id("field-headline")).sendKeys("Fjord ferry gets an electric twin");
      driver
          .findElement(By.id("field-deck"))
          .sendKeys("A second battery ferry joins the crossing in spring.");
      WebElement body = driver.findElement(By.id("field-body"));
      body.sendKeys("The county ordered a **second** electric ferry for the crossing.");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("md-preview"), "second"));
      assertThat(driver.findElement(By.cssSelector("#md-preview strong")).getText())
          .isEqualTo("second");
      driver.findElement(By.id("field-imageUrl")).sendKeys(imageUrl);
      driver.findElement(By.id("field-imageAlt")).sendKeys("A white ferry at the quay");
      String at =
          LocalDateTime.ofInstant(
                  clock.instant().plus(Duration.ofHours(1)), site.app().config().get(TIME_ZONE))
              .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
      ((JavascriptExecutor) driver)
          .executeScript("document.getElementById('field-publishAt').value = arguments[0];", at);
      driver.findElement(By.cssSelector("button[name=action][value=schedule]")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".article-state"), "Scheduled"));

      assertThat(site.get("/").body()).doesNotContain("Fjord ferry gets an electric twin");
      clock.advance(Duration.ofHours(2));
      site.app().publishScheduled();
      Article article =
          site.app().articles().bySlug("fjord-ferry-gets-an-electric-twin").orElseThrow();
      assertThat(article.isPublic()).isTrue();
      driver.get(site.url("/"));
      WebElement lead =
          wait.until(
              ExpectedConditions.visibilityOfElementLocated(
                  By.linkText("Fjord ferry gets an electric twin")));
      lead.click();
      wait.until(ExpectedConditions.urlContains("fjord-ferry-gets-an-electric-twin"));
      assertThat(driver.findElement(By.cssSelector(".lead-image img")).getAttribute("src"))
          .contains(imageUrl);

      // A reader comments; the first comment of a new commenter waits for moderation.
      driver.findElement(By.id("comment-body")).sendKeys("Will the old ferry be sold?");
      driver.findElement(By.id("comment-name")).sendKeys("Ola Reader");
      driver.findElement(By.id("comment-email")).sendKeys("ola@example.org");
      wait.until(
          d ->
              !d.findElement(By.cssSelector("input[type=hidden][name=altcha]"))
                  .getAttribute("value")
                  .isEmpty());
      driver.findElement(By.cssSelector(".comment-submit")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".comment-pending")));

      driver.get(site.url("/admin/comments"));
      assertThat(driver.findElement(By.cssSelector(".admin-nav .count")).getText()).isEqualTo("1");
      assertThat(driver.findElement(By.cssSelector(".moderation-why")).getText())
          .contains("Held because");
      driver.findElement(By.cssSelector(".moderation-item input[type=checkbox]")).click();
      driver.findElement(By.cssSelector(".bulk button")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Done."));
      driver.get(site.url(site.path(article)));
      // The browser keeps the public page for a minute; reloading revalidates it.
      driver.navigate().refresh();
      assertThat(driver.findElement(By.id("comments")).getText())
          .contains("Will the old ferry be sold?");
      browser.screenshot("newsroom-first-day");
      assertThat(browser.consoleProblems()).isEmpty();
    }
  }
}
