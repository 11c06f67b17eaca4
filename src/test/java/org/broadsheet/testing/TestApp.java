package org.broadsheet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.broadsheet.Broadsheet;
import org.broadsheet.Config;
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

  private TestApp(Backend.TestDatabase database, Broadsheet app) {
    this.database = database;
    this.app = app;
  }

  public static TestApp start(Backend backend, boolean demo) {
    return start(backend, demo, Map.of());
  }

  public static TestApp start(Backend backend, boolean demo, Map<String, String> settings) {
    Backend.TestDatabase database = backend.create();
    Config config = database.config().with(settings);
    Broadsheet app = Broadsheet.create(config);
    try {
      if (demo) {
        DemoContent.seed(app.articles(), app.settings(), Clock.systemUTC());
      }
      app.start();
    } catch (RuntimeException e) {
      app.close();
      database.close();
      throw e;
    }
    return new TestApp(database, app);
  }

  public Broadsheet app() {
    return app;
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
    try {
      app.close();
    } finally {
      database.close();
    }
  }
}
