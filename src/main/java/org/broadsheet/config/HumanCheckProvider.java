package org.broadsheet.config;

/** Which human check guards reader forms: our own proof of work, or a third-party service. */
public enum HumanCheckProvider {
  ALTCHA,
  RECAPTCHA_V2,
  RECAPTCHA_V3,
  HCAPTCHA,
  TURNSTILE;

  /** The setting's spelling, e.g. {@code recaptcha-v3}. */
  public String id() {
    return Setting.id(this);
  }

  public boolean selfHosted() {
    return this == ALTCHA;
  }
}
