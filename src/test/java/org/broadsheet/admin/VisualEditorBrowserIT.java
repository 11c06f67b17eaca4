package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A reporter who never types Markdown: in the visual editor she writes a story with a subheading, a
 * link, a list and a quote using the toolbar and Ctrl+K, switches to Markdown and back without any
 * change, pastes a fragment from a word processor (its fonts, colours and Office markup dropped),
 * and publishes; the public page has the same structure.
 */
class VisualEditorBrowserIT {

  @Test
  void aReporterWritesInTheVisualEditorAndReadersGetTheSameStructure() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true);
        Browser browser = Browser.start()) {
      site.app()
          .newsroom()
          .addMember(
              "rhea@example.org",
              "Rhea Reporter",
              NewsroomIT.PASSWORD,
              Role.AUTHOR,
              Actor.system("test"));
      WebDriver driver = browser.driver();
      JavascriptExecutor js = (JavascriptExecutor) driver;
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      browser.signIn(site, "rhea@example.org", NewsroomIT.PASSWORD);

      driver.get(site.url("/admin/articles/new"));
      WebElement editor =
          wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".ql-editor")));
      assertThat(driver.findElement(By.id("field-body")).isDisplayed())
          .as("someone new starts in the visual editor")
          .isFalse();
      driver.findElement(By.id("field-headline")).sendKeys("Ferries return to the harbour");
      // Tags are suggested from the site's own as they are typed.
      String tag = site.app().articles().tagsWithCounts().getFirst().getKey().name();
      driver.findElement(By.id("field-tags")).sendKeys("Ferries, " + tag.substring(0, 3));
      assertThat(
              driver.findElements(By.cssSelector("#tag-suggestions option")).stream()
                  .map(o -> o.getAttribute("value"))
                  .toList())
          .contains("Ferries, " + tag);

      editor.click();
      editor.sendKeys("The ferries are back after the winter.", Keys.ENTER);
      driver.findElement(By.cssSelector("button.ql-header[value='2']")).click();
      editor.sendKeys("What changes", Keys.ENTER);
      editor.sendKeys("Read the new timetable");
      new Actions(driver)
          .keyDown(Keys.SHIFT)
          .sendKeys(Keys.LEFT.toString().repeat("timetable".length()))
          .keyUp(Keys.SHIFT)
          .perform();
      new Actions(driver).keyDown(Keys.CONTROL).sendKeys("k").keyUp(Keys.CONTROL).perform();
      WebElement address =
          wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("link-dialog-address")));
      address.sendKeys("https://example.org/timetable", Keys.ENTER);
      wait.until(ExpectedConditions.invisibilityOf(address));
      new Actions(driver).sendKeys(".", Keys.ENTER).perform();
      driver.findElement(By.cssSelector("button.ql-list[value='bullet']")).click();
      editor.sendKeys(
          "First ferry at six", Keys.ENTER, "Last ferry at midnight", Keys.ENTER, Keys.ENTER);
      driver.findElement(By.cssSelector("button.ql-blockquote")).click();
      editor.sendKeys("We waited all winter, said a skipper.", Keys.ENTER);
      driver.findElement(By.cssSelector("button.ql-pullquote")).click();
      editor.sendKeys("The harbour is ours again.");

      String markdown =
          (String) js.executeScript("return document.getElementById('field-body').value");
      assertThat(markdown)
          .contains(
              "The ferries are back after the winter.",
              "## What changes",
              "[timetable](https://example.org/timetable)",
              "- First ferry at six",
              "- Last ferry at midnight",
              "> We waited all winter, said a skipper.",
              "> [!pull]\n> The harbour is ours again.");
      assertThat(driver.findElement(By.cssSelector(".body-stats")).getText()).contains("words");
      browser.screenshot("visual-editor");

      // To Markdown and back: nothing changes.
      driver.findElement(By.cssSelector(".editor-mode [data-mode=markdown]")).click();
      assertThat(driver.findElement(By.id("field-body")).isDisplayed()).isTrue();
      assertThat(driver.findElement(By.id("field-body")).getAttribute("value")).isEqualTo(markdown);
      driver.findElement(By.cssSelector(".editor-mode [data-mode=visual]")).click();
      assertThat(driver.findElement(By.cssSelector(".editor-mode-message")).getText()).isEmpty();
      assertThat(js.executeScript("return document.getElementById('field-body').value"))
          .isEqualTo(markdown);

      // A paste from a word processor keeps the words and the bold, nothing else: on a new line
      // after the quote (Enter, and the quote button pressed again to end the quote).
      WebElement visual = driver.findElement(By.cssSelector(".ql-editor"));
      js.executeScript(
          "const q = Quill.find(document.getElementById('visual-editor'));"
              + "q.setSelection(q.getLength() - 1, 0);");
      visual.sendKeys(Keys.ENTER);
      driver.findElement(By.cssSelector("button.ql-pullquote")).click();
      js.executeScript(
          "const dt = new DataTransfer();"
              + "dt.setData('text/html', arguments[0]);"
              + "dt.setData('text/plain', 'Pasted words Plain line');"
              + "const editor = document.querySelector('.ql-editor');"
              + "editor.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));",
          "<html xmlns:o='urn:schemas-microsoft-com:office:office'><body>"
              + "<p class=MsoNormal style='margin:0cm;font-family:Calibri;color:#ff0000'>"
              + "<b><span style='font-size:14pt;mso-bidi-font-weight:normal'>Pasted words</span></b>"
              + "<o:p></o:p></p><p class=MsoNormal><font face=Arial size=5 color=blue>Plain line</font>"
              + "<span style='mso-spacerun:yes'> </span></p></body></html>");
      String pasted =
          wait.until(
              d -> {
                String value =
                    (String) js.executeScript("return document.getElementById('field-body').value");
                return value.contains("Pasted words") ? value : null;
              });
      assertThat(pasted).contains("**Pasted words**", "Plain line");
      assertThat(pasted).doesNotContain("<", "Mso", "style", "font", "Calibri", "color");

      driver.findElement(By.xpath("//button[normalize-space()='Publish now']")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".notice"), "Published."));
      long id =
          Long.parseLong(driver.getCurrentUrl().replaceAll(".*/admin/articles/(\\d+).*", "$1"));
      Article published = site.app().articles().byId(id).orElseThrow();
      Document page = Jsoup.parse(site.get(site.path(published)).body());
      Element story = page.selectFirst(".story-body");
      assertThat(story.select("h2").eachText()).containsExactly("What changes");
      assertThat(story.select("a[href=https://example.org/timetable]").text())
          .isEqualTo("timetable");
      assertThat(story.select("ul > li").eachText())
          .containsExactly("First ferry at six", "Last ferry at midnight");
      assertThat(story.select("blockquote:not(.pull-quote)").text())
          .contains("We waited all winter");
      assertThat(story.select("blockquote.pull-quote").text())
          .isEqualTo("The harbour is ours again.");
      assertThat(story.select("strong").eachText()).contains("Pasted words");
      assertThat(story.select("[style], font, span")).isEmpty();
      assertThat(published.authors()).extracting(a -> a.name()).containsExactly("Rhea Reporter");
      // The only messages: the page's policy refusing the three style attributes of the pasted
      // fragment while the editor reads it (they are dropped either way).
      assertThat(browser.consoleProblems())
          .hasSizeLessThanOrEqualTo(3)
          .allMatch(m -> m.contains("Applying inline style violates"));
    }
  }
}
