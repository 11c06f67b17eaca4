package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.site.Section;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An editor arranges the front page in a browser: a lead and two featured stories chosen from older
 * ones, the section blocks reordered, a preview first, then saved; readers see exactly that. Then a
 * section's front likewise.
 */
class FrontPageBrowserIT {

  @Test
  void anEditorChoosesTheLeadAndFeaturedStoriesAndTheOrderOfSections() throws Exception {
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
      List<ArticleSummary> newest = site.app().articles().latest(ArticleFilter.ALL, 12, 0);
      ArticleSummary lead = newest.get(8);
      ArticleSummary first = newest.get(9);
      ArticleSummary second = newest.get(10);
      List<Section> sections = site.app().articles().sections();

      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      driver.get(site.url("/admin/sign-in"));
      driver.findElement(By.id("field-email")).sendKeys("eda@example.org");
      driver.findElement(By.id("field-password")).sendKeys(NewsroomIT.PASSWORD);
      driver.findElement(By.cssSelector("form.admin-form button[type=submit]")).click();
      wait.until(ExpectedConditions.urlMatches(".*/admin$"));

      driver.findElement(By.linkText("Front page")).click();
      wait.until(ExpectedConditions.urlContains("/admin/front"));
      new Select(driver.findElement(By.id("field-slot0"))).selectByVisibleText(lead.headline());
      new Select(driver.findElement(By.id("field-slot1"))).selectByVisibleText(first.headline());
      new Select(driver.findElement(By.id("field-slot2"))).selectByVisibleText(second.headline());
      // The last section first, the rest after it in their order.
      for (int i = 0; i < sections.size(); i++) {
        WebElement place = driver.findElement(By.id("field-order-" + sections.get(i).id()));
        place.clear();
        place.sendKeys(Integer.toString(i == sections.size() - 1 ? 1 : i + 2));
      }

      // Preview in a new tab: the arrangement, marked as not saved; readers still see the old one.
      String newsroom = driver.getWindowHandle();
      driver.findElement(By.xpath("//button[contains(., 'Preview the home page')]")).click();
      wait.until(d -> d.getWindowHandles().size() == 2);
      for (String handle : driver.getWindowHandles()) {
        if (!handle.equals(newsroom)) {
          driver.switchTo().window(handle);
        }
      }
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".preview-banner")));
      assertThat(driver.findElement(By.id("lead-heading")).getText()).isEqualTo(lead.headline());
      browser.screenshot("front-preview");
      driver.close();
      driver.switchTo().window(newsroom);
      assertThat(Jsoup.parse(site.get("/").body()).selectFirst("#lead-heading").text())
          .isEqualTo(newest.get(0).headline());

      driver.findElement(By.xpath("//button[contains(., 'Save the front')]")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "The front is arranged"));

      Document front = Jsoup.parse(site.get("/").body());
      assertThat(front.selectFirst("#lead-heading").text()).isEqualTo(lead.headline());
      List<String> latest =
          front.select("section[aria-labelledby=latest-heading] .card-title").eachText();
      assertThat(latest.subList(0, 2)).containsExactly(first.headline(), second.headline());
      List<String> blocks = new ArrayList<>(front.select(".section-block > h2").eachText());
      assertThat(blocks.getFirst()).isEqualTo(sections.getLast().name());
      assertThat(front.select(".sections-nav a").eachText()).contains(sections.getLast().name());
      assertThat(site.app().audit().latest(10, 0).stream().map(e -> e.action()))
          .contains("front.arrange");

      // A section's front: its own lead.
      Section city =
          sections.stream().filter(s -> s.slug().equals("city")).findFirst().orElseThrow();
      List<ArticleSummary> cityStories =
          site.app().articles().latest(ArticleFilter.section(city.id()), 5, 0);
      ArticleSummary cityLead = cityStories.getLast();
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
      driver.get(site.url("/admin/front?section=" + city.id()));
      browser.screenshot("front-arrange-390");
      new Select(driver.findElement(By.id("field-slot0"))).selectByVisibleText(cityLead.headline());
      driver.findElement(By.xpath("//button[contains(., 'Save the front')]")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "The front is arranged"));
      assertThat(Jsoup.parse(site.get("/section/city").body()).select(".card-title").first().text())
          .isEqualTo(cityLead.headline());
      assertThat(browser.consoleProblems()).isEmpty();
    }
  }
}
