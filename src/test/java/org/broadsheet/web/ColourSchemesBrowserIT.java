package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browser;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Readers' pages in the light and the dark scheme (as the reader's system asks): every visible
 * piece of text keeps WCAG AA contrast against what is behind it (4.5:1, or 3:1 for large text),
 * measured in the browser from the computed colours; in the dark scheme the page really is dark.
 */
class ColourSchemesBrowserIT {

  /** The contrast audit: text elements whose colour is too close to their background. */
  private static final String AUDIT =
      """
      const parse = (s) => {
        const m = s.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return { rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1 };
      };
      const lum = (c) => {
        const [r, g, b] = c.map((v) => {
          v /= 255;
          return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const behind = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c && c.a > 0.5) return c.rgb;
        }
        return [255, 255, 255];
      };
      const bad = [];
      for (const el of document.querySelectorAll("body *")) {
        const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!text || el.closest(".visually-hidden, .hp, [hidden], noscript, script, style")) continue;
        const st = getComputedStyle(el);
        if (st.visibility === "hidden" || el.getClientRects().length === 0) continue;
        const fg = parse(st.color);
        const l1 = lum(fg.rgb), l2 = lum(behind(el));
        const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
        const size = parseFloat(st.fontSize);
        const large = size >= 24 || (size >= 18.66 && parseInt(st.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) {
          bad.push(el.tagName + "." + el.className + " '" + el.textContent.trim().slice(0, 40)
              + "' " + ratio.toFixed(2));
        }
      }
      return bad;
      """;

  @Test
  void everyTextKeepsItsContrastInTheLightAndTheDarkScheme() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true);
        Browser browser = Browser.start()) {
      ArticleSummary story = site.app().articles().latest(ArticleFilter.ALL, 1, 0).getFirst();
      List<String> paths =
          List.of(
              "/",
              "/section/city",
              site.path(site.app().articles().byId(story.id()).orElseThrow()),
              "/search?q=harbour",
              "/no-such-page");
      ChromeDriver driver = browser.chrome();
      for (String scheme : List.of("light", "dark")) {
        driver.executeCdpCommand(
            "Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
        for (Dimension size : List.of(new Dimension(390, 844), new Dimension(1366, 900))) {
          driver.manage().window().setSize(size);
          for (String path : paths) {
            driver.get(site.url(path));
            @SuppressWarnings("unchecked")
            List<String> low = (List<String>) ((JavascriptExecutor) driver).executeScript(AUDIT);
            assertThat(low).as("%s at %d px, %s scheme", path, size.getWidth(), scheme).isEmpty();
            String background =
                (String)
                    ((JavascriptExecutor) driver)
                        .executeScript("return getComputedStyle(document.body).backgroundColor");
            assertThat(background)
                .as("%s background in the %s scheme", path, scheme)
                .isEqualTo(scheme.equals("dark") ? "rgb(22, 20, 18)" : "rgb(253, 252, 249)");
          }
          driver.get(site.url("/"));
          browser.screenshot("scheme-" + scheme + "-front-" + size.getWidth());
          driver.get(site.url(paths.get(2)));
          browser.screenshot("scheme-" + scheme + "-article-" + size.getWidth());
        }
      }
      assertThat(browser.consoleProblems()).allMatch(m -> m.contains("/no-such-page"));
    }
  }
}
