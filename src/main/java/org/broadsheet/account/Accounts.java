package org.broadsheet.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Newsroom members: creating them, signing in with throttling, password resets, roles and
 * deactivation. Failures are counted in the database per account and per network, so the limits
 * hold across nodes. Thread-safe.
 */
public final class Accounts {

  /** Failures in the window after which sign-in also needs the human check. */
  public static final int CHECK_AFTER = 3;

  /** Failures in the window after which an account refuses sign-in until the window passes. */
  public static final int LOCK_AFTER = 10;

  /** Failures from one network in the window after which it is refused. */
  public static final int NETWORK_LOCK_AFTER = 50;

  public static final Duration WINDOW = Duration.ofMinutes(15);
  public static final Duration RESET_VALIDITY = Duration.ofHours(1);

  private final Jdbi jdbi;
  private final Passwords passwords;
  private final SecureRandom random;
  private final Clock clock;
  private final String decoy;

  public Accounts(Jdbi jdbi, Passwords passwords, SecureRandom random, Clock clock) {
    this.jdbi = jdbi;
    this.passwords = passwords;
    this.random = random;
    this.clock = clock;
    this.decoy = passwords.decoy();
  }

  static User map(ResultSet rs) throws SQLException {
    long author = rs.getLong("author_id");
    Long authorId = rs.wasNull() ? null : author;
    return new User(
        rs.getLong("id"),
        rs.getString("email"),
        rs.getString("name"),
        Role.parse(rs.getString("role")),
        authorId,
        rs.getBoolean("active"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("sessions_valid_after")));
  }

  /** Addresses compared and stored in one form: trimmed, lower-case. */
  public static String normalise(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }

  private static final java.util.regex.Pattern EMAIL =
      java.util.regex.Pattern.compile(
          "[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]{1,253}\\.[^@\\s\\p{Cntrl}.]{2,63}");

