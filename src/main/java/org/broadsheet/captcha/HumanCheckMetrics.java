package org.broadsheet.captcha;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Counts challenges issued, solved and failed (by reason), and the solve times browsers report, in
 * the application's meter registry. Thread-safe.
 */
public final class HumanCheckMetrics {

  private final MeterRegistry registry;
  private final Timer solveTime;

  public HumanCheckMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.solveTime =
        Timer.builder("broadsheet.humancheck.solve.time")
            .description("Time browsers took to solve a challenge, as they report it")
            .publishPercentiles(0.5, 0.9, 0.99)
            .register(registry);
  }

  void issued(String form) {
    registry.counter("broadsheet.humancheck.issued", "form", formKind(form)).increment();
  }

  void solved(String check) {
    registry.counter("broadsheet.humancheck.solved", "check", check).increment();
  }

  void failed(String check, HumanCheckFailure reason) {
    registry
        .counter("broadsheet.humancheck.failed", "check", check, "reason", reason.code())
        .increment();
  }

  void solveTime(long millis) {
    if (millis >= 0 && millis < 600_000) {
      solveTime.record(Duration.ofMillis(millis));
    }
  }

  public double count(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  static String formKind(String binding) {
    int colon = binding.indexOf(':');
    return colon < 0 ? binding : binding.substring(0, colon);
  }
}
