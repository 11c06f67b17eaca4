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

  /**
   * One asset: its bytes, the same compressed with gzip and (where the native library loads) with
   * Brotli, its content type and its strong ETag (from the content).
   */
  public record Asset(byte[] bytes, byte[] gzip, byte[] brotli, String contentType, String etag) {}

  static final List<String> FILES =
      List.of(
          "css/site.css",
          "css/comments.css",
          "js/site.js",
          "js/live.js",
          "js/human-check.js",
          "js/human-check-worker.js",
          "js/comments.js",
          "css/admin.css",
          "js/admin.js",
          "js/editor-visual.js",
          "vendor/quill.js",
          "vendor/quill.snow.css",
          "vendor/marked.umd.js",
          "vendor/turndown.browser.umd.js",
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
      String etag = "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"";
      byte[][] packed =
          COMPRESSED.computeIfAbsent(etag, k -> new byte[][] {gzip(bytes), brotli(bytes)});
      assetByUrl.put(url, new Asset(bytes, packed[0], packed[1], contentType(name), etag));
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

  /**
   * Serves an asset from memory, compressed as the client accepts (Brotli, else gzip), with a
   * strong ETag per encoding, {@code Vary: Accept-Encoding} and 304 for a matching If-None-Match.
   */
  private void serve(io.javalin.http.Context ctx) {
    Asset asset = byUrl(ctx.path()).orElseThrow(HttpError::notFound);
    String accept = ctx.header("Accept-Encoding");
    String coding =
        asset.brotli() != null && HttpCaching.accepts(accept, "br")
            ? "br"
            : HttpCaching.accepts(accept, "gzip") ? "gzip" : null;
    byte[] body =
        "br".equals(coding) ? asset.brotli() : "gzip".equals(coding) ? asset.gzip() : asset.bytes();
    String etag =
        coding == null
            ? asset.etag()
            : asset.etag().substring(0, asset.etag().length() - 1)
                + ("gzip".equals(coding) ? "-gz" : "-br")
                + "\"";
    ctx.header("Cache-Control", "public, max-age=31536000, immutable");
    ctx.header("Vary", "Accept-Encoding");
    ctx.header("ETag", etag);
    String ifNoneMatch = ctx.header("If-None-Match");
    if (ifNoneMatch != null
        && java.util.Arrays.stream(ifNoneMatch.split(","))
            .map(String::strip)
            .anyMatch(t -> t.equals(etag) || t.equals("*"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType());
    if (coding != null) {
      ctx.header("Content-Encoding", coding);
    }
    ctx.result(body);
  }

  static byte[] gzip(byte[] bytes) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 3 + 64);
    try (java.util.zip.GZIPOutputStream zip =
        new java.util.zip.GZIPOutputStream(out) {
          {
            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
          }
        }) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Brotli at its best quality, or null where the native library cannot load on this machine. */
  static byte[] brotli(byte[] bytes) {
    if (!BROTLI) {
      return null;
    }
    try {
      return com.aayushatharva.brotli4j.encoder.Encoder.compress(
          bytes, new com.aayushatharva.brotli4j.encoder.Encoder.Parameters().setQuality(11));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static final boolean BROTLI = loadBrotli();

  /** Compressed once per process (Brotli's best quality takes a moment), by content. */
  private static final java.util.concurrent.ConcurrentHashMap<String, byte[][]> COMPRESSED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static boolean loadBrotli() {
    try {
      return com.aayushatharva.brotli4j.Brotli4jLoader.isAvailable();
    } catch (LinkageError e) {
      return false;
    }
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
