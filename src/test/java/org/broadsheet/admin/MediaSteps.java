package org.broadsheet.admin;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.broadsheet.testing.TestApp;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Test images made in code, and the media library's upload as a person does it. */
final class MediaSteps {

  private MediaSteps() {}

  static byte[] jpeg(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(30, 90, 140));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Uploads a picture through the media page and returns its address. */
  static String uploadAnImage(TestApp site, WebDriver driver, WebDriverWait wait) {
    try {
      Path file = Files.createTempFile("ferry-", ".jpg");
      Files.write(file, jpeg(1600, 900));
      driver.get(site.url("/admin/media"));
      driver.findElement(By.id("field-file")).sendKeys(file.toString());
      driver.findElement(By.id("field-alt")).sendKeys("A white ferry at the quay");
      driver.findElement(By.id("field-credit")).sendKeys("Gazette photo");
      driver.findElement(By.cssSelector("form.admin-form button[type=submit]")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Saved."));
      Files.deleteIfExists(file);
      return driver.findElement(By.cssSelector(".media-address")).getAttribute("value");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
