package org.broadsheet.captcha;

/**
 * Counts a third-party provider's outcomes in the same metrics as the self-hosted check, so
 * operators see passes and failures by reason whichever check is chosen. Thread-safe.
 */
public final class CountedHumanCheck implements HumanCheck {

  private final HumanCheck inner;
  private final HumanCheckMetrics metrics;

  public CountedHumanCheck(HumanCheck inner, HumanCheckMetrics metrics) {
    this.inner = inner;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public String fieldName() {
    return inner.fieldName();
  }

  @Override
  public HumanCheckResult verify(String response, String binding, String remoteIp) {
    HumanCheckResult result = inner.verify(response, binding, remoteIp);
    if (result.isPassed()) {
      metrics.solved(inner.name());
    } else if (result.failure() != null) {
      metrics.failed(inner.name(), result.failure());
    }
    return result;
  }
}
