package org.broadsheet.support;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Token buckets (Bucket4j) per key, e.g. per IP block or per email address, held in a bounded
 * in-memory map. Each node limits on its own; put a shared limit in front for many nodes. Time
 * comes from the injected clock. Thread-safe.
 */
public final class RateLimits {

  private final int perMinute;
  private final TimeMeter time;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

  public RateLimits(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.time =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
  }

  /** Takes one token; empty when allowed, else the seconds to wait. */
  public OptionalLong tryTake(String key) {
    Bucket bucket =
        buckets.get(
            key,
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(perMinute)
                            .refillIntervally(perMinute, Duration.ofMinutes(1))
                            .build())
                    .withCustomTimePrecision(time)
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(
        Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
  }
}
