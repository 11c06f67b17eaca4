package org.broadsheet.testing;

import static org.broadsheet.config.Settings.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.config.Config;
import org.broadsheet.demo.DemoContent;

/**
 * A running Broadsheet for tests: real HTTP on a free loopback port, over a database of the chosen
 * backend, optionally with the demo newspaper. Close it to stop the server and clean up.
 */
public final class TestApp implements AutoCloseable {

  private final Backend.TestDatabase database;
  private final Broadsheet app;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private boolean closed;

  private TestApp(Backend.TestDatabase database, Broadsheet app) {
    this.database = database;
    this.app = app;
  }

  /**
   * Settings that send mail to the GreenMail server of the test setup (127.0.0.1:3025, plain), for
   * a site at https://news.example.org, plus the given ones.
   */
  public static Map<String, String> greenMail(String... more) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("BROADSHEET_SMTP_HOST", "127.0.0.1");
    settings.put(
        "BROADSHEET_SMTP_PORT",
        Integer.toString(com.icegreen.greenmail.util.ServerSetupTest.SMTP.getPort()));
    settings.put("BROADSHEET_SMTP_SECURITY", "none");
    settings.put("BROADSHEET_BASE_URL", "https://news.example.org");
    for (int i = 0; i + 1 < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

  public static TestApp start(Backend backend, boolean demo) {
    return start(backend, demo, Map.of());
  }

  public static TestApp start(Backend backend, boolean demo, Map<String, String> settings) {
    return start(backend, demo, settings, Clock.systemUTC());
  }

  public static TestApp start(
      Backend backend, boolean demo, Map<String, String> settings, Clock clock) {
    Backend.TestDatabase database = backend.create();
    return start(database, demo, settings, clock, true);
  }

  /** A node on an existing database (its own index too) with the given clock. */
  public static TestApp startNode(
      Backend.TestDatabase database, Map<String, String> settings, Clock clock) {
    Map<String, String> own = new java.util.HashMap<>(settings);
    own.put("BROADSHEET_SEARCH_INDEX_DIR", Backend.tempDir("broadsheet-index-").toString());
    return start(database, false, own, clock, false);
  }

  /** Another node on an existing database; closing it leaves the database alone. */
  public static TestApp startNode(Backend.TestDatabase database, Map<String, String> settings) {
    Map<String, String> own = new java.util.HashMap<>(settings);
    own.put("BROADSHEET_SEARCH_INDEX_DIR", Backend.tempDir("broadsheet-index-").toString());
    return start(database, false, own, Clock.systemUTC(), false);
  }

  private static TestApp start(
      Backend.TestDatabase database,
      boolean demo,
      Map<String, String> settings,
      Clock clock,
      boolean ownsDatabase) {
    Config config = database.config().with(settings);
    Broadsheet app = Broadsheet.create(config, clock);
    try {
      if (demo) {
        DemoContent.seed(app.articles(), app.settings(), Clock.systemUTC());
      }
      app.start();
    } catch (RuntimeException e) {
      app.close();
      if (ownsDatabase) {
        database.close();
      }
      throw e;
    }
    return new TestApp(ownsDatabase ? database : null, app);
  }

  public Broadsheet app() {
    return app;
  }

  /**
   * The command-line options that point a command at this site's data folder and database, as an
   * operator on the same machine would pass them.
   */
  public java.util.List<String> cliOptions() {
    Config config = app.config();
    java.util.List<String> options =
        new java.util.ArrayList<>(java.util.List.of("--data-dir", config.get(DATA_DIR).toString()));
    String url = config.get(DATABASE_URL);
    if (!url.isEmpty()) {
      // The command line takes the URL; the user rides in it, as the JDBC driver allows.
      String user = config.get(DATABASE_USER);
      if (!user.isEmpty()) {
        url += (url.contains("?") ? "&" : "?") + "user=" + user;
      }
      options.addAll(java.util.List.of("--database-url", url));
    }
    return options;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + app.port() + path;
  }

  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a form (application/x-www-form-urlencoded) with optional extra headers. */
  public HttpResponse<String> postForm(String path, Map<String, String> form, String... headers) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8)
                        + "="
                        + java.net.URLEncoder.encode(
                            e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
            .collect(java.util.stream.Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A solved human-check answer for the form, as the widget would send it. */
  public String solvedCheck(String binding) {
    return org.broadsheet.captcha.ProofOfWork.solve(app.proofOfWork().issue(binding), 1500);
  }

  /** Creates a section, an author and one published article; returns the article. */
  public org.broadsheet.article.Article article(String headline) {
    var articles = app.articles();
    if (articles.section("news").isEmpty()) {
      articles.createSection("news", "News", "");
      articles.createAuthor("reporter", "Rita Reporter", "");
    }
    return articles.create(
        new org.broadsheet.article.ArticleDraft(
            "",
            "news",
            headline,
            "",
            "Body.",
            org.broadsheet.article.ArticleStatus.PUBLISHED,
            null,
            java.util.List.of("reporter"),
            java.util.List.of(),
            null));
  }

  public String path(org.broadsheet.article.Article article) {
    return new org.broadsheet.site.Links(app.config().get(TIME_ZONE), "").article(article);
  }

  public HttpResponse<byte[]> getBytes(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      app.close();
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }
}