  public int count() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
  }

  public List<User> all() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT * FROM users ORDER BY name, id").map((rs, c) -> map(rs)).list());
  }

  public Optional<User> byId(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM users WHERE id = :id")
                .bind("id", id)
                .map((rs, c) -> map(rs))
                .findOne());
  }

  public Optional<User> byEmail(String email) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM users WHERE email = :e")
                .bind("e", normalise(email))
                .map((rs, c) -> map(rs))
                .findOne());
  }

  /** Creates a member; the password may be null for an invited member who sets it by link. */
  public User create(String email, String name, String password, Role role, Long authorId) {
    Map<String, String> errors = new LinkedHashMap<>();
    String address = normalise(email);
    if (!EMAIL.matcher(address).matches()) {
      errors.put("email", "Enter an email address such as name@example.org.");
    }
    String cleanName = name == null ? "" : name.strip();
    if (cleanName.isEmpty()
        || cleanName.length() > 100
        || cleanName.chars().anyMatch(Character::isISOControl)) {
      errors.put("name", "Enter a name of up to 100 characters.");
    }
    if (password != null && Passwords.problem(password) != null) {
      errors.put("password", Passwords.problem(password));
    }
    if (role == null) {
      errors.put("role", "Choose a role: admin, editor, author or contributor.");
    }
    if (errors.isEmpty() && byEmail(address).isPresent()) {
      errors.put("email", "Someone in the newsroom already uses this address.");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String hash = password == null ? null : passwords.hash(password);
    long id =
        jdbi.inTransaction(
            h ->
                h.createUpdate(
                        "INSERT INTO users (email, name, password_hash, role, author_id, active, created_at)"
                            + " VALUES (:e, :n, :p, :r, :a, TRUE, :at)")
                    .bind("e", address)
                    .bind("n", cleanName)
                    .bind("p", hash)
                    .bind("r", role.id())
                    .bind("a", authorId)
                    .bind("at", clock.millis())
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one());
    return byId(id).orElseThrow();
  }

  /** The outcome of a sign-in attempt. */
  public sealed interface SignIn {
    /** Right email and password. */
    record Success(User user) implements SignIn {}

    /** Wrong email or password (the same answer for both). */
    record Failure(boolean humanCheckNext) implements SignIn {}

    /** Too many failures: try again after the given time. */
    record Throttled(Duration retryAfter) implements SignIn {}

    /** Several recent failures: the human check is needed and was missing or wrong. */
    record NeedsHumanCheck() implements SignIn {}
  }

  /** Whether the next attempt for this address from this network must carry the human check. */
  public boolean needsHumanCheck(String email, String network) {
    return failures("email:" + normalise(email)) >= CHECK_AFTER
        || failures("net:" + network) >= CHECK_AFTER * 3;
  }

  /**
   * Checks an email and password. {@code humanCheckPassed} says whether the request carried a valid
   * human check (needed after {@link #CHECK_AFTER} failures).
   */
  public SignIn signIn(String email, String password, String network, boolean humanCheckPassed) {
    String address = normalise(email);
    int forAccount = failures("email:" + address);
    int forNetwork = failures("net:" + network);
    if (forAccount >= LOCK_AFTER || forNetwork >= NETWORK_LOCK_AFTER) {
      return new SignIn.Throttled(WINDOW);
    }
    if ((forAccount >= CHECK_AFTER || forNetwork >= CHECK_AFTER * 3) && !humanCheckPassed) {
      return new SignIn.NeedsHumanCheck();
    }
    Optional<User> user = byEmail(address);
    String stored =
        user.map(
                u ->
                    jdbi.withHandle(
                        h ->
                            h.createQuery("SELECT password_hash FROM users WHERE id = :id")
                                .bind("id", u.id())
                                .mapTo(String.class)
                                .findOne()
                                .orElse(null)))
            .orElse(null);
    boolean matches = passwords.verify(password, stored == null ? decoy : stored);
    if (matches && stored != null && user.get().active()) {
      clearFailures("email:" + address);
      return new SignIn.Success(user.get());
    }
    recordFailure("email:" + address);
    recordFailure("net:" + network);
    return new SignIn.Failure(forAccount + 1 >= CHECK_AFTER);
  }

  private int failures(String scope) {
    long since = clock.millis() - WINDOW.toMillis();
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM sign_in_failures WHERE scope = :s AND at > :since")
                .bind("s", scope)
                .bind("since", since)
                .mapTo(Integer.class)
                .one());
  }

  private void recordFailure(String scope) {
    jdbi.useTransaction(
        h ->
            h.createUpdate("INSERT INTO sign_in_failures (scope, at) VALUES (:s, :at)")
                .bind("s", scope)
                .bind("at", clock.millis())
                .execute());
  }

  private void clearFailures(String scope) {
    jdbi.useTransaction(
        h ->
            h.createUpdate("DELETE FROM sign_in_failures WHERE scope = :s")
                .bind("s", scope)
                .execute());
  }

  /** Forgets failures older than the window. */
  public void purge() {
    jdbi.useTransaction(
        h ->
            h.createUpdate("DELETE FROM sign_in_failures WHERE at <= :t")
                .bind("t", clock.millis() - WINDOW.toMillis())
                .execute());
  }

  /**
   * A single-use password reset token for the address, or empty when there is no such active member
   * (the caller answers the same either way).
   */
  public Optional<String> startReset(String email) {
    Optional<User> user = byEmail(email).filter(User::active);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = Base64Url.encode(raw);
    jdbi.useTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (:t, :u, :x)")
                .bind("t", sha256(token))
                .bind("u", user.get().id())
                .bind("x", clock.millis() + RESET_VALIDITY.toMillis())
                .execute());
    return Optional.of(token);
  }

  /** Whether a reset token is still usable (for showing the form). */
  public boolean resetUsable(String token) {
    return jdbi.withHandle(h -> resetUser(h, token)).isPresent();
  }

  private Optional<Long> resetUser(Handle h, String token) {
    if (token == null || token.length() > 100) {
      return Optional.empty();
    }
    return h.createQuery(
            "SELECT user_id FROM password_resets WHERE token_hash = :t AND used_at IS NULL AND expires_at > :now")
        .bind("t", sha256(token))
        .bind("now", clock.millis())
        .mapTo(Long.class)
        .findOne();
  }

  /**
   * Sets a new password with a reset token, once; signs the member out everywhere. Returns the
   * member, or throws with a message when the token is unknown, used or expired.
   */
  public User finishReset(String token, String newPassword) {
    String problem = Passwords.problem(newPassword);
    if (problem != null) {
      throw new ValidationException(Map.of("password", problem));
    }
    String hash = passwords.hash(newPassword);
    long userId =
        jdbi.inTransaction(
            h -> {
              Long id =
                  resetUser(h, token)
                      .orElseThrow(
                          () ->
                              new ValidationException(
                                  Map.of(
                                      "token",
                                      "This link has expired or was already used. Ask for a new one.")));
              int claimed =
                  h.createUpdate(
                          "UPDATE password_resets SET used_at = :now WHERE token_hash = :t AND used_at IS NULL")
                      .bind("now", clock.millis())
                      .bind("t", sha256(token))
                      .execute();
              if (claimed != 1) {
                throw new ValidationException(
                    Map.of(
                        "token", "This link has expired or was already used. Ask for a new one."));
              }
              h.createUpdate(
                      "UPDATE users SET password_hash = :p, sessions_valid_after = :now WHERE id = :id")
                  .bind("p", hash)
                  .bind("now", clock.millis())
                  .bind("id", id)
                  .execute();
              h.createUpdate("DELETE FROM sessions WHERE user_id = :id").bind("id", id).execute();
              return id;
            });
    return byId(userId).orElseThrow();
  }

  /** Links a member to their public author profile (their byline). */
  public void linkAuthor(long userId, long authorId) {
    update("UPDATE users SET author_id = :v WHERE id = :id", userId, authorId);
  }

  public void changeRole(long userId, Role role) {
    update("UPDATE users SET role = :v WHERE id = :id", userId, role.id());
  }

  /** Deactivates or reactivates; deactivating ends every session. */
  public void setActive(long userId, boolean active) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("UPDATE users SET active = :a WHERE id = :id")
              .bind("a", active)
              .bind("id", userId)
              .execute();
          if (!active) {
            h.createUpdate("DELETE FROM sessions WHERE user_id = :id").bind("id", userId).execute();
          }
        });
  }

  private void update(String sql, long userId, Object value) {
    jdbi.useTransaction(h -> h.createUpdate(sql).bind("v", value).bind("id", userId).execute());
  }

  /**
   * Whether another reset mail may go out: at most 3 per address and 20 per network in {@link
   * #WINDOW}; counts the request.
   */
  public boolean resetAllowed(String email, String network) {
    String forEmail = "reset:" + normalise(email);
    String forNetwork = "reset-net:" + network;
    if (failures(forEmail) >= 3 || failures(forNetwork) >= 20) {
      return false;
    }
    recordFailure(forEmail);
    recordFailure(forNetwork);
    return true;
  }

  /** SHA-256 in hex: how tokens are stored, so a database leak does not leak live tokens. */
  public static String sha256Hex(String value) {
    return sha256(value);
  }

  static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** URL-safe random tokens. */
  static final class Base64Url {
    private Base64Url() {}

    static String encode(byte[] raw) {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
  }
}
