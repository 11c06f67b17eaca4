package org.broadsheet.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.article.Image;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every public image carries its stored copies and its size, and a phone picks a small copy: a
 * 4000×3000 photo on a 390 px screen costs the 480 px copy, not the original.
 */
class ResponsiveImagesIT {

  private static TestApp site;
  private static Article wide;
  private static Media photo;

  @BeforeAll
  static void start() {
    site = TestApp.start(Backend.SQLITE, true);
    photo =
        site.app()
            .media()
            .upload(
                "harbour.jpg",
                new ByteArrayInputStream(TestImages.jpeg(4000, 3000)),
                "Cranes over the harbour at dawn",
                "Photo: Test Desk",
                null);
    wide =
        site.app()
            .articles()
            .create(
                new ArticleDraft(
                    "",
                    "city",
                    "A wide photograph of the harbour",
                    "",
                    "The cranes came at dawn.\n\n![Cranes over the harbour]("
                        + photo.url()
                        + " \"Cranes at first light\")\n\nThen the ships.",
                    ArticleStatus.PUBLISHED,
                    null,
                    List.of("ines-varga"),
                    List.of(),
                    new Image(photo.url(), "Cranes over the harbour at dawn", "Photo: Test Desk")));
  }

  @AfterAll
  static void stop() {
    site.close();
  }

  @Test
  void everyPublicImageHasItsCopiesAndItsSize() {
    for (String path : List.of("/", "/section/city", site.path(wide), "/author/ines-varga")) {
      List<Element> images = Jsoup.parse(site.get(path).body()).select("img");
      assertThat(images).as("images on %s", path).isNotEmpty();
      for (Element img : images) {
        assertThat(img.attr("srcset")).as("srcset of %s on %s", img, path).isNotBlank();
        assertThat(img.attr("sizes")).as("sizes of %s on %s", img, path).isNotBlank();
        assertThat(img.attr("width")).as("width of %s", img).matches("[1-9][0-9]*");
        assertThat(img.attr("height")).as("height of %s", img).matches("[1-9][0-9]*");
      }
    }
    Element figure =
        Jsoup.parse(site.get(site.path(wide)).body()).selectFirst(".story-body figure.body-figure");
    assertThat(figure).as("a body picture alone in its paragraph is a figure").isNotNull();
    assertThat(figure.selectFirst("img").attr("srcset")).contains(photo.url(480) + " 480w");
    assertThat(figure.selectFirst("img").attr("alt")).isEqualTo("Cranes over the harbour");
    assertThat(figure.selectFirst("figcaption").text())
        .isEqualTo("Cranes at first light Photo: Test Desk");
    Element lead = Jsoup.parse(site.get(site.path(wide)).body()).selectFirst(".lead-image img");
    assertThat(lead.attr("srcset"))
        .contains(photo.url(480) + " 480w", photo.url(800) + " 800w", photo.url() + " 4000w");
    assertThat(lead.attr("width")).isEqualTo("4000");
    assertThat(lead.attr("height")).isEqualTo("3000");
  }

  @Test
  void sectionBlocksFillTheirRowAndTheirTitlesLineUpWithOrWithoutPictures() {
    try (Browser desk = Browser.start()) {
      WebDriver driver = desk.driver();
      driver.manage().window().setSize(new Dimension(1366, 1000));
      driver.get(site.url("/"));
      JavascriptExecutor js = (JavascriptExecutor) driver;
      @SuppressWarnings("unchecked")
      List<List<Number>> blocks =
          (List<List<Number>>)
              js.executeScript(
                  "return [...document.querySelectorAll('.section-block .card-grid')].map(g => {"
                      + " const r = g.getBoundingClientRect();"
                      + " const cards = [...g.children].map(c => c.getBoundingClientRect());"
                      + " const titles = [...g.querySelectorAll('.card-title')]"
                      + "   .map(t => t.getBoundingClientRect().top);"
                      + " const row = cards.filter(c => Math.abs(c.top - cards[0].top) < 1).length;"
                      + " return [r.right - Math.max(...cards.map(c => c.right)),"
                      + "   Math.max(...titles.slice(0, row)) - Math.min(...titles.slice(0, row))]; })");
      assertThat(blocks).isNotEmpty();
      for (List<Number> block : blocks) {
        assertThat(block.get(0).doubleValue()).as("empty space after the last card").isLessThan(2);
        assertThat(block.get(1).doubleValue()).as("titles of a row out of line").isLessThan(1);
      }
      desk.screenshot("front-1366");
    }
  }

  @Test
  void aPhoneLoadsNoCopyWiderThan800Pixels() {
    try (Browser phone = Browser.start()) {
      WebDriver driver = phone.driver();
      driver.manage().window().setSize(new Dimension(390, 844));
      driver.get(site.url(site.path(wide)));
      JavascriptExecutor js = (JavascriptExecutor) driver;
      new WebDriverWait(driver, Duration.ofSeconds(20))
          .until(
              d ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "const i = document.querySelector('.lead-image img'); return i.complete && i.naturalWidth > 0;")));
      String chosen =
          (String) js.executeScript("return document.querySelector('.lead-image img').currentSrc;");
      Number natural =
          (Number)
              js.executeScript("return document.querySelector('.lead-image img').naturalWidth;");
      assertThat(chosen).endsWith(photo.url(480).substring(photo.url(480).lastIndexOf('/')));
      assertThat(natural.intValue()).isLessThanOrEqualTo(800);
      phone.screenshot("responsive-article-390");
    }
  }
}
