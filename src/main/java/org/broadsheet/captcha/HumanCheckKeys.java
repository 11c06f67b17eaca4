package org.broadsheet.captcha;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The per-site secrets that sign human-check challenges, kept in the database so every node signs
 * and verifies alike. The first start generates one; {@link #rotate} starts a new one while the old
 * keeps verifying the challenges it signed until they expire. Thread-safe.
 */
public final class HumanCheckKeys {

  /** One signing key. */
  public record Key(long id, String secret, Instant createdAt, Instant retiredAt) {}

  private final Jdbi jdbi;
  private final SecureRandom random;
  private final Clock clock;
  private final Duration grace;
  private final ChallengeStore store = new ChallengeStore();
  private final org.broadsheet.storage.ChangeFeed changes;
  private volatile Key current;

  /** Keys of a single process (tests, benchmarks): a rotation reaches no other node. */
  public HumanCheckKeys(Jdbi jdbi, SecureRandom random, Clock clock, Duration grace) {
    this(jdbi, random, clock, grace, null);
  }

  /**
   * Keys of a node: a rotation (here, on another node or from the command line) is recorded in the
   * change feed, and every node that follows it ({@link #onChange}) signs with the new key from
   * then on.
   */
  public HumanCheckKeys(
      Jdbi jdbi,
      SecureRandom random,
      Clock clock,
      Duration grace,
      org.broadsheet.storage.ChangeFeed changes) {
    this.changes = changes;
    this.jdbi = jdbi;
    this.random = random;
    this.clock = clock;
    this.grace = grace;
  }

  /** The key new challenges are signed with; made on first use when none exists. */
  public Key current() {
    Key key = current;
    if (key == null) {
      key = loadCurrent().orElseGet(this::create);
      current = key;
    }
    return key;
  }

  /** The key with this id, if it may still verify: active, or retired less than the grace ago. */
  public Optional<Key> forVerification(long id) {
    Key key = current;
    if (key != null && key.id() == id) {
      return Optional.of(key);
    }
    Instant oldest = clock.instant().minus(grace);
    return jdbi.withHandle(h -> store.keyIfUsable(h, id, oldest));
  }

  /** Starts a new key; the previous ones keep verifying for the grace period. */
  public Key rotate() {
    Instant now = clock.instant();
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    jdbi.useTransaction(
        h -> {
          store.retireActiveKeys(h, now);
          store.insertKey(h, HexFormat.of().formatHex(secret), now);
          if (changes != null) {
            changes.record(
                h,
                org.broadsheet.storage.Change.Entity.HUMAN_CHECK_KEY,
                0,
                org.broadsheet.storage.Change.Kind.ROTATED);
          }
        });
    current = null;
    if (changes != null) {
      changes.pump();
    }
    return current();
  }

  /** Follows the feed: after a rotation anywhere, the next challenge loads the new key. */
  public void onChange(org.broadsheet.storage.Change change) {
    if (change.is(org.broadsheet.storage.Change.Entity.HUMAN_CHECK_KEY)) {
      current = null;
    }
  }

  private Optional<Key> loadCurrent() {
    return jdbi.withHandle(store::activeKey);
  }

  private Key create() {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    jdbi.useTransaction(h -> store.insertKey(h, HexFormat.of().formatHex(secret), clock.instant()));
    // Two nodes may create a key at the same moment; both then settle on the oldest active one.
    return loadCurrent().orElseThrow();
  }
}
