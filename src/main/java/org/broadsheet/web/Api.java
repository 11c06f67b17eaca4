package org.broadsheet.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every API handler shares: one JSON mapper (ISO-8601 times, absent instead of null, unknown
 * request fields refused), reading a request record with a clear problem when it does not fit,
 * answering with a record, and answering a public read from the page cache, so it gets the same
 * strong ETags, 304s and change-feed eviction as pages (and the cache's fast path serves repeats
 * without reaching the framework). Thread-safe.
 */
public final class Api {

  public static final String JSON_TYPE = "application/json";
  public static final String PROBLEM_TYPE = "application/problem+json";

  /** The API's JSON: ISO times, no nulls, unknown fields in requests refused. */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Api() {}

  /** The request's JSON body as this record, or a 400 problem that says what did not fit. */
  public static <T> T read(Context ctx, Class<T> type) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase().startsWith(JSON_TYPE)) {
      throw new HttpError(
          415, "Send JSON", "Send the request body as JSON with Content-Type: application/json.");
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      throw HttpError.badRequest("The request has no body; send the fields as a JSON object.");
    }
    try {
      T value = JSON.readValue(body, type);
      if (value == null) {
        throw HttpError.badRequest("The body is null; send the fields as a JSON object.");
      }
      return value;
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      throw HttpError.badRequest(
          "Unknown field \""
              + e.getPropertyName()
              + "\". Known fields: "
              + e.getKnownPropertyIds());
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      String field =
          e.getPath().isEmpty() ? "" : e.getPath().get(e.getPath().size() - 1).getFieldName();
      throw HttpError.badRequest(
          field == null || field.isEmpty()
              ? "The body is not the expected JSON object."
              : "The field \"" + field + "\" has the wrong type.");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw HttpError.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw HttpError.badRequest("The body could not be read.");
    }
  }

  /** Answers with a record as JSON, never cached by shared caches. */
  public static void send(Context ctx, int status, Object body) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    if (body == null) {
      return;
    }
    ctx.contentType(JSON_TYPE);
    ctx.result(bytes(body));
  }

  public static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + body.getClass(), e);
    }
  }

  /**
   * Answers a public read from the page cache under the request's path and query, rendering it once
   * per change of what it shows ({@code tags}), with ETag and 304 as for pages. {@code private}
   * (reads that need a key) keeps it out of the cache's fast path, which checks nothing.
   */
  public static void cached(
      Context ctx,
      PageCache cache,
      HttpCaching caching,
      boolean keyed,
      Supplier<Cacheable> render) {
    String key =
        (keyed ? "keyed:" : "")
            + (ctx.queryString() == null ? ctx.path() : ctx.path() + "?" + ctx.queryString());
    CachedPage page =
        cache.get(
            key,
            () -> {
              Cacheable c = render.get();
              return new CachedPage(bytes(c.body()), c.lastModified(), c.tags(), JSON_TYPE);
            });
    caching.send(ctx, page);
  }

  /** A read's answer with what it depends on, for {@link #cached}. */
  public record Cacheable(Object body, Instant lastModified, Set<CacheTag> tags) {}

  /** RFC 9457 problem details. */
  public static void problem(
      Context ctx, int status, String title, String detail, Map<String, String> errors) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(PROBLEM_TYPE);
    ctx.result(
        bytes(
            new OpenApi.Problem(
                "about:blank",
                title,
                status,
                detail,
                errors == null || errors.isEmpty() ? null : errors)));
  }

  /** An opaque cursor for keyset paging: a position in a list ordered by time, then id. */
  public static String cursor(Instant at, long id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((at.toEpochMilli() + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  /** A cursor read back: {@code [epochMillis, id]}, or a 400 problem. */
  public static long[] cursor(String text) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split(":");
      if (parts.length == 2) {
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw HttpError.badRequest(
        "The cursor is not one this API gave out; use the \"next\" value of the previous page.");
  }

  /** A page size from {@code limit}: 1 to {@code max}, {@code fallback} when absent. */
  public static int limit(Context ctx, int fallback, int max) {
    String text = ctx.queryParam("limit");
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw HttpError.badRequest("limit must be a whole number from 1 to " + max + ".");
  }

  /** Where a page starts, from {@code offset}: 0 or more, 0 when absent. */
  public static int offset(Context ctx) {
    String text = ctx.queryParam("offset");
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw HttpError.badRequest("offset is a whole number, 0 or more.");
  }

  /** An ISO-8601 instant or date from a query parameter, or null when absent; 400 when broken. */
  public static Instant instant(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return text.length() == 10
          ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw HttpError.badRequest(
          name + " must be a date (2026-12-01) or a time with its offset (2026-12-01T07:30:00Z).");
    }
  }
}
