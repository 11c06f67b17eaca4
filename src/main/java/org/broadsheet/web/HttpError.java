package org.broadsheet.web;

/**
 * A request that cannot be answered with the page asked for; rendered as an error page in the
 * site's look with a message the reader can act on.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;

  public HttpError(int status, String title, String message) {
    super(message);
    this.status = status;
    this.title = title;
  }

  public static HttpError notFound() {
    return new HttpError(
        404,
        "Page not found",
        "We could not find that page. It may have moved, or the address may be mistyped. Try the front page or a section.");
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, "Bad request", message);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
