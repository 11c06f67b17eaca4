package org.broadsheet.captcha;

/**
 * A way of telling people from bots on a form: the self-hosted proof of work (the default) or a
 * third-party provider chosen in settings. Implementations are thread-safe.
 */
public interface HumanCheck {

  /** A short name for settings, logs and metrics, e.g. {@code altcha} or {@code turnstile}. */
  String name();

  /** The form field that carries the browser's answer. */
  String fieldName();

  /**
   * Verifies the browser's answer for the form it was issued for ({@code binding}, e.g. {@code
   * comment:42}); {@code remoteIp} is the reader's address (may be empty).
   */
  HumanCheckResult verify(String response, String binding, String remoteIp);

  /**
   * As {@link #verify(String, String, String)}, recording any state it keeps (a spent challenge) in
   * the caller's transaction, so a submission and its spent check commit together, in one write.
   */
  default HumanCheckResult verify(
      String response, String binding, String remoteIp, org.jdbi.v3.core.Handle handle) {
    return verify(response, binding, remoteIp);
  }
}
