package org.broadsheet.support;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Token buckets (Bucket4j) per key, e.g. per IP block or per email address. On one node they are
 * held in a bounded in-memory map; with {@link #shared} they live in the database (Bucket4j's
 * PostgreSQL backend, each take a locked read-modify-write of the key's row), so every node draws
 * from the same bucket and the limit holds exactly however requests are spread. Time comes from the
 * injected clock. Thread-safe.
 */
public final class RateLimits {

  private final int perMinute;
  private final TimeMeter time;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
  private final ProxyManager<String> shared;
  private final String name;

  /** Buckets of this node alone. */
  public RateLimits(int perMinute, Clock clock) {
    this(perMinute, clock, null, "");
  }

  private RateLimits(int perMinute, Clock clock, ProxyManager<String> shared, String name) {
    this.perMinute = perMinute;
    this.shared = shared;
    this.name = name;
    this.time = meter(clock);
  }

  /**
   * Buckets every node shares, kept by {@code store} under keys that start with {@code name} (so
   * two limits never share a bucket).
   */
  public static RateLimits shared(
      int perMinute, Clock clock, ProxyManager<String> store, String name) {
    return new RateLimits(perMinute, clock, store, name);
  }

  /** Where a feature gets its limits: this node's memory, or buckets every node shares. */
  @FunctionalInterface
  public interface Source {
    RateLimits limit(String name, int perMinute);

    /** Buckets of this node alone (a single node on SQLite). */
    static Source local(Clock clock) {
      return (name, perMinute) -> new RateLimits(perMinute, clock);
    }

    /** Buckets in the database, shared by every node. */
    static Source shared(Clock clock, ProxyManager<String> store) {
      return (name, perMinute) -> RateLimits.shared(perMinute, clock, store, name);
    }
  }

  /** The injected clock as Bucket4j's time source. */
  public static TimeMeter meter(Clock clock) {
    return new TimeMeter() {
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

  private BucketConfiguration configuration() {
    return BucketConfiguration.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(perMinute)
                .refillIntervally(perMinute, Duration.ofMinutes(1))
                .build())
        .build();
  }

  /** Takes one token; empty when allowed, else the seconds to wait. */
  public OptionalLong tryTake(String key) {
    Bucket bucket =
        shared != null ? shared.builder().build(name + ":" + key, this::configuration) : local(key);
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(
        Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
  }

  private Bucket local(String key) {
    return buckets.get(
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
  }
}
