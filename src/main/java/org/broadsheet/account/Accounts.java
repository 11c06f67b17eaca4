package org.broadsheet.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.storage.Locks;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Newsroom members: creating them, signing in with throttling, password resets, roles and
 * deactivation. Failures are counted in the database per account and per network, so the limits
 * hold across nodes. Every change is one transaction with its audit entry; the methods that take a
 * {@link Handle} join the caller's. Thread-safe.
 */
public final class Accounts {

  /** Failures for one address in the window after which sign-in also needs the human check. */
  public static final int CHECK_AFTER = 3;

  /** Failures from one network in the window after which sign-in needs the human check there. */
  public static final int NETWORK_CHECK_AFTER = 9;

  /**
   * Failures for one address in the window after which each further failure is answered more
   * slowly. Nobody is ever refused: a member with the right password and a solved check gets in, so
   * failures made by someone else (a shared proxy, an attacker) cannot lock them out.
   */
  public static final int SLOW_AFTER = 10;

  /** Failures from one network in the window after which its failures are answered slowly. */
  public static final int NETWORK_SLOW_AFTER = 50;

  /** How much slower each failure past the limit is answered, up to {@link #MAX_SLOW_DOWN}. */
  public static final Duration SLOW_DOWN_STEP = Duration.ofMillis(100);

  public static final Duration MAX_SLOW_DOWN = Duration.ofSeconds(3);

  public static final Duration WINDOW = Duration.ofMinutes(15);
  public static final Duration RESET_VALIDITY = Duration.ofHours(1);

  /** How long an invitation's link works: a week, for people who read their mail on Monday. */
  public static final Duration INVITE_VALIDITY = Duration.ofDays(7);

  private static final String LINK_GONE =
      "This link has expired or was already used. Ask for a new one.";

  private final Jdbi jdbi;
  private final Passwords passwords;
  private final SecureRandom random;
  private final Clock clock;
  private final Audit audit;
  private final String decoy;
  private final AccountStore store = new AccountStore();
  private final SessionStore sessions = new SessionStore();

  public Accounts(Jdbi jdbi, Passwords passwords, SecureRandom random, Clock clock, Audit audit) {
    this.jdbi = jdbi;
    this.passwords = passwords;
    this.random = random;
    this.clock = clock;
    this.audit = audit;
    this.decoy = passwords.decoy();
  }

  /** Addresses compared and stored in one form: trimmed, lower-case. */
  public static String normalise(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }

  private static final java.util.regex.Pattern EMAIL =
      java.util.regex.Pattern.compile(
          "[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]{1,253}\\.[^@\\s\\p{Cntrl}.]{2,63}");

  public int count() {
    return jdbi.withHandle(store::count);
  }

  /** How many members there are, inside the caller's transaction. */
  public int count(Handle h) {
    return store.count(h);
  }

  public List<User> all() {
    return jdbi.withHandle(store::all);
  }

  public Optional<User> byId(long id) {
    return jdbi.withHandle(h -> store.byId(h, id));
  }

  /** A member, inside the caller's transaction. */
  public Optional<User> byId(Handle h, long id) {
    return store.byId(h, id);
  }

  public Optional<User> byEmail(String email) {
    return jdbi.withHandle(h -> store.byEmail(h, normalise(email)));
  }

  /** Creates a member; the password may be null for an invited member who sets it by link. */
  public User create(String email, String name, String password, Role role, Long authorId) {
    return jdbi.inTransaction(h -> create(h, email, name, password, role, authorId));
  }

