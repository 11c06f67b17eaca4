package org.broadsheet.captcha;

/**
 * The outcome of a human check: passed; failed with a reason; or not decidable and to be held for
 * moderation instead (no JavaScript, or a third-party provider that did not answer and is
 * configured to hold). {@code detail} is for moderators and logs, never shown to readers.
 */
public record HumanCheckResult(
    Outcome outcome, HumanCheckFailure failure, String detail, java.time.Instant startedAt) {

  /** What the caller should do with the submission. */
  public enum Outcome {
    PASSED,
    FAILED,
    HOLD
  }

  public static HumanCheckResult passed() {
    return new HumanCheckResult(Outcome.PASSED, null, "", null);
  }

  /** Passed, knowing when the reader started the form (when the challenge was issued). */
  public static HumanCheckResult passed(java.time.Instant startedAt) {
    return new HumanCheckResult(Outcome.PASSED, null, "", startedAt);
  }

  public static HumanCheckResult failed(HumanCheckFailure failure, String detail) {
    return new HumanCheckResult(Outcome.FAILED, failure, detail, null);
  }

  public static HumanCheckResult hold(HumanCheckFailure reason, String detail) {
    return new HumanCheckResult(Outcome.HOLD, reason, detail, null);
  }

  public boolean isPassed() {
    return outcome == Outcome.PASSED;
  }
}
