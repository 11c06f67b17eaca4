package org.broadsheet.captcha.provider;

/** What to do when a third-party verification service cannot be reached or answers nonsense. */
public enum FailureMode {
  /** Refuse the submission and ask the reader to try again. */
  REJECT,
  /** Accept the submission but hold it for moderation. */
  HOLD
}