  /** Creates a member inside the caller's transaction; throws with every problem at once. */
  public User create(
      Handle h, String email, String name, String password, Role role, Long authorId) {
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
    if (errors.isEmpty() && store.byEmail(h, address).isPresent()) {
      errors.put("email", "Someone in the newsroom already uses this address.");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String hash = password == null ? null : passwords.hash(password);
    long id = store.insert(h, address, cleanName, hash, role, authorId, clock.instant());
    return store.byId(h, id).orElseThrow();
  }

  /** The outcome of a sign-in attempt. */
  public sealed interface SignIn {
    /** Right email and password. */
    record Success(User user) implements SignIn {}

    /**
     * Wrong email or password (the same answer for both); after many failures the answer should be
     * given only after {@code slowDown}.
     */
    record Failure(boolean humanCheckNext, Duration slowDown) implements SignIn {}

    /** Several recent failures: the human check is needed and was missing or wrong. */
    record NeedsHumanCheck() implements SignIn {}
  }

  /** Whether the next attempt for this address from this network must carry the human check. */
  public boolean needsHumanCheck(String email, String network) {
    return jdbi.withHandle(
        h ->
            attempts(h, "email:" + normalise(email)) >= CHECK_AFTER
                || attempts(h, "net:" + network) >= NETWORK_CHECK_AFTER);
  }

  /**
   * Checks an email and password. {@code humanCheckPassed} says whether the request carried a valid
   * human check (needed after {@link #CHECK_AFTER} failures for the address or {@link
   * #NETWORK_CHECK_AFTER} from the network). Never refuses the right password with a solved check.
   */
  public SignIn signIn(String email, String password, String network, boolean humanCheckPassed) {
    String address = normalise(email);
    record Known(
        int forAccount, int forNetwork, Optional<User> user, String hash, long networkAttempt) {}
    // Counted before the password is checked, under the address's and the network's locks (in
    // that order, on every node): a burst of parallel guesses is counted one by one, so the human
    // check is asked for from exactly the CHECK_AFTER-th attempt on, however the burst is spread
    // over nodes.
    Known known =
        jdbi.inTransaction(
            h -> {
              Locks.exclusive(h, "sign-in:" + address);
              Locks.exclusive(h, "sign-in-net:" + network);
              int forAccount = attempts(h, "email:" + address);
              int forNetwork = attempts(h, "net:" + network);
              if ((forAccount >= CHECK_AFTER || forNetwork >= NETWORK_CHECK_AFTER)
                  && !humanCheckPassed) {
                return null;
              }
              Instant now = clock.instant();
              store.addAttempt(h, "email:" + address, now);
              long networkAttempt = store.addAttempt(h, "net:" + network, now);
              Optional<User> user = store.byEmail(h, address);
              return new Known(
                  forAccount,
                  forNetwork,
                  user,
                  user.flatMap(u -> store.passwordHash(h, u.id())).orElse(null),
                  networkAttempt);
            });
    if (known == null) {
      return new SignIn.NeedsHumanCheck();
    }
    String stored = known.hash();
    boolean matches = passwords.verify(password, stored == null ? decoy : stored);
    if (matches && stored != null && known.user().get().active()) {
      // A success was no failure: its own counts go, and the address's earlier failures too.
      jdbi.useTransaction(
          h -> {
            store.clearAttempts(h, "email:" + address);
            store.removeAttempt(h, known.networkAttempt());
          });
      return new SignIn.Success(known.user().get());
    }
    int past =
        Math.max(known.forAccount() + 1 - SLOW_AFTER, known.forNetwork() + 1 - NETWORK_SLOW_AFTER);
    Duration slowDown =
        past <= 0
            ? Duration.ZERO
            : SLOW_DOWN_STEP.multipliedBy(past).compareTo(MAX_SLOW_DOWN) > 0
                ? MAX_SLOW_DOWN
                : SLOW_DOWN_STEP.multipliedBy(past);
    return new SignIn.Failure(
        known.forAccount() + 1 >= CHECK_AFTER || known.forNetwork() + 1 >= NETWORK_CHECK_AFTER,
        slowDown);
  }

  private int attempts(Handle h, String scope) {
    return store.attempts(h, scope, clock.instant().minus(WINDOW));
  }

  /** Forgets failures older than the window. */
  public void purge() {
    jdbi.useTransaction(h -> store.purgeAttempts(h, clock.instant().minus(WINDOW)));
  }

  /**
   * Inside the caller's transaction, a single-use password reset token for the address, or empty
   * when there is no such active member (the caller answers the same either way).
   */
  public Optional<String> startReset(Handle h, String email) {
    Optional<User> user = store.byEmail(h, normalise(email)).filter(User::active);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = Base64Url.encode(raw);
    store.insertReset(h, sha256(token), user.get().id(), clock.instant().plus(RESET_VALIDITY));
    return Optional.of(token);
  }

  /**
   * Inside the caller's transaction, an invitation link for a member who has not chosen a password
   * yet, valid for {@link #INVITE_VALIDITY}; earlier links of theirs end.
   */
  public String startInvite(Handle h, long userId) {
    Instant now = clock.instant();
    store.endResets(h, userId, now);
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = Base64Url.encode(raw);
    store.insertReset(h, sha256(token), userId, now.plus(INVITE_VALIDITY));
    return token;
  }

  /** Ends every unused link of a member (an invitation revoked). */
  public void endLinks(Handle h, long userId) {
    store.endResets(h, userId, clock.instant());
  }

  /**
   * Members invited who have not chosen a password yet, with when their link expires ({@link
   * Instant#EPOCH}: no usable link).
   */
  public java.util.Map<Long, Instant> invitations() {
    Instant now = clock.instant();
    java.util.Map<Long, Instant> found =
        new java.util.HashMap<>(jdbi.withHandle(store::invitations));
    found.replaceAll((id, until) -> until.isAfter(now) ? until : Instant.EPOCH);
    return found;
  }

  /** A reset token on its own transaction (tests, the command line). */
  public Optional<String> startReset(String email) {
    return jdbi.inTransaction(h -> startReset(h, email));
  }

  /** Whether a reset token is still usable (for showing the form). */
  public boolean resetUsable(String token) {
    return token != null
        && token.length() <= 100
        && jdbi.withHandle(h -> store.resetUser(h, sha256(token), clock.instant())).isPresent();
  }

  /**
   * Sets a new password with a reset token, once; signs the member out everywhere; records it from
   * {@code address}. Returns the member, or throws with a message when the token is unknown, used
   * or expired, or the password too weak.
   */
  public User finishReset(String token, String newPassword, String address) {
    String problem = Passwords.problem(newPassword);
    if (problem != null) {
      throw new ValidationException(Map.of("password", problem));
    }
    if (token == null || token.length() > 100) {
      throw new ValidationException(Map.of("token", LINK_GONE));
    }
    String hash = passwords.hash(newPassword);
    String tokenHash = sha256(token);
    return jdbi.inTransaction(
        h -> {
          Instant now = clock.instant();
          long id =
              store
                  .resetUser(h, tokenHash, now)
                  .orElseThrow(() -> new ValidationException(Map.of("token", LINK_GONE)));
          if (!store.claimReset(h, tokenHash, now)) {
            throw new ValidationException(Map.of("token", LINK_GONE));
          }
          store.setPassword(h, id, hash, now);
          // Every other link sent before this one dies with it.
          store.endResets(h, id, now);
          sessions.deleteAllOf(h, id);
          User user = store.byId(h, id).orElseThrow();
          audit.record(h, Actor.of(user, address), "user.password-set", user.email(), "");
          return user;
        });
  }

  /** Links a member to their public author profile (their byline). */
  public void linkAuthor(Handle h, long userId, long authorId) {
    store.linkAuthor(h, userId, authorId);
  }

  /** Links a member to a byline unless they have one already; true when linked. */
  public boolean linkAuthorIfNone(Handle h, long userId, long authorId) {
    return store.linkAuthorIfNone(h, userId, authorId);
  }

  /** Gives a member another role; the change and its audit entry are one transaction. */
  public void changeRole(long userId, Role role, Actor actor) {
    jdbi.useTransaction(
        h -> {
          User target = store.byId(h, userId).orElseThrow();
          store.setRole(h, userId, role);
          audit.record(
              h, actor, "user.role", target.email(), target.role().id() + " -> " + role.id());
        });
  }

  /** Inside the caller's transaction: deactivates a member, ending their sessions and links. */
  public void deactivate(Handle h, long userId) {
    store.setActive(h, userId, false);
    sessions.deleteAllOf(h, userId);
    store.endResets(h, userId, clock.instant());
  }

  /** Deactivates (ending every session) or reactivates a member, with its audit entry. */
  public void setActive(long userId, boolean active, Actor actor) {
    jdbi.useTransaction(
        h -> {
          User target = store.byId(h, userId).orElseThrow();
          store.setActive(h, userId, active);
          if (!active) {
            sessions.deleteAllOf(h, userId);
            store.endResets(h, userId, clock.instant());
          }
          audit.record(h, actor, active ? "user.activate" : "user.deactivate", target.email(), "");
        });
  }

  /**
   * Inside the caller's transaction: whether another reset mail may go out (at most 3 per address
   * and 20 per network in {@link #WINDOW}); counts the request.
   */
  public boolean resetAllowed(Handle h, String email, String network) {
    String forEmail = "reset:" + normalise(email);
    String forNetwork = "reset-net:" + network;
    if (attempts(h, forEmail) >= 3 || attempts(h, forNetwork) >= 20) {
      return false;
    }
    Instant now = clock.instant();
    store.addAttempt(h, forEmail, now);
    store.addAttempt(h, forNetwork, now);
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
