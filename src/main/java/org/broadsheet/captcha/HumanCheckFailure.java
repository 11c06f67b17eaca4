package org.broadsheet.captcha;

/**
 * Why a human check did not pass, each with the message a reader sees and what to do next. The
 * metrics count failures by {@link #code()}.
 */
public enum HumanCheckFailure {
  MISSING("missing", "Please complete the check that you are not a robot, then submit again."),
  MALFORMED(
      "malformed", "The verification could not be read. Please run the check again and resubmit."),
  BAD_SIGNATURE(
      "bad-signature",
      "The verification was not issued by this site. Please run the check again and resubmit."),
  WRONG_FORM(
      "wrong-form",
      "That verification belongs to another form. Please run the check on this form and resubmit."),
  EXPIRED("expired", "The verification expired. It has been renewed; please submit again."),
  ALREADY_USED(
      "already-used",
      "That verification was already used. Please run the check again and resubmit."),
  REJECTED("rejected", "The check could not confirm that you are a person. Please try again."),
  UNAVAILABLE(
      "unavailable", "The verification service did not answer. Please try again in a moment.");

  private final String code;
  private final String message;

  HumanCheckFailure(String code, String message) {
    this.code = code;
    this.message = message;
  }

  /** A short stable identifier, for logs, metrics and the JSON API. */
  public String code() {
    return code;
  }

  /** What the reader is told, with the next step. */
  public String message() {
    return message;
  }
}
