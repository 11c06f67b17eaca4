package org.broadsheet.config;

/** How the connection to the SMTP server is protected. */
public enum SmtpSecurity {
  NONE,
  STARTTLS,
  TLS;

  public String id() {
    return Setting.id(this);
  }
}
