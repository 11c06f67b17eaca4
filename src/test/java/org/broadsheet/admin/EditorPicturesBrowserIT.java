package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Pictures in the editor, in a browser: a file dropped into the text is uploaded with its alt text,
 * caption and credit and inserted; the published story shows it as a figure with both; the featured
 * image is chosen from the media library with the picker.
 */
class EditorPicturesBrowserIT {

  @Test
  void aDroppedPictureBecomesAFigureAndTheFeaturedImageComesFromThePicker() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true);
        Browser browser = Browser.start()) {
      site.app()
          .newsroom()
          .addMember(
              "eda@example.org", "Eda Editor", NewsroomIT.PASSWORD, Role.EDITOR, Actor.system("t"));
      WebDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      JavascriptExecutor js = (JavascriptExecutor) driver;
      driver.get(site.url("/admin/sign-in"));
      driver.findElement(By.id("field-email")).sendKeys("eda@example.org");
      driver.findElement(By.id("field-password")).sendKeys(NewsroomIT.PASSWORD);
      driver.findElement(By.cssSelector("form.admin-form button[type=submit]")).click();
      wait.until(ExpectedConditions.urlMatches(".*/admin$"));

      driver.get(site.url("/admin/articles/new"));
      // This test writes Markdown: the editor remembers the choice.
      new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(10))
          .until(
              org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable(
                  By.cssSelector(".editor-mode [data-mode=markdown]")))
          .click();
      driver.findElement(By.id("field-headline")).sendKeys("Night market returns to the quay");
      WebElement body = driver.findElement(By.id("field-body"));
      body.sendKeys("Stalls opened at dusk.");

      // Drop a picture (a PNG drawn in the page) onto the text.
      js.executeScript(
          "const canvas = document.createElement('canvas'); canvas.width = 1400; canvas.height = 900;"
              + " const g = canvas.getContext('2d'); g.fillStyle = '#2a6'; g.fillRect(0, 0, 1400, 900);"
              + " g.fillStyle = '#fff'; g.font = '120px sans-serif'; g.fillText('Quay', 100, 400);"
              + " canvas.toBlob(blob => { const file = new File([blob], 'market.png', {type: 'image/png'});"
              + " const data = new DataTransfer(); data.items.add(file);"
              + " const target = document.getElementById('field-body');"
              + " target.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true})); },"
              + " 'image/png');");
      WebElement dialog =
          wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("media-upload")));
      // Alt text is required before anything is sent.
      dialog.findElement(By.cssSelector("[data-upload]")).click();
      assertThat(dialog.findElement(By.cssSelector(".media-upload-error")).getText())
          .contains("alt text");
      dialog.findElement(By.id("media-upload-alt")).sendKeys("Stalls lit by lanterns on the quay");
      dialog.findElement(By.id("media-upload-caption")).sendKeys("The market at dusk");
      dialog.findElement(By.id("media-upload-credit")).sendKeys("Photo: Eda Editor");
      browser.screenshot("editor-upload-dialog");
      dialog.findElement(By.cssSelector("[data-upload]")).click();
      wait.until(ExpectedConditions.invisibilityOf(dialog));
      String text = body.getAttribute("value");
      assertThat(text)
          .startsWith("Stalls opened at dusk.")
          .contains("![Stalls lit by lanterns on the quay](/media/");
      assertThat(text).contains("\"The market at dusk\")");

      // The featured image from the picker: the newest picture is the one just uploaded.
      WebElement choose = driver.findElement(By.cssSelector("[data-pick=featured]"));
      // Above the editor's sticky action bar, as a reader of the form would scroll it.
      js.executeScript("arguments[0].scrollIntoView({block: 'center'});", choose);
      choose.click();
      WebElement first =
          wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".media-picker-item")));
      first.click();
      assertThat(driver.findElement(By.id("field-imageAlt")).getAttribute("value"))
          .isEqualTo("Stalls lit by lanterns on the quay");
      assertThat(driver.findElement(By.id("field-imageUrl")).getAttribute("value"))
          .startsWith("/media/");

      driver.findElement(By.cssSelector("button[name=action][value=publish]")).click();
      wait.until(
          ExpectedConditions.or(
              ExpectedConditions.presenceOfElementLocated(By.cssSelector(".article-state")),
              ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error-summary"))));
      assertThat(driver.findElements(By.cssSelector(".error-summary")))
          .as("the editor's errors")
          .allSatisfy(e -> assertThat(e.getText()).isEmpty());
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector(".article-state"), "Live since"));
      String path =
          site.path(site.app().articles().bySlug("night-market-returns-to-the-quay").orElseThrow());
      Element figure = Jsoup.parse(site.get(path).body()).selectFirst(".story-body figure");
      assertThat(figure).isNotNull();
      assertThat(figure.selectFirst("img").attr("alt"))
          .isEqualTo("Stalls lit by lanterns on the quay");
      assertThat(figure.selectFirst("img").attr("src")).endsWith(".png");
      assertThat(figure.selectFirst("figcaption").text())
          .isEqualTo("The market at dusk Photo: Eda Editor");
      assertThat(browser.consoleProblems()).isEmpty();
    }
  }
}
