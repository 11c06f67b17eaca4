package org.broadsheet.web;

import io.javalin.http.Context;

/**
 * Limits on what one request may make the server parse, checked by a before-filter before any
 * handler reads a parameter: a form of at most {@value #MAX_FORM_FIELDS} fields (the longest of
 * ours, a bulk action on a page of comments, has a few hundred) and an address of at most {@value
 * #MAX_QUERY_PARAMETERS} parameters. The body's size is capped by the server itself. Counting is
 * one pass over bytes already read, so a flood of huge forms costs the site next to nothing.
 */
final class RequestLimits {

  static final int MAX_FORM_FIELDS = 1_000;
  static final int MAX_QUERY_PARAMETERS = 100;

  private RequestLimits() {}

  static void check(Context ctx) {
    String query = ctx.queryString();
    if (query != null && fields(query) > MAX_QUERY_PARAMETERS) {
      throw new HttpError(
          400,
          "Request not accepted",
          "This address carries more than " + MAX_QUERY_PARAMETERS + " parameters.");
    }
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return;
    }
    String type = ctx.contentType();
    if (type != null
        && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
        && fields(ctx.body()) > MAX_FORM_FIELDS) {
      throw new HttpError(
          413,
          "Form too large",
          "This form has more than " + MAX_FORM_FIELDS + " fields; nothing was saved.");
    }
  }

  private static int fields(String encoded) {
    if (encoded.isEmpty()) {
      return 0;
    }
    int count = 1;
    for (int i = 0; i < encoded.length(); i++) {
      if (encoded.charAt(i) == '&') {
        count++;
      }
    }
    return count;
  }
}
