package org.broadsheet.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * Reading what a request sent: form fields as typed (never null), and ids from the path or a form,
 * through Javalin's validators, so a malformed id is a clear 404 or 400 rather than an exception.
 * Stateless.
 */
public final class Forms {

  private Forms() {}

  /** A form field as sent, or empty when it is missing. */
  public static String text(Context ctx, String name) {
    return Optional.ofNullable(ctx.formParam(name)).orElse("");
  }

  /** A query parameter as sent, or empty when it is missing. */
  public static String query(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).orElse("");
  }

  /** A positive numeric id from the path; anything else is "page not found". */
  public static long pathId(Context ctx, String name) {
    return ctx.pathParamAsClass(name, Long.class)
        .check(id -> id > 0, "must be a positive number")
        .getOrThrow(errors -> HttpError.notFound());
  }

  /** A positive numeric id from a form field, or empty when the field is missing or malformed. */
  public static Optional<Long> formId(Context ctx, String name) {
    String raw = ctx.formParam(name);
    return raw == null ? Optional.empty() : parseId(raw);
  }

  /** A positive numeric id from a query parameter, or empty. */
  public static Optional<Long> queryId(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    return raw == null ? Optional.empty() : parseId(raw);
  }

  /** Every well-formed id among the values of a repeated form field (ticked boxes). */
  public static List<Long> formIds(Context ctx, String name) {
    return ctx.formParams(name).stream().map(Forms::parseId).flatMap(Optional::stream).toList();
  }

  /** A positive id of at most 18 digits, or empty. */
  public static Optional<Long> parseId(String raw) {
    if (raw == null || !raw.matches("[1-9][0-9]{0,17}")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(raw));
  }
}
