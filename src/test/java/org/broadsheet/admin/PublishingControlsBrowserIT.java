package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The editor's publishing controls in a browser: on a live story "Save draft" changes nothing
 * readers see; "Update live story" shows in words what will change and changes the public page only
 * once confirmed; unpublishing asks too; a scheduled story can be unscheduled; an edit of the deck
 * alone is offered back after a reload.
 */
class PublishingControlsBrowserIT {

  @Test
  void liveChangesWaitForConfirmationAndNothingTypedIsLost() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true);
        Browser browser = Browser.start()) {
      site.app()
          .newsroom()
          .addMember(
              "eda@example.org",
              "Eda Editor",
              NewsroomIT.PASSWORD,
              Role.EDITOR,
              Actor.system("test"));
      long storyId = site.app().articles().latest(ArticleFilter.ALL, 1, 0).getFirst().id();
      Article story = site.app().articles().byId(storyId).orElseThrow();
      String publicPath = site.path(story);
      String original = story.headline();

      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      driver.manage().window().setSize(new Dimension(1366, 1000));
      browser.signIn(site, "eda@example.org", NewsroomIT.PASSWORD);

      // Save draft on a live story: kept, not live.
      driver.get(site.url("/admin/articles/" + storyId));
      assertThat(driver.findElement(By.cssSelector(".article-state")).getText())
          .startsWith("Live since");
      WebElement headline = driver.findElement(By.id("field-headline"));
      headline.clear();
      headline.sendKeys("Cooling rooms stay open all week");
      driver.findElement(By.xpath("//button[normalize-space()='Save draft']")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Changes saved, not live"));
      assertThat(headlineOnSite(site, publicPath)).isEqualTo(original);
      assertThat(driver.findElement(By.id("field-headline")).getAttribute("value"))
          .isEqualTo("Cooling rooms stay open all week");
      assertThat(driver.findElement(By.cssSelector(".pending-changes")).getText())
          .contains("Edited, not live");

      // Update live story: first the question, in words; readers still see the old version.
      driver.findElement(By.xpath("//button[normalize-space()='Update live story']")).click();
      WebElement confirm =
          wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
      assertThat(confirm.getText())
          .contains(
              "Update the live story?", "“" + original + "” → “Cooling rooms stay open all week”");
      assertThat(confirm.getText()).as("the text did not change").doesNotContain("Text:");
      assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("confirm");
      browser.screenshot("editor-confirm-live-update");
      assertThat(headlineOnSite(site, publicPath)).isEqualTo(original);
      driver.findElement(By.xpath("//button[normalize-space()='Update live story now']")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Published."));
      assertThat(headlineOnSite(site, publicPath)).isEqualTo("Cooling rooms stay open all week");
      assertThat(driver.findElements(By.cssSelector(".pending-changes"))).isEmpty();

      // Unpublish asks too.
      driver.findElement(By.xpath("//button[normalize-space()='Unpublish']")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
      assertThat(site.get(publicPath).statusCode()).isEqualTo(200);
      driver.findElement(By.xpath("//button[normalize-space()='Unpublish it now']")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Unpublished."));
      assertThat(site.get(publicPath).statusCode()).isEqualTo(404);

      // A scheduled story can be unscheduled.
      driver.get(site.url("/admin/articles/new"));
      // This test writes Markdown: the editor remembers the choice.
      new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(10))
          .until(
              org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable(
                  By.cssSelector(".editor-mode [data-mode=markdown]")))
          .click();
      driver.findElement(By.id("field-headline")).sendKeys("Regatta moves to Sunday");
      driver.findElement(By.id("field-body")).sendKeys("The regatta moves because of the wind.");
      // The date-time picker is the browser's own; its value is set as a person picking would.
      ((org.openqa.selenium.JavascriptExecutor) driver)
          .executeScript("document.getElementById('field-publishAt').value = '2030-06-01T07:30'");
      driver.findElement(By.xpath("//button[normalize-space()='Schedule']")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Scheduled."));
      assertThat(driver.findElement(By.cssSelector(".article-state")).getText())
          .startsWith("Scheduled for");
      driver.findElement(By.xpath("//button[normalize-space()='Unschedule']")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Unscheduled"));
      long scheduledId =
          Long.parseLong(driver.getCurrentUrl().replaceAll(".*/admin/articles/(\\d+).*", "$1"));
      Article unscheduled = site.app().articles().byId(scheduledId).orElseThrow();
      assertThat(unscheduled.status()).isEqualTo(ArticleStatus.DRAFT);
      assertThat(unscheduled.publishedAt()).isNull();

      // A deck-only edit survives a reload.
      driver.get(site.url("/admin/articles/" + scheduledId));
      driver.findElement(By.id("field-deck")).sendKeys("Wind forecast for Saturday");
      driver.navigate().refresh();
      WebElement bringBack =
          wait.until(
              ExpectedConditions.elementToBeClickable(
                  By.xpath("//button[normalize-space()='Bring it back']")));
      bringBack.click();
      assertThat(driver.findElement(By.id("field-deck")).getAttribute("value"))
          .isEqualTo("Wind forecast for Saturday");
      assertThat(browser.consoleProblems()).isEmpty();
    }
  }

  private static String headlineOnSite(TestApp site, String path) {
    return Jsoup.parse(site.get(path).body()).selectFirst("h1").text();
  }
}
