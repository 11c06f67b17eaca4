package org.broadsheet.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.config.Config;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Measures how long readers wait for the human check at the default difficulty: headless Chromium
 * solves fresh challenges in the widget's Web Worker and reports the time it took. A benchmark, not
 * a test: it asserts nothing about time and runs only when asked (bench/human-check.sh).
 */
class SolveTimeBench {

  @Test
  void measureSolveTimeInHeadlessChromium() throws Exception {
    int runs = Integer.getInteger("broadsheet.solveTimeRuns", 20);
    long difficulty = Config.defaults().get(org.broadsheet.config.Settings.HUMAN_CHECK_DIFFICULTY);
    List<Long> took = new ArrayList<>();
    try (TestApp site = TestApp.start(Backend.SQLITE, false, Map.of());
        Browser browser = Browser.start()) {
      Article article = site.article("Solve time");
      WebDriver driver = browser.driver();
      for (int i = 0; i < runs; i++) {
        driver.get(site.url(site.path(article)));
        driver.findElement(By.id("comment-body")).sendKeys("x");
        String answer =
            new WebDriverWait(driver, Duration.ofSeconds(60))
                .until(
                    d -> {
                      String value =
                          d.findElement(By.cssSelector("input[type=hidden][name=altcha]"))
                              .getAttribute("value");
                      return value == null || value.isEmpty() ? null : value;
                    });
        String json = new String(Base64.getDecoder().decode(answer), StandardCharsets.UTF_8);
        took.add(Long.parseLong(json.replaceAll(".*\"took\":([0-9]+).*", "$1")));
      }
    }
    Collections.sort(took);
    double mean = took.stream().mapToLong(Long::longValue).average().orElse(0);
    String report =
        String.format(
            "runs=%d difficulty(maxnumber)=%d solve time ms: min=%d median=%d p90=%d max=%d mean=%.0f%n",
            runs,
            difficulty,
            took.getFirst(),
            took.get(took.size() / 2),
            took.get((int) Math.ceil(took.size() * 0.9) - 1),
            took.getLast(),
            mean);
    Files.createDirectories(Path.of("target", "bench"));
    Files.writeString(Path.of("target", "bench", "solve-time.txt"), report);
    System.out.print(report);
  }
}
