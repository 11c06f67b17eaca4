package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.article.ArticleFilter;
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
 * The newsroom on a 390 px phone: every page the newsroom registers (read from its route list, so a
 * new page is covered the day it is added) is no wider than the screen, and its buttons and links
 * in the navigation are at least 44 px tall; axe-core finds no accessibility violation on any.
 */
class NewsroomPhoneBrowserIT {

  @Test
  void everyNewsroomPageFitsA390PixelScreen() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true);
        Browser browser = Browser.start()) {
      site.app()
          .newsroom()
          .addMember(
              "ada@example.org",
              "Ada Admin",
              NewsroomIT.PASSWORD,
              Role.ADMIN,
              Actor.system("test"));
      long article = site.app().articles().latest(ArticleFilter.ALL, 1, 0).getFirst().id();
      long revision = site.app().articles().revisions(article).getFirst().id();
      WebDriver driver = browser.driver();
      driver.manage().window().setSize(new Dimension(390, 844));
      WebDriverWait wait = new WebDriverWait(driver, java.time.Duration.ofSeconds(20));
      driver.get(site.url("/admin/sign-in"));
      browser.screenshot("newsroom-390-sign-in");
      driver.findElement(By.id("field-email")).sendKeys("ada@example.org");
      driver.findElement(By.id("field-password")).sendKeys(NewsroomIT.PASSWORD);
      driver.findElement(By.cssSelector("form.admin-form button[type=submit]")).click();
      wait.until(ExpectedConditions.urlMatches(".*/admin$"));

      List<String> pages = new ArrayList<>();
      for (String registered : site.app().web().routes()) {
        String[] parts = registered.split(" ", 3);
        String path = parts[1];
        if (!parts[0].equals("GET")
            || !path.startsWith("/admin")
            || path.startsWith("/admin/api/")
            || path.endsWith(".csv")
            || path.contains("*")
            || path.equals("/admin/setup")
            || path.equals("/admin/sign-in")) {
          continue;
        }
        pages.add(
            path.replace("/articles/{id}", "/articles/" + article)
                .replace("{revision}", Long.toString(revision))
                .replace("{id}", "1"));
      }
      assertThat(pages).hasSizeGreaterThan(15);
      List<String> tooWide = new ArrayList<>();
      List<String> inaccessible = new ArrayList<>();
      for (String page : pages) {
        driver.get(site.url(page));
        long width =
            (Long)
                ((JavascriptExecutor) driver)
                    .executeScript("return document.documentElement.scrollWidth");
        if (width > 390) {
          tooWide.add(page + " is " + width + " px wide");
        }
        browser.screenshot("newsroom-390" + page.replace('/', '-'));
        browser.axeViolations().forEach(v -> inaccessible.add(page + ": " + v));
      }
      assertThat(tooWide).isEmpty();
      assertThat(inaccessible).as("axe-core on every newsroom page").isEmpty();

      driver.get(site.url("/admin"));
      // The navigation folds behind a Menu button on a phone.
      assertThat(driver.findElement(By.id("admin-nav")).isDisplayed()).isFalse();
      driver.findElement(By.cssSelector("button.admin-menu-toggle")).click();
      assertThat(driver.findElement(By.id("admin-nav")).isDisplayed()).isTrue();
      browser.screenshot("newsroom-390-menu-open");
      @SuppressWarnings("unchecked")
      List<String> small =
          (List<String>)
              ((JavascriptExecutor) driver)
                  .executeScript(
                      "return [...document.querySelectorAll('.admin-nav a, main button')]"
                          + ".filter(e => e.getClientRects().length && e.getBoundingClientRect().height < 44)"
                          + ".map(e => e.textContent.trim())");
      assertThat(small).as("touch targets under 44 px").isEmpty();
      assertThat(browser.consoleProblems()).allMatch(m -> m.contains("404") || m.contains("410"));
    }
  }
}
