package org.broadsheet.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Sends a {@link CachedPage} with the headers shared caches need: strong ETag per encoding,
 * Last-Modified, Cache-Control with stale-while-revalidate, Vary, and 304 answers to conditional
 * requests. Anonymous pages never set cookies. Thread-safe.
 */
public final class HttpCaching {

  static final org.eclipse.jetty.http.HttpField GZIP_ENCODING =
      new org.eclipse.jetty.http.PreEncodedHttpField(
          org.eclipse.jetty.http.HttpHeader.CONTENT_ENCODING, "gzip");

  private final String cacheControl;

  public HttpCaching(Duration maxAge) {
    long seconds = maxAge.toSeconds();
    this.cacheControl =
        "public, max-age="
            + seconds
            + ", stale-while-revalidate="
            + Math.max(600, seconds * 10)
            + ", stale-if-error=86400";
  }

  String cacheControl() {
    return cacheControl;
  }

  /** Sends a cached page with its own content type. */
  public void send(Context ctx, CachedPage page) {
    send(ctx, page, page.contentType());
  }

  public void send(Context ctx, CachedPage page, String contentType) {
    allowFrames(ctx, page);
    boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));
    String etag = gzip ? page.gzipEtag() : page.etag();
    ctx.header("Cache-Control", cacheControl);
    ctx.header("Vary", "Accept-Encoding");
    ctx.header("ETag", etag);
    ctx.header("Last-Modified", httpDate(page.lastModified()));
    if (notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"), page)) {
      ctx.status(304);
      return;
    }
    ctx.contentType(contentType);
    byte[] bytes = gzip ? page.gzip() : page.body();
    if (gzip) {
      ctx.header("Content-Encoding", "gzip");
    }
    // Written directly with a Content-Length: cheaper than a chunked stream for bytes we already
    // hold.
    ctx.res().setContentLength(bytes.length);
    if (!"HEAD".equals(ctx.req().getMethod())) {
      try {
        ctx.res().getOutputStream().write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Widens the response's Content-Security-Policy (set for every response before the handler ran)
   * by the frames this page embeds, if any.
   */
  public static void allowFrames(Context ctx, CachedPage page) {
    String policy = ctx.res().getHeader(SecurityHeaders.POLICY_HEADER);
    if (!page.frameOrigins().isEmpty() && policy != null) {
      ctx.header(
          SecurityHeaders.POLICY_HEADER, SecurityHeaders.allowFrames(policy, page.frameOrigins()));
    }
  }

  static boolean notModified(String ifNoneMatch, String ifModifiedSince, CachedPage page) {
    if (ifNoneMatch != null) {
      for (String candidate : ifNoneMatch.split(",")) {
        String tag = candidate.strip();
        if (tag.startsWith("W/")) {
          tag = tag.substring(2);
        }
        if (tag.equals("*") || tag.equals(page.etag()) || tag.equals(page.gzipEtag())) {
          return true;
        }
      }
      return false;
    }
    if (ifModifiedSince != null) {
      try {
        Instant since =
            ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return !page.lastModified().truncatedTo(ChronoUnit.SECONDS).isAfter(since);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
  }

  static boolean acceptsGzip(String acceptEncoding) {
    return accepts(acceptEncoding, "gzip");
  }

  /** Whether the client's Accept-Encoding takes {@code coding} (listed, and not with q=0). */
  static boolean accepts(String acceptEncoding, String coding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.strip().split(";");
      if (pieces[0].strip().equalsIgnoreCase(coding)) {
        return !(pieces.length > 1 && pieces[1].replace(" ", "").matches("q=0(\\.0*)?"));
      }
    }
    return false;
  }

  public static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
  }
}
