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

  /** The largest multipart request: a 20 MB file with its form fields. */
  static final long MAX_UPLOAD_BYTES = 22L * 1024 * 1024;

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
        && type.regionMatches(true, 0, "multipart/form-data", 0, 19)
        && ctx.contentLength() > MAX_UPLOAD_BYTES) {
      // Said before the body is read: otherwise the server stops reading mid-upload and the
      // browser shows a reset connection instead of the reason.
      ctx.header("Connection", "close");
      throw new HttpError(
          413,
          "File too large",
          "The file is larger than 20 MB, the most an upload may be. Make it smaller (an image"
              + " editor can export it at a lower size or quality) and upload it again.");
    }
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
