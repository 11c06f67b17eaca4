package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentSubmission;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Moderation in one action: approving a held comment from the queue is one click and one request
 * (read from the browser's request log), the queue moves on to the next comment, and the key "s"
 * marks that one as spam. A reply written in the newsroom carries a badge for readers.
 */
class ModerationBrowserIT {

  private static Comment held(TestApp site, Article article, String name, String text) {
    Comment c =
        site.app()
            .comments()
            .submit(
                new CommentSubmission(
                    article.id(),
                    null,
                    name,
                    name.toLowerCase().replace(' ', '.') + "@example.org",
                    "",
                    text,
                    false,
                    site.solvedCheck("comment:" + article.id()),
                    "",
                    "203.0.113.9",
                    "JUnit",
                    Instant.now()));
    assertThat(c.isApproved()).isFalse();
    return c;
  }

  @Test
  void approvingTakesOneClickAndOneRequest() {
    try (TestApp site =
            TestApp.start(
                Backend.SQLITE, true, Map.of("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"));
        Browser browser = Browser.withRequestLog()) {
      Article article =
          site.app().articles().bySlug("halden-water-announces-hosepipe-ban").orElseThrow();
      Comment first = held(site, article, "Rune Reader", "Will the ban cover allotments too?");
      Comment second = held(site, article, "Sara Spam", "Cheap watches at example dot com");
      site.app()
          .newsroom()
          .addMember(
              "eda@example.org", "Eda Editor", NewsroomIT.PASSWORD, Role.EDITOR, Actor.system("t"));
      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      browser.signIn(site, "eda@example.org", NewsroomIT.PASSWORD);
      driver.get(site.url("/admin/comments"));
      WebElement item =
          driver.findElement(By.cssSelector(".moderation-item[data-comment='" + first.id() + "']"));
      browser.requestedUrls(); // forget the page's own requests

      item.findElement(By.cssSelector("button[data-one=approve]")).click();
      wait.until(Browser.gone(item));
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("p.notice[role=status]"), "Approved: the comment by Rune Reader."));
      List<String> requests = browser.requestedUrls();
      assertThat(requests)
          .as("one click, one request")
          .containsExactly(site.url("/admin/comments/" + first.id() + "/approve"));
      assertThat(site.app().comments().find(first.id()).orElseThrow().isApproved()).isTrue();
      assertThat(site.get(site.path(article)).body())
          .contains("Will the ban cover allotments too?");

      // The next comment has the focus; "s" marks it as spam.
      WebElement next =
          driver.findElement(
              By.cssSelector(".moderation-item[data-comment='" + second.id() + "']"));
      assertThat(driver.switchTo().activeElement()).isEqualTo(next);
      next.sendKeys("s");
      wait.until(Browser.gone(next));
      assertThat(site.app().comments().find(second.id()).orElseThrow().status().name())
          .isEqualTo("SPAM");

      // A reply from the newsroom is badged on the story.
      site.app()
          .comments()
          .staffReply(
              Actor.of(site.app().accounts().byEmail("eda@example.org").orElseThrow(), "t"),
              first.id(),
              "It does: allotments count as gardens.");
      assertThat(
              Jsoup.parse(site.get(site.path(article)).body())
                  .select(".comment .staff-badge")
                  .eachText())
          .containsExactly("From the newsroom");
      assertThat(browser.consoleProblems()).isEmpty();
    }
  }
}
