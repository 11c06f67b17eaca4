package org.broadsheet.newsletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.Mailbox;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A reader in headless Chromium: subscribes from an article page (the human check solving in the
 * browser), reads the confirmation mail from the SMTP server (GreenMail), confirms with the button,
 * changes their choices from the welcome mail's link, and unsubscribes.
 */
class NewsletterBrowserIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  private static final String BASE = "https://news.example.org";
  private static final Pattern LINK =
      Pattern.compile(Pattern.quote(BASE) + "(/newsletter/([a-z]+)\\?token=[A-Za-z0-9_.%=:-]+)");

  private static MimeMessage mail(TestApp site, int count) throws Exception {
    return Mailbox.nth(site, SMTP, count);
  }

  /** The path of the mail's link of this kind, to open on the test server. */
  private static String link(MimeMessage mail, String kind) {
    String body = GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "=");
    Matcher m = LINK.matcher(body);
    while (m.find()) {
      if (m.group(2).equals(kind)) {
        return m.group(1);
      }
    }
    throw new AssertionError("no " + kind + " link in " + body);
  }

  @Test
  void subscribeConfirmChangeChoicesAndUnsubscribe() throws Exception {
    try (TestApp site =
            TestApp.start(
                Backend.SQLITE,
                true,
                TestApp.greenMail(
                    "BROADSHEET_BASE_URL", BASE, "BROADSHEET_HUMAN_CHECK_DIFFICULTY", "20000"));
        Browser browser = Browser.start()) {
      Newsletter breaking =
          site.app()
              .subscriptions()
              .newsletters()
              .create(
                  "Breaking",
                  "",
                  "The biggest stories, at once.",
                  "breaking",
                  "each",
                  org.broadsheet.account.Actor.system("test"));
      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

      // From an article's "Subscribe" box to the full form, address carried over.
      driver.get(site.url(site.path(site.article("Subscribe from this page"))));
      driver
          .findElement(By.cssSelector("form[action='/subscribe'] input[name=email]"))
          .sendKeys("reader.browser@example.org");
      driver.findElement(By.cssSelector("form[action='/subscribe'] button")).click();
      wait.until(ExpectedConditions.urlContains("/subscribe"));
      assertThat(driver.findElement(By.id("sub-email")).getAttribute("value"))
          .isEqualTo("reader.browser@example.org");
      driver.findElement(By.id("sub-name")).sendKeys("Rita Reader");
      driver
          .findElement(By.cssSelector("input[name=newsletter][value='" + breaking.id() + "']"))
          .click();
      driver.findElement(By.cssSelector("input[name=section][value='culture']")).click();
      browser.screenshot("newsletter-subscribe");
      driver.findElement(By.cssSelector(".comment-submit")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Check your inbox"));

      // The confirmation mail, then the page its link opens, then the button.
      MimeMessage confirmation = mail(site, 1);
      assertThat(confirmation.getAllRecipients()[0].toString())
          .isEqualTo("reader.browser@example.org");
      driver.get(site.url(link(confirmation, "confirm")));
      assertThat(driver.findElement(By.tagName("h1")).getText())
          .isEqualTo("Confirm your subscription");
      assertThat(
              site.app()
                  .subscriptions()
                  .byEmail("reader.browser@example.org")
                  .orElseThrow()
                  .status())
          .as("opening the link alone confirms nothing")
          .isEqualTo("pending");
      // The confirm button is the moment that matters: styled as the site's main action.
      org.openqa.selenium.WebElement confirm =
          driver.findElement(By.cssSelector("main form button"));
      assertThat(confirm.getSize().getHeight()).isGreaterThanOrEqualTo(44);
      assertThat(Double.parseDouble(confirm.getCssValue("font-size").replace("px", "")))
          .isGreaterThanOrEqualTo(16);
      assertThat(confirm.getCssValue("background-color"))
          .isNotIn("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)");
      browser.screenshot("newsletter-confirm");
      org.openqa.selenium.WebElement confirming = driver.findElement(By.tagName("h1"));
      confirm.click();
      wait.until(Browser.gone(confirming));
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.tagName("h1"), "You are subscribed"));

      // The welcome mail's link to change choices.
      MimeMessage welcome = mail(site, 2);
      driver.get(site.url(link(welcome, "preferences")));
      assertThat(driver.findElement(By.tagName("h1")).getText())
          .isEqualTo("Your newsletter choices");
      assertThat(
              driver
                  .findElement(
                      By.cssSelector("input[name=newsletter][value='" + breaking.id() + "']"))
                  .isSelected())
          .isTrue();
      assertThat(
              driver
                  .findElement(By.cssSelector("input[name=section][value='culture']"))
                  .isSelected())
          .isTrue();
      driver.findElement(By.cssSelector("input[name=section][value='culture']")).click();
      driver.findElement(By.cssSelector("input[name=section][value='sport']")).click();
      new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("prefs-frequency")))
          .selectByValue("weekly");
      driver.findElement(By.cssSelector(".comment-submit")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Your choices are saved"));
      browser.screenshot("newsletter-preferences");
      Subscriber rita =
          site.app().subscriptions().byEmail("reader.browser@example.org").orElseThrow();
      Subscriptions.Choices choices = site.app().subscriptions().choicesOf(rita.id());
      assertThat(choices.frequency()).isEqualTo("weekly");
      assertThat(choices.sections())
          .containsExactly(site.app().articles().section("sport").orElseThrow().id());

      // Unsubscribe from the link on the preferences page: a page with a button.
      driver.findElement(By.linkText("unsubscribe")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Unsubscribe"));
      org.openqa.selenium.WebElement leaving = driver.findElement(By.tagName("h1"));
      driver.findElement(By.cssSelector("main form button")).click();
      // The next page replaces this one first (reading the old heading mid-load can fail).
      wait.until(Browser.gone(leaving));
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.tagName("h1"), "You are unsubscribed"));
      assertThat(
              site.app()
                  .subscriptions()
                  .byEmail("reader.browser@example.org")
                  .orElseThrow()
                  .status())
          .isEqualTo("unsubscribed");
      assertThat(browser.consoleProblems()).isEmpty();
      assertThat(site.app().web().cspViolations()).isZero();
    }
  }
}
