package org.broadsheet.config;

/**
 * What happens to a reader's form when its check cannot be made: held for a moderator, or refused.
 */
public enum Fallback {
  HOLD,
  REJECT;

  public String id() {
    return Setting.id(this);
  }
}
