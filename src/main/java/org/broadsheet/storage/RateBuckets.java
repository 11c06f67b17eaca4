package org.broadsheet.storage;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Clock;
import java.time.Duration;
import org.broadsheet.support.RateLimits;

/**
 * The rate limits' buckets: in the table {@code rate_buckets} on PostgreSQL, where every node takes
 * tokens from the same row under a row lock (Bucket4j's select-for-update backend), or in memory on
 * SQLite, which serves one node. A bucket's row expires once it would be full again; {@link #purge}
 * deletes expired rows.
 */
public final class RateBuckets {

  private final PostgreSQLSelectForUpdateBasedProxyManager<String> store;
  private final RateLimits.Source source;

  public RateBuckets(Database database, Clock clock) {
    if (database.dialect() == Database.Dialect.POSTGRESQL) {
      store =
          Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database.dataSource())
              .primaryKeyMapper(PrimaryKeyMapper.STRING)
              .table("rate_buckets")
              .idColumn("id")
              .stateColumn("state")
              .expiresAtColumn("expires_at")
              .expirationAfterWrite(
                  ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                      Duration.ofMinutes(1)))
              .clientClock(RateLimits.meter(clock))
              .build();
      source = RateLimits.Source.shared(clock, (ProxyManager<String>) store);
    } else {
      store = null;
      source = RateLimits.Source.local(clock);
    }
  }

  /** Where features get their limits. */
  public RateLimits.Source source() {
    return source;
  }

  /** Deletes expired buckets (in batches); returns how many. */
  public int purge() {
    if (store == null) {
      return 0;
    }
    int total = 0;
    int removed;
    do {
      removed = store.removeExpired(1000);
      total += removed;
    } while (removed == 1000);
    return total;
  }
}
