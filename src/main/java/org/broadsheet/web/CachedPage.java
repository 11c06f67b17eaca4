package org.broadsheet.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A rendered page ready to send: its bytes, a strong ETag from their hash, the time its content
 * last changed, and the keys of the content it shows (so a change to any of them evicts it). The
 * gzip form is made on first need and kept. Thread-safe.
 */
public final class CachedPage {

  private final byte[] body;
  private final String etag;
  private final String gzipEtag;
  private final Instant lastModified;
  private final Set<CacheTag> dependsOn;
  private final org.eclipse.jetty.http.HttpField etagField;
  private final org.eclipse.jetty.http.HttpField gzipEtagField;
  private final org.eclipse.jetty.http.HttpField lastModifiedField;
  private volatile byte[] gzip;
  private final String contentType;
  private final org.eclipse.jetty.http.HttpField contentTypeField;
  private final Set<String> frameOrigins;
  private volatile org.eclipse.jetty.http.HttpField policyField;

  public String contentType() {
    return contentType;
  }

  org.eclipse.jetty.http.HttpField contentTypeField() {
    return contentTypeField;
  }

  public CachedPage(byte[] body, Instant lastModified, Set<CacheTag> dependsOn) {
    this(body, lastModified, dependsOn, "text/html; charset=utf-8");
  }

  /**
   * A page that embeds frames from these origins (a story's video, post or map): its
   * Content-Security-Policy allows them, and only them, as frame sources.
   */
  public CachedPage(
      byte[] body, Instant lastModified, Set<CacheTag> dependsOn, Set<String> frameOrigins) {
    this(body, lastModified, dependsOn, "text/html; charset=utf-8", frameOrigins);
  }

  /** A cached response of another type (a feed, a sitemap). */
  public CachedPage(
      byte[] body, Instant lastModified, Set<CacheTag> dependsOn, String contentType) {
    this(body, lastModified, dependsOn, contentType, Set.of());
  }

  private CachedPage(
      byte[] body,
      Instant lastModified,
      Set<CacheTag> dependsOn,
      String contentType,
      Set<String> frameOrigins) {
    this.frameOrigins = Set.copyOf(frameOrigins);
    this.contentType = contentType;
    this.contentTypeField =
        new org.eclipse.jetty.http.PreEncodedHttpField(
            org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, contentType);
    this.body = body;
    String hash = HexFormat.of().formatHex(Assets.sha256(body), 0, 12);
    this.etag = "\"" + hash + "\"";
    this.gzipEtag = "\"" + hash + "-gz\"";
    this.lastModified = lastModified;
    this.dependsOn = Set.copyOf(dependsOn);
    this.etagField =
        new org.eclipse.jetty.http.PreEncodedHttpField(
            org.eclipse.jetty.http.HttpHeader.ETAG, etag);
    this.gzipEtagField =
        new org.eclipse.jetty.http.PreEncodedHttpField(
            org.eclipse.jetty.http.HttpHeader.ETAG, gzipEtag);
    this.lastModifiedField =
        new org.eclipse.jetty.http.PreEncodedHttpField(
            org.eclipse.jetty.http.HttpHeader.LAST_MODIFIED, HttpCaching.httpDate(lastModified));
  }

  org.eclipse.jetty.http.HttpField etagField() {
    return etagField;
  }

  org.eclipse.jetty.http.HttpField gzipEtagField() {
    return gzipEtagField;
  }

  org.eclipse.jetty.http.HttpField lastModifiedField() {
    return lastModifiedField;
  }

  /** The origins this page's frames come from; empty for nearly every page. */
  public Set<String> frameOrigins() {
    return frameOrigins;
  }

  /** This page's Content-Security-Policy header given the site's own; made once and kept. */
  org.eclipse.jetty.http.HttpField policyField(String sitePolicy) {
    org.eclipse.jetty.http.HttpField field = policyField;
    if (field == null) {
      field =
          new org.eclipse.jetty.http.PreEncodedHttpField(
              SecurityHeaders.POLICY_HEADER, SecurityHeaders.allowFrames(sitePolicy, frameOrigins));
      policyField = field;
    }
    return field;
  }

  public byte[] body() {
    return body;
  }

  public String etag() {
    return etag;
  }

  public String gzipEtag() {
    return gzipEtag;
  }

  public Instant lastModified() {
    return lastModified;
  }

  public Set<CacheTag> dependsOn() {
    return dependsOn;
  }

  public byte[] gzip() {
    byte[] compressed = gzip;
    if (compressed == null) {
      compressed = compress(body);
      gzip = compressed;
    }
    return compressed;
  }

  static byte[] compress(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out) {
          {
            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
          }
        }) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
