package org.broadsheet.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Debian Chromium driven through ChromeDriver, for tests that do what a reader or editor
 * does. Uses /usr/bin/chromium and /usr/bin/chromedriver only (never downloads a browser), a fresh
 * profile each time, and collects the console so tests can demand a clean one.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final WebDriver decorated;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
    this.decorated = new PageReplacedIsStale().decorate(driver);
  }

  /**
   * Chromium answers a command on an element of a page that is being replaced (a form was just
   * sent) with "node does not belong to the document" rather than a stale-element error; the waits
   * of every test treat stale elements as "not yet", so this one is made to read the same.
   */
  private static final class PageReplacedIsStale
      extends org.openqa.selenium.support.decorators.WebDriverDecorator<WebDriver> {
    @Override
    public Object onError(
        org.openqa.selenium.support.decorators.Decorated<?> target,
        java.lang.reflect.Method method,
        Object[] args,
        java.lang.reflect.InvocationTargetException e)
        throws Throwable {
      Throwable cause = e.getTargetException();
      if (cause instanceof org.openqa.selenium.WebDriverException w
          && !(w instanceof org.openqa.selenium.StaleElementReferenceException)
          && String.valueOf(w.getMessage()).contains("does not belong to the document")) {
        throw new org.openqa.selenium.StaleElementReferenceException(
            "The page was replaced while the element was read", w);
      }
      return super.onError(target, method, args, e);
    }
  }

  /** The browser itself, for what only Chromium offers (DevTools). */
  public ChromeDriver chrome() {
    return driver;
  }

  /** Starts a browser, or skips (locally) / fails (under CI) when Chromium is not installed. */
  public static Browser start() {
    return start(false);
  }

  /**
   * A browser that records every request it makes ({@link #requestedUrls}) and resolves no host but
   * this machine's, so a test can assert which third parties a page contacts without any request
   * leaving the machine.
   */
  public static Browser withRequestLog() {
    return start(true);
  }

  private static Browser start(boolean requestLog) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      Services.missing("Chromium (" + CHROMIUM + ") and ChromeDriver (" + CHROMEDRIVER + ")");
    }
    Path profile = Backend.tempDir("broadsheet-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile,
        "--window-size=1280,1000");
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    if (requestLog) {
      options.addArguments(
          "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost");
      logging.enable(LogType.PERFORMANCE, Level.ALL);
    }
    options.setCapability("goog:loggingPrefs", logging);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new Browser(driver, profile);
  }

  public WebDriver driver() {
    return decorated;
  }

  /** Console messages at warning level or above since the last call (CSP violations show here). */
  public List<String> consoleProblems() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** The web addresses the browser requested since the last call (any frame). */
  public List<String> requestedUrls() {
    List<String> urls = new java.util.ArrayList<>();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
      try {
        var message = json.readTree(entry.getMessage()).path("message");
        String url = message.path("params").path("request").path("url").asText();
        // Web requests only: not the browser's own chrome:// and data: pages.
        if (message.path("method").asText().equals("Network.requestWillBeSent")
            && url.startsWith("http")) {
          urls.add(url);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return urls;
  }

  /**
   * The accessibility problems axe-core (fetched by the build for the tests) finds on the current
   * page, one line each: rule, impact, what it is about, how many elements.
   */
  @SuppressWarnings("unchecked")
  public List<String> axeViolations() {
    String axe;
    try (var in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
      if (in == null) {
        throw new IllegalStateException(
            "axe.min.js is missing: build with ./mvnw, which fetches it");
      }
      axe = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var js = (org.openqa.selenium.JavascriptExecutor) driver;
    js.executeScript(axe);
    Object result =
        js.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help"
                + " + ' [' + v.nodes.length + '] ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '))))"
                + ".catch(e => done(['axe failed: ' + e]));");
    return (List<String>) result;
  }

  /** Signs in to the newsroom as this member and waits for the dashboard. */
  public void signIn(TestApp site, String email, String password) {
    driver.get(site.url("/admin/sign-in"));
    driver.findElement(org.openqa.selenium.By.id("field-email")).sendKeys(email);
    driver.findElement(org.openqa.selenium.By.id("field-password")).sendKeys(password);
    driver
        .findElement(org.openqa.selenium.By.cssSelector("form.admin-form button[type=submit]"))
        .click();
    new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(20))
        .until(org.openqa.selenium.support.ui.ExpectedConditions.urlMatches(".*/admin$"));
  }

  /**
   * Waits until the element has left the document, as after a form post replaced the page. Unlike
   * Selenium's stalenessOf, a page caught mid-navigation (Chromium's "node does not belong to the
   * document" error rather than a stale-element error) also counts as gone, instead of failing.
   */
  public static org.openqa.selenium.support.ui.ExpectedCondition<Boolean> gone(
      org.openqa.selenium.WebElement element) {
    return d -> {
      try {
        element.isEnabled();
        return false;
      } catch (org.openqa.selenium.WebDriverException leftOrLeaving) {
        return true;
      }
    };
  }

  /** Saves a screenshot under target/screenshots and returns its path. */
  public Path screenshot(String name) {
    try {
      Path folder = Path.of("target", "screenshots");
      Files.createDirectories(folder);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Path target = folder.resolve(name + ".png");
      Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      Backend.deleteTree(profile);
    }
  }
}
