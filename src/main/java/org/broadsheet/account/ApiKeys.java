package org.broadsheet.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys for integrations: made in the newsroom by a member for something they run (a wire
 * importer, an app), limited to chosen permissions within the member's own role, shown once, stored
 * as a hash, revocable; and the record of idempotent requests made with them. Thread-safe.
 */
public final class ApiKeys {

  /** How long an Idempotency-Key is remembered. */
  public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

  private static final String PREFIX = "bs_";
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final Jdbi jdbi;
  private final Clock clock;
  private final SecureRandom random;
  private final Audit audit;
  private final Accounts accounts;
  private final ApiKeyStore store = new ApiKeyStore();
  private final Map<Long, Instant> touched = new ConcurrentHashMap<>();

  public ApiKeys(Jdbi jdbi, Clock clock, SecureRandom random, Audit audit, Accounts accounts) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.random = random;
    this.audit = audit;
    this.accounts = accounts;
  }

  /** A key just made: the record, and the whole secret, which is never shown again. */
  public record Created(ApiKey key, String secret) {}

  /**
   * Makes a key for {@code owner}, limited to {@code scopes}, which must be ones the owner's role
   * has.
   */
  public Created create(String name, Set<Role.Permission> scopes, User owner, Actor actor) {
    String clean = name == null ? "" : name.strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (clean.isEmpty() || clean.length() > 80) {
      errors.put(
          "name", "Name the integration (up to 80 characters), e.g. \u201cWire importer\u201d.");
    }
    if (scopes == null || scopes.isEmpty()) {
      errors.put("scopes", "Choose at least one thing the key may do.");
    } else {
      List<String> beyond =
          scopes.stream().filter(p -> !owner.can(p)).map(p -> p.name().toLowerCase()).toList();
      if (!beyond.isEmpty()) {
        errors.put(
            "scopes",
            "A key cannot do more than its owner: your role ("
                + owner.role().label()
                + ") does not include "
                + String.join(", ", beyond)
                + ".");
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    byte[] id = new byte[5];
    random.nextBytes(id);
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String prefix = PREFIX + HexFormat.of().formatHex(id);
    String secret =
        prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    Set<Role.Permission> granted = EnumSet.copyOf(scopes);
    long keyId =
        jdbi.inTransaction(
            h -> {
              long newId =
                  store.insert(
                      h, clean, prefix, hash(secret), granted, owner.id(), clock.instant());
              audit.record(
                  h,
                  actor,
                  "apikey.create",
                  "apikey:" + newId + " " + clean,
                  "scopes=" + ApiKeyStore.scopesText(granted));
              return newId;
            });
    return new Created(jdbi.withHandle(h -> store.byId(h, keyId)).orElseThrow(), secret);
  }

  /**
   * The caller a presented key stands for: known, not revoked, and its owner still an active
   * member. Compared by hash in constant time; notes the last use at most once a minute.
   */
  public Optional<Caller> authenticate(String presented) {
    if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
      return Optional.empty();
    }
    int split = presented.indexOf('_', PREFIX.length());
    if (split < 0) {
      return Optional.empty();
    }
    String prefix = presented.substring(0, split);
    Optional<ApiKeyStore.Stored> stored = jdbi.withHandle(h -> store.byPrefix(h, prefix));
    if (stored.isEmpty()
        || !MessageDigest.isEqual(
            stored.get().secretHash().getBytes(StandardCharsets.US_ASCII),
            hash(presented).getBytes(StandardCharsets.US_ASCII))
        || stored.get().key().revoked()) {
      return Optional.empty();
    }
    ApiKey key = stored.get().key();
    Optional<User> owner = accounts.byId(key.ownerId()).filter(User::active);
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant last = touched.get(key.id());
    if (last == null || last.plus(TOUCH_EVERY).isBefore(now)) {
      touched.put(key.id(), now);
      jdbi.useHandle(h -> store.touch(h, key.id(), now));
    }
    return Optional.of(Caller.key(owner.get(), key));
  }

  public List<ApiKey> all() {
    return jdbi.withHandle(store::all);
  }

  public Optional<ApiKey> byId(long id) {
    return jdbi.withHandle(h -> store.byId(h, id));
  }

  /** Revokes a key at once (its next request is refused); false if it already was. */
  public boolean revoke(long id, Actor actor) {
    return jdbi.inTransaction(
        h -> {
          Optional<ApiKey> key = store.byId(h, id);
          if (key.isEmpty() || !store.revoke(h, id, clock.instant())) {
            return false;
          }
          audit.record(h, actor, "apikey.revoke", "apikey:" + id + " " + key.get().name(), "");
          return true;
        });
  }

  // ---- idempotent requests

  /** What an earlier request with the same Idempotency-Key got (status 0: still running). */
  public record Remembered(String requestHash, int status, String response) {}

  /**
   * Claims an Idempotency-Key for a request ({@code callerId}: the key's id, or minus the member's
   * id for a session); empty when claimed now, else what the first request left.
   */
  public Optional<Remembered> claim(long callerId, String idempotencyKey, String requestHash) {
    Instant now = clock.instant();
    return jdbi.inTransaction(
        h -> {
          store.forgetBefore(h, now.minus(IDEMPOTENCY_WINDOW));
          if (store.claim(h, callerId, idempotencyKey, requestHash, now)) {
            return Optional.empty();
          }
          return store.remembered(h, callerId, idempotencyKey);
        });
  }

  /** Keeps the answer of a claimed request, for its retries. */
  public void remember(long callerId, String idempotencyKey, int status, String response) {
    jdbi.useHandle(h -> store.remember(h, callerId, idempotencyKey, status, response));
  }

  /** Releases a claim whose request failed, so a corrected retry can run. */
  public void release(long callerId, String idempotencyKey) {
    jdbi.useHandle(h -> store.forget(h, callerId, idempotencyKey));
  }

  static String hash(String secret) {
    return Accounts.sha256(secret);
  }
}
