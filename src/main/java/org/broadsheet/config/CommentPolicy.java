package org.broadsheet.config;

/** Which comments wait for a moderator before readers see them. */
public enum CommentPolicy {
  /** A commenter's first comment; once one is approved, the next ones appear at once. */
  FIRST_TIME,
  /** Every comment. */
  HOLD_ALL,
  /** None (the scored checks still hold suspicious ones). */
  NONE;

  public String id() {
    return Setting.id(this);
  }
}
