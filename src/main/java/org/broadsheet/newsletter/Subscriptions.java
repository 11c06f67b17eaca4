package org.broadsheet.newsletter;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.support.Signer;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Sign-up with double opt-in and one-click unsubscribe. A sign-up answers the same whether or not
 * the address is known; a pending subscriber gets a confirmation mail (at most {@link
 * #CONFIRMATIONS_PER_DAY} a day) whose signed link expires after {@link #CONFIRM_VALIDITY}; the
 * link shows a page whose button confirms, so mail scanners that follow links confirm nobody. Every
 * mail carries a signed unsubscribe link and RFC 8058 one-click headers. Mail goes through the
 * outbox; headers are built by the mail library. Thread-safe.
 */
public final class Subscriptions {

  public static final int CONFIRMATIONS_PER_DAY = 3;
  public static final int SIGNUPS_PER_NETWORK_PER_HOUR = 20;
  public static final Duration CONFIRM_VALIDITY = Duration.ofDays(2);

  /** What a token link leads to. */
  public enum TokenState {
    VALID,
    EXPIRED,
    INVALID
  }

  private final Jdbi jdbi;
  private final Outbox outbox;
  private final Signer signer;
  private final Clock clock;
  private final String baseUrl;
  private final java.util.function.Supplier<String> siteTitle;

  public Subscriptions(
      Jdbi jdbi,
      Outbox outbox,
      Signer signer,
      Clock clock,
      String baseUrl,
      java.util.function.Supplier<String> siteTitle) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.signer = signer;
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.siteTitle = siteTitle;
  }

  /** A clean address, or a clear error: no control characters, one address, ASCII local part. */
  static String address(String raw) {
    String email = raw == null ? "" : raw.strip();
    if (email.isEmpty()
        || email.length() > 254
        || email.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
        || email.contains(",")
        || email.contains("<")
        || email.contains(">")) {
      throw new ValidationException(
          Map.of("email", "Enter one email address, such as name@example.org."));
    }
    try {
      InternetAddress parsed = new InternetAddress(email, true);
      parsed.validate();
      String local = email.substring(0, email.lastIndexOf('@'));
      if (!local.chars().allMatch(c -> c > 0x20 && c < 0x7f) || !email.contains(".")) {
        throw new AddressException("local part");
      }
    } catch (AddressException e) {
      throw new ValidationException(
          Map.of("email", "Enter one email address, such as name@example.org."));
    }
    return email.toLowerCase(Locale.ROOT);
  }

  /**
   * A sign-up request. Returns nothing useful on purpose: the page says "check your inbox" whether
   * or not the address was known, confirmed or over its limit.
   */
  public void subscribe(
      String rawEmail, String rawName, String frequency, Long sectionId, String network) {
    String email = address(rawEmail);
    String name = rawName == null ? "" : rawName.strip().replaceAll("\\p{Cntrl}", "");
    if (name.length() > 100) {
      throw new ValidationException(Map.of("name", "Keep your name under 100 characters."));
    }
    String often = frequency == null || frequency.isBlank() ? "each" : frequency;
    if (!often.equals("each") && !often.equals("daily") && !often.equals("weekly")) {
      throw new ValidationException(
          Map.of("frequency", "Choose each new article, a daily or a weekly digest."));
    }
    long now = clock.millis();
    if (count("net:" + network, Duration.ofHours(1)) >= SIGNUPS_PER_NETWORK_PER_HOUR) {
      throw new RateLimited();
    }
    jdbi.useTransaction(
        h -> {
          record("net:" + network, h, now);
          Optional<Subscriber> existing = find(h, email);
          long id;
          if (existing.isPresent() && existing.get().confirmed()) {
            return; // already receiving it: nothing to send, same answer
          }
          if (existing.isPresent()) {
            id = existing.get().id();
            h.createUpdate(
                    "UPDATE subscribers SET status = 'pending', name = :n, frequency = :f, section_id = :s,"
                        + " consent_ip = :ip WHERE id = :id AND status IN ('pending', 'unsubscribed')")
                .bind("n", name)
                .bind("f", often)
                .bind("s", sectionId)
                .bind("ip", network)
                .bind("id", id)
                .execute();
            if (!existing.get().status().equals("pending")
                && !existing.get().status().equals("unsubscribed")) {
              return; // bounced or complained: never mail it again
            }
          } else {
            id =
                h.createUpdate(
                        "INSERT INTO subscribers (email, name, status, frequency, section_id, created_at, consent_ip)"
                            + " VALUES (:e, :n, 'pending', :f, :s, :now, :ip)")
                    .bind("e", email)
                    .bind("n", name)
                    .bind("f", often)
                    .bind("s", sectionId)
                    .bind("now", now)
                    .bind("ip", network)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
          }
          int sentToday = countIn(h, "mail:" + email, Duration.ofDays(1));
          if (sentToday >= CONFIRMATIONS_PER_DAY) {
            return;
          }
          record("mail:" + email, h, now);
          String link = baseUrl + "/newsletter/confirm?token=" + encode(confirmToken(id, now));
          outbox.enqueue(
              h,
              new MailMessage(
                  email,
                  "Confirm your subscription to " + siteTitle.get(),
                  "Someone, hopefully you, asked to receive "
                      + siteTitle.get()
                      + " by email.\n\n"
                      + "Confirm here (the link works for two days):\n"
                      + link
                      + "\n\n"
                      + "If it was not you, ignore this message: nothing will be sent.\n",
                  null,
                  null,
                  "newsletter-confirm:" + id + ":" + now + ":" + sentToday));
        });
  }

  /** Raised when one network signs up too often; the page asks to try later. */
  public static final class RateLimited extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RateLimited() {
      super("Too many sign-ups from your network; try again in an hour.", null, false, false);
    }
  }

  String confirmToken(long id, long issuedAt) {
    return signer.sign("confirm:" + id + ":" + (issuedAt + CONFIRM_VALIDITY.toMillis()));
  }

  public String unsubscribeToken(long id) {
    return signer.sign("unsub:" + id);
  }

  public String unsubscribeUrl(long id) {
    return baseUrl + "/newsletter/unsubscribe?token=" + encode(unsubscribeToken(id));
  }

  /** Whether a confirmation link can be used, and for whom. */
  public TokenState confirmState(String token) {
    return confirmTarget(token).isPresent()
        ? TokenState.VALID
        : expired(token) ? TokenState.EXPIRED : TokenState.INVALID;
  }

  private boolean expired(String token) {
    return token != null
        && signer
            .verify(token)
            .filter(v -> v.startsWith("confirm:"))
            .map(v -> Long.parseLong(v.substring(v.lastIndexOf(':') + 1)) <= clock.millis())
            .orElse(false);
  }

  private Optional<Long> confirmTarget(String token) {
    if (token == null || token.length() > 300) {
      return Optional.empty();
    }
    return signer
        .verify(token)
        .filter(v -> v.matches("confirm:[0-9]{1,18}:[0-9]{1,18}"))
        .filter(v -> Long.parseLong(v.substring(v.lastIndexOf(':') + 1)) > clock.millis())
        .map(v -> Long.parseLong(v.split(":")[1]));
  }

  /** Confirms (the button on the confirmation page); sends the welcome mail once. */
  public Optional<Subscriber> confirm(String token) {
    Optional<Long> id = confirmTarget(token);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    return jdbi.inTransaction(
        h -> {
          int changed =
              h.createUpdate(
                      "UPDATE subscribers SET status = 'confirmed', confirmed_at = :now WHERE id = :id AND status = 'pending'")
                  .bind("now", clock.millis())
                  .bind("id", id.get())
                  .execute();
          Optional<Subscriber> s = byId(h, id.get());
          if (changed == 1 && s.isPresent()) {
            outbox.enqueue(
                h,
                new MailMessage(
                    s.get().email(),
                    "Welcome to " + siteTitle.get(),
                    "You are subscribed to "
                        + siteTitle.get()
                        + ".\n\n"
                        + "To stop, use this link at any time:\n"
                        + unsubscribeUrl(s.get().id())
                        + "\n",
                    null,
                    unsubscribeUrl(s.get().id()),
                    "newsletter-welcome:" + s.get().id()));
          }
          return s;
        });
  }

  /** The subscriber an unsubscribe link is for, if it is genuine. */
  public Optional<Subscriber> unsubscribeTarget(String token) {
    if (token == null || token.length() > 300) {
      return Optional.empty();
    }
    return signer
        .verify(token)
        .filter(v -> v.matches("unsub:[0-9]{1,18}"))
        .flatMap(v -> jdbi.withHandle(h -> byId(h, Long.parseLong(v.substring(6)))));
  }

  /** One-click unsubscribe: harmless to repeat. */
  public Optional<Subscriber> unsubscribe(String token) {
    Optional<Subscriber> target = unsubscribeTarget(token);
    target.ifPresent(
        s ->
            jdbi.useTransaction(
                h ->
                    h.createUpdate(
                            "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = :now"
                                + " WHERE id = :id AND status IN ('pending', 'confirmed')")
                        .bind("now", clock.millis())
                        .bind("id", s.id())
                        .execute()));
    return target.flatMap(s -> jdbi.withHandle(h -> byId(h, s.id())));
  }

  public Optional<Subscriber> byEmail(String email) {
    return jdbi.withHandle(h -> find(h, email.strip().toLowerCase(Locale.ROOT)));
  }

  private static Optional<Subscriber> find(Handle h, String email) {
    return h.createQuery("SELECT * FROM subscribers WHERE email = :e")
        .bind("e", email)
        .map((rs, c) -> map(rs))
        .findOne();
  }

  private static Optional<Subscriber> byId(Handle h, long id) {
    return h.createQuery("SELECT * FROM subscribers WHERE id = :id")
        .bind("id", id)
        .map((rs, c) -> map(rs))
        .findOne();
  }

  static Subscriber map(java.sql.ResultSet rs) throws java.sql.SQLException {
    long section = rs.getLong("section_id");
    Long sectionId = rs.wasNull() ? null : section;
    long confirmed = rs.getLong("confirmed_at");
    Instant confirmedAt = rs.wasNull() ? null : Instant.ofEpochMilli(confirmed);
    return new Subscriber(
        rs.getLong("id"),
        rs.getString("email"),
        rs.getString("name"),
        rs.getString("status"),
        rs.getString("frequency"),
        sectionId,
        Instant.ofEpochMilli(rs.getLong("created_at")),
        confirmedAt);
  }

  private int count(String scope, Duration window) {
    return jdbi.inTransaction(h -> countIn(h, scope, window));
  }

  private int countIn(Handle h, String scope, Duration window) {
    return h.createQuery("SELECT COUNT(*) FROM subscribe_requests WHERE scope = :s AND at > :since")
        .bind("s", scope)
        .bind("since", clock.millis() - window.toMillis())
        .mapTo(Integer.class)
        .one();
  }

  private static void record(String scope, Handle h, long now) {
    h.createUpdate("INSERT INTO subscribe_requests (scope, at) VALUES (:s, :at)")
        .bind("s", scope)
        .bind("at", now)
        .execute();
  }

  private static String encode(String token) {
    return java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
  }

  static Map<String, String> none() {
    return new LinkedHashMap<>();
  }
}
