package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A reader in a real browser: front page, into an article, the regions of the page, a clean
 * console.
 */
class ReaderBrowserIT {

  private static TestApp site;
  private static Browser browser;

  @BeforeAll
  static void start() {
    site = TestApp.start(Backend.SQLITE, true);
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    site.close();
  }

  @Test
  void readerOpensTheFrontPageAndClicksIntoAnArticle() {
    WebDriver driver = browser.driver();
    driver.get(site.url("/"));
    assertThat(driver.getTitle()).isEqualTo("The Halden Courier");
    browser.screenshot("home");

    WebElement lead = driver.findElement(By.cssSelector(".lead-story h2 a"));
    String headline = lead.getText();
    lead.click();

    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo(headline);
    assertThat(driver.getTitle()).startsWith(headline);
    assertThat(driver.findElements(By.tagName("h1"))).hasSize(1);
    assertThat(driver.findElement(By.cssSelector("#subscribe-heading")).getText())
        .isEqualTo("› SUBSCRIBE");
    assertThat(driver.findElement(By.cssSelector("#reply-heading")).getText())
        .isEqualTo("LEAVE A REPLY");
    assertThat(driver.findElement(By.cssSelector("#more-heading")).getText())
        .isEqualToIgnoringCase("More Articles");
    assertThat(driver.findElements(By.cssSelector(".more-articles .card"))).isNotEmpty();
    assertThat(driver.findElement(By.cssSelector(".byline a[rel=author]")).getAttribute("href"))
        .contains("/author/");
    assertThat(driver.findElement(By.cssSelector(".dateline time")).getAttribute("datetime"))
        .matches("\\d{4}-\\d{2}-\\d{2}T.*");
    assertThat(driver.findElements(By.cssSelector("main, header, nav, footer")))
        .hasSizeGreaterThanOrEqualTo(4);
    browser.screenshot("article");

    List<String> problems = browser.consoleProblems();
    assertThat(problems).as("console errors or CSP violations").isEmpty();
    assertThat(site.app().web().cspViolations()).isZero();
  }

  @Test
  void keyboardUsersCanSkipToTheContent() {
    WebDriver driver = browser.driver();
    driver.get(site.url("/section/city"));
    driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
    WebElement focused = driver.switchTo().activeElement();
    assertThat(focused.getText()).isEqualTo("Skip to content");
    focused.sendKeys(Keys.ENTER);
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
    assertThat(browser.consoleProblems()).isEmpty();
  }

  @Test
  void theNotFoundPageLooksLikeTheSite() {
    WebDriver driver = browser.driver();
    driver.get(site.url("/no/such/page"));
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Page not found");
    assertThat(driver.findElement(By.cssSelector(".brand")).getText())
        .isEqualTo("The Halden Courier");
    browser.screenshot("not-found");
    assertThat(browser.consoleProblems()).allMatch(m -> m.contains("404"));
  }
}
