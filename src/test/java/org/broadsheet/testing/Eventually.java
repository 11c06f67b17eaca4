package org.broadsheet.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * Waits for a condition instead of for a fixed time: checks it every 20 ms until it holds, and
 * fails with what was awaited when it does not within the limit (generous, since CI machines are
 * slow; a test that passes never waits longer than it must).
 */
public final class Eventually {

  public static final Duration LIMIT = Duration.ofSeconds(20);

  private Eventually() {}

  /** Waits until the condition holds. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, LIMIT, condition);
  }

  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        Assertions.fail("Waited " + limit.toSeconds() + " s for " + what + "; it did not happen.");
      }
      pause();
    }
  }

  /** Waits until the supplier gives a value that is not null, and returns it. */
  public static <T> T value(String what, Supplier<T> value) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      T v = value.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        Assertions.fail("Waited " + LIMIT.toSeconds() + " s for " + what + "; it did not come.");
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
