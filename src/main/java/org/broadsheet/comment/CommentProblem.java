package org.broadsheet.comment;

import java.util.Map;

/**
 * A comment that cannot be accepted, with the HTTP status to answer, a message for the reader, and
 * field-level messages where a field was at fault. Nothing has been stored when this is thrown.
 */
public final class CommentProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> fieldErrors;
  private final String code;
  private final long retryAfterSeconds;

  public CommentProblem(
      int status,
      String message,
      Map<String, String> fieldErrors,
      String code,
      long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.fieldErrors = Map.copyOf(fieldErrors);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static CommentProblem of(int status, String code, String message) {
    return new CommentProblem(status, message, Map.of(), code, 0);
  }

  public int status() {
    return status;
  }

  public Map<String, String> fieldErrors() {
    return fieldErrors;
  }

  /**
   * A stable identifier for the JSON API, e.g. {@code duplicate}, {@code rate-limited}, {@code
   * expired}.
   */
  public String code() {
    return code;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
