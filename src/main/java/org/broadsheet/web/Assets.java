package org.broadsheet.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The site's static files (CSS, scripts, icons), loaded from the jar once at start and served from
 * memory under fingerprinted names such as {@code /assets/css/site.3f2a9c1d.css}. A fingerprinted
 * name never changes content, so it is cached for a year and marked immutable. Thread-safe.
 */
public final class Assets implements RouteModule {

  /** One asset: its bytes and content type. */
  public record Asset(byte[] bytes, String contentType) {}

  static final List<String> FILES =
      List.of(
          "css/site.css",
          "css/comments.css",
          "js/site.js",
          "js/human-check.js",
          "js/human-check-worker.js",
          "js/comments.js",
          "css/admin.css",
          "js/admin.js",
          "img/favicon.svg");

  private final Map<String, String> urlByName = new LinkedHashMap<>();
  private final Map<String, Asset> assetByUrl = new LinkedHashMap<>();

  public Assets() {
    for (String name : FILES) {
      byte[] bytes = read("public/" + name);
      String hash = HexFormat.of().formatHex(sha256(bytes), 0, 5);
      int dot = name.lastIndexOf('.');
      String url = "/assets/" + name.substring(0, dot) + "." + hash + name.substring(dot);
      urlByName.put(name, url);
      assetByUrl.put(url, new Asset(bytes, contentType(name)));
    }
  }

  /**
   * {@code /assets/...} from memory, cached for a year; {@code /favicon.ico} points at the icon.
   */
  @Override
  public void addRoutes(Routes routes) {
    routes.page("/assets/*", this::serve);
    routes.page(
        "/favicon.ico",
        ctx -> ctx.redirect(url("img/favicon.svg"), io.javalin.http.HttpStatus.MOVED_PERMANENTLY));
  }

  private void serve(io.javalin.http.Context ctx) {
    Asset asset = byUrl(ctx.path()).orElseThrow(HttpError::notFound);
    ctx.header("Cache-Control", "public, max-age=31536000, immutable");
    ctx.contentType(asset.contentType());
    ctx.result(asset.bytes());
  }

  /** The fingerprinted URL of an asset, e.g. {@code url("css/site.css")}. */
  public String url(String name) {
    String url = urlByName.get(name);
    if (url == null) {
      throw new IllegalArgumentException(
          "No asset named " + name + "; known: " + urlByName.keySet());
    }
    return url;
  }

  public Optional<Asset> byUrl(String url) {
    return Optional.ofNullable(assetByUrl.get(url));
  }

  /** A resource from the jar, or an {@link IllegalStateException} when it is missing. */
  public static byte[] read(String resource) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + resource + " in the jar.");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String contentType(String name) {
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    } else if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    } else if (name.endsWith(".svg")) {
      return "image/svg+xml";
    } else if (name.endsWith(".png")) {
      return "image/png";
    }
    return "application/octet-stream";
  }
}
