package org.broadsheet.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides what a test does when a service it needs (PostgreSQL, Chromium) is missing: on a
 * developer's machine it is skipped with the reason; under CI ({@code CI=true}) it fails, so a
 * missing service can never turn a run green by skipping.
 */
public final class Services {

  private Services() {}

  public static boolean underCi() {
    String property = System.getProperty("broadsheet.ci", "");
    String env = System.getenv().getOrDefault("CI", "");
    return property.equalsIgnoreCase("true") || env.equalsIgnoreCase("true");
  }

  /** Skips (locally) or fails (under CI) the current test because a service is missing. */
  public static void missing(String what) {
    if (underCi()) {
      Assertions.fail(what + " is required under CI=true, and it is not available.");
    }
    Assumptions.abort(what + " is not available; skipping (under CI=true this fails).");
  }
}
