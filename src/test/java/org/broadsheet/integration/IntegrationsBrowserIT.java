package org.broadsheet.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An admin connects an app as a newsroom would: makes an API key (shown once, then only its
 * prefix), adds a webhook, presses "Send test" and sees the delivery with its status code; a wrong
 * address keeps what was typed with the reason. At 1366 px and on a 390 px phone, without
 * horizontal scrolling and without accessibility violations.
 */
class IntegrationsBrowserIT {

  @Test
  void anAdminMakesAKeyAndAWebhookAndSeesTheTestArrive() throws Exception {
    try (WebhooksIT.Receiver receiver = new WebhooksIT.Receiver(200);
        TestApp site = TestApp.start(Backend.SQLITE, true, WebhooksIT.LOCAL);
        Browser browser = Browser.start()) {
      site.app()
          .newsroom()
          .addMember("ada@example.org", "Ada Admin", ApiIT.PASSWORD, Role.ADMIN, Actor.system("t"));
      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      driver.manage().window().setSize(new Dimension(1366, 1000));
      browser.signIn(site, "ada@example.org", ApiIT.PASSWORD);
      driver.get(site.url("/admin/integrations"));

      // A key: named, limited, shown once.
      driver.findElement(By.id("field-keyName")).sendKeys("Wire importer");
      driver.findElement(By.cssSelector("input[name=scopes][value=write_own]")).click();
      driver.findElement(By.cssSelector("input[name=scopes][value=publish]")).click();
      driver.findElement(By.xpath("//button[text()='Make the key']")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-key")));
      String secret = driver.findElement(By.id("new-key")).getAttribute("value");
      assertThat(secret).startsWith("bs_");
      browser.screenshot("integrations-key-1366");
      assertThat(browser.axeViolations()).isEmpty();
      assertThat(
              site.get("/api/v1/admin/articles/999999", "Authorization", "Bearer " + secret)
                  .statusCode())
          .as("the key works at once (no such story, rather than no such key)")
          .isEqualTo(404);
      driver.get(site.url("/admin/integrations"));
      assertThat(driver.findElements(By.id("new-key"))).as("shown only once").isEmpty();
      assertThat(driver.findElement(By.cssSelector(".admin-table")).getText())
          .contains("Wire importer")
          .doesNotContain(secret);

      // A webhook: a wrong address first, then the receiver.
      driver.findElement(By.id("field-hookName")).sendKeys("App");
      driver.findElement(By.id("field-url")).sendKeys("ftp://example.org/hook");
      driver.findElement(By.cssSelector("input[name=events][value='article.published']")).click();
      ((JavascriptExecutor) driver)
          .executeScript("document.getElementById('field-url').type = 'text'");
      driver.findElement(By.xpath("//button[text()='Add the webhook']")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".field-error")));
      assertThat(driver.findElement(By.id("field-hookName")).getAttribute("value"))
          .isEqualTo("App");
      assertThat(driver.findElement(By.cssSelector(".field-error")).getText())
          .contains("cannot go there");
      assertThat(browser.consoleProblems())
          .as("the refused form is a 422, nothing else")
          .allSatisfy(p -> assertThat(p).contains("422"));
      driver.findElement(By.id("field-url")).clear();
      driver.findElement(By.id("field-url")).sendKeys(receiver.url());
      driver.findElement(By.cssSelector("input[name=events][value='article.published']")).click();
      driver.findElement(By.xpath("//button[text()='Add the webhook']")).click();
      wait.until(ExpectedConditions.urlMatches(".*/admin/integrations/webhooks/[0-9]+.*"));
      driver.findElement(By.xpath("//button[text()='Send test']")).click();
      wait.until(ExpectedConditions.urlContains("done=webhook-test"));
      org.broadsheet.testing.Eventually.until(
          "the test arrives", () -> receiver.requests.size() == 1);
      org.broadsheet.testing.Eventually.until(
          "the log shows it",
          () -> {
            driver.navigate().refresh();
            return driver.findElement(By.tagName("main")).getText().contains("Delivered (200)");
          });
      browser.screenshot("integrations-webhook-1366");
      assertThat(browser.axeViolations()).isEmpty();

      driver.manage().window().setSize(new Dimension(390, 844));
      for (String page : new String[] {"/admin/integrations", driver.getCurrentUrl()}) {
        driver.get(page.startsWith("http") ? page : site.url(page));
        long width =
            (Long)
                ((JavascriptExecutor) driver)
                    .executeScript("return document.documentElement.scrollWidth");
        assertThat(width).as(page + " fits a phone").isLessThanOrEqualTo(390);
      }
      browser.screenshot("integrations-webhook-390");
      // The API reference a developer is sent to, on the same phone.
      driver.get(site.url("/api/v1/docs"));
      assertThat(
              (Long)
                  ((JavascriptExecutor) driver)
                      .executeScript("return document.documentElement.scrollWidth"))
          .as("the API reference fits a phone")
          .isLessThanOrEqualTo(390);
      browser.screenshot("api-reference-390");
      assertThat(browser.axeViolations()).isEmpty();
      assertThat(browser.consoleProblems()).isEmpty();
      assertThat(site.app().web().cspViolations()).isZero();
    }
  }
}
