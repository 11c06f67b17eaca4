package org.broadsheet.newsletter;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** Settings that hold the welcome mail as the newsroom edited it. */
  public static final String WELCOME_SUBJECT = "newsletter.welcome.subject";

  public static final String WELCOME_BODY = "newsletter.welcome.body";
  public static final String DEFAULT_WELCOME_SUBJECT = "Welcome to {site}";
  public static final String DEFAULT_WELCOME_BODY =
      "Hello {name},\n\nThank you for subscribing to {site}. The first mail will come with the"
          + " next article that matches your choices.\n\nYou can change newsletters, how often"
          + " they come and which sections you follow at any time with the link below.";

  private final Jdbi jdbi;
  private final Outbox outbox;
  private final Signer signer;
  private final Clock clock;
  private final String baseUrl;
  private final java.util.function.Supplier<String> siteTitle;
  private final Newsletters newsletters;
  private final java.util.function.Supplier<List<org.broadsheet.site.Section>> sections;
  private final java.util.function.BiFunction<String, String, String> setting;

  /**
   * @param setting reads a site setting, with a fallback
   */
  public Subscriptions(
      Jdbi jdbi,
      Outbox outbox,
      Signer signer,
      Clock clock,
      String baseUrl,
      java.util.function.Supplier<String> siteTitle,
      Newsletters newsletters,
      java.util.function.Supplier<List<org.broadsheet.site.Section>> sections,
      java.util.function.BiFunction<String, String, String> setting) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.signer = signer;
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.siteTitle = siteTitle;
    this.newsletters = newsletters;
    this.sections = sections;
    this.setting = setting;
  }

  public Newsletters newsletters() {
    return newsletters;
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

  /** What a reader chose: newsletters, how often, and sections (none: every section). */
  public record Choices(List<Long> newsletters, String frequency, List<Long> sections) {
    public Choices {
      newsletters = List.copyOf(new java.util.LinkedHashSet<>(newsletters));
      sections = List.copyOf(new java.util.LinkedHashSet<>(sections));
    }
  }

  /**
   * Checks a reader's choices against the site's open newsletters and sections. With one newsletter
   * only, choosing none means that one (the short form on article pages).
   */
  Choices choices(String frequency, List<Long> newsletterIds, List<Long> sectionIds) {
    String often = frequency == null || frequency.isBlank() ? "each" : frequency;
    if (!often.equals("each") && !often.equals("daily") && !often.equals("weekly")) {
      throw new ValidationException(
          Map.of("frequency", "Choose each new article, a daily or a weekly digest."));
    }
    List<Newsletter> open = newsletters.open();
    List<Long> picked =
        newsletterIds.stream().filter(id -> open.stream().anyMatch(n -> n.id() == id)).toList();
    if (picked.size() != newsletterIds.size()) {
      throw new ValidationException(
          Map.of("newsletters", "One of the newsletters chosen is no longer offered."));
    }
    if (picked.isEmpty() && open.size() == 1) {
      picked = List.of(open.getFirst().id());
    }
    if (picked.isEmpty()) {
      throw new ValidationException(Map.of("newsletters", "Choose at least one newsletter."));
    }
    java.util.Set<Long> known =
        sections.get().stream()
            .map(org.broadsheet.site.Section::id)
            .collect(java.util.stream.Collectors.toSet());
    if (!known.containsAll(sectionIds)) {
      throw new ValidationException(
          Map.of("sections", "One of the sections chosen does not exist."));
    }
    return new Choices(picked, often, sectionIds);
  }

  /**
   * A sign-up request. Returns nothing useful on purpose: the page says "check your inbox" whether
   * or not the address was known, confirmed or over its limit.
   */
  public void subscribe(String rawEmail, String rawName, Choices rawChoices, String network) {
    String email = address(rawEmail);
    String name = cleanName(rawName);
    Choices choices =
        choices(rawChoices.frequency(), rawChoices.newsletters(), rawChoices.sections());
    long now = clock.millis();
    if (count("net:" + network, Duration.ofHours(1)) >= SIGNUPS_PER_NETWORK_PER_HOUR) {
      throw new RateLimited();
    }
    String title = siteTitle.get();
    jdbi.useTransaction(
        h -> {
          record("net:" + network, h, now);
          Optional<Subscriber> existing = find(h, email);
          long id;
          if (existing.isPresent()
              && !existing.get().status().equals("pending")
              && !existing.get().status().equals("unsubscribed")) {
            // confirmed: already receiving it (preferences are changed from a mail's link);
            // bounced or complained: never mailed again. Same answer either way.
            return;
          }
          if (suppressed(h, email)) {
            return;
          }
          if (existing.isPresent()) {
            id = existing.get().id();
            h.createUpdate(
                    "UPDATE subscribers SET status = 'pending', name = :n, frequency = :f,"
                        + " consent_ip = :ip WHERE id = :id")
                .bind("n", name)
                .bind("f", choices.frequency())
                .bind("ip", network)
                .bind("id", id)
                .execute();
          } else {
            id =
                h.createUpdate(
                        "INSERT INTO subscribers (email, name, status, frequency, created_at, consent_ip)"
                            + " VALUES (:e, :n, 'pending', :f, :now, :ip)")
                    .bind("e", email)
                    .bind("n", name)
                    .bind("f", choices.frequency())
                    .bind("now", now)
                    .bind("ip", network)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
          }
          storeChoices(h, id, choices);
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
                  "Confirm your subscription to " + title,
                  "Someone, hopefully you, asked to receive "
                      + title
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

  static String cleanName(String rawName) {
    String name = rawName == null ? "" : rawName.strip().replaceAll("[\\p{Cntrl}\\p{Cf}]", "");
    if (name.length() > 100) {
      throw new ValidationException(Map.of("name", "Keep your name under 100 characters."));
    }
    return name;
  }

  static void storeChoices(Handle h, long id, Choices choices) {
    h.createUpdate("UPDATE subscribers SET frequency = :f WHERE id = :id")
        .bind("f", choices.frequency())
        .bind("id", id)
        .execute();
    // Choices of archived newsletters stay, so bringing one back restores its readers.
    h.createUpdate(
            "DELETE FROM subscriber_newsletters WHERE subscriber_id = :id"
                + " AND newsletter_id IN (SELECT id FROM newsletters WHERE archived = :no)")
        .bind("id", id)
        .bind("no", false)
        .execute();
    h.createUpdate("DELETE FROM subscriber_sections WHERE subscriber_id = :id")
        .bind("id", id)
        .execute();
    for (long n : choices.newsletters()) {
      h.createUpdate(
              "INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id) VALUES (:id, :n)")
          .bind("id", id)
          .bind("n", n)
          .execute();
    }
    for (long s : choices.sections()) {
      h.createUpdate("INSERT INTO subscriber_sections (subscriber_id, section_id) VALUES (:id, :s)")
          .bind("id", id)
          .bind("s", s)
          .execute();
    }
  }

  /** What a subscriber chose. */
  public Choices choicesOf(long id) {
    return jdbi.withHandle(
        h ->
            new Choices(
                h.createQuery(
                        "SELECT newsletter_id FROM subscriber_newsletters WHERE subscriber_id = :id ORDER BY newsletter_id")
                    .bind("id", id)
                    .mapTo(Long.class)
                    .list(),
                h.createQuery("SELECT frequency FROM subscribers WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .findOne()
                    .orElse("each"),
                h.createQuery(
                        "SELECT section_id FROM subscriber_sections WHERE subscriber_id = :id ORDER BY section_id")
                    .bind("id", id)
                    .mapTo(Long.class)
                    .list()));
  }

  /** Newsletter mail still queued for the address will not go (account mail still does). */
  static void cancelQueued(Handle h, String email, String why) {
    h.createUpdate(
            "UPDATE mail_outbox SET status = 'failed', last_error = :why WHERE LOWER(recipient) = :e"
                + " AND status = 'queued' AND campaign_key IS NOT NULL AND campaign_key NOT LIKE 'test:%'")
        .bind("why", why)
        .bind("e", email.toLowerCase(Locale.ROOT))
        .execute();
  }

  /** Whether the address bounced or complained: then it is never mailed again. */
  static boolean suppressed(Handle h, String email) {
    return h.createQuery(
                "SELECT COUNT(*) FROM mail_suppressions WHERE email = :e AND reason IN ('bounced', 'complained')")
            .bind("e", email)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /** The subscriber a preferences link is for, if it is genuine and still subscribed. */
  public Optional<Subscriber> preferencesTarget(String token) {
    if (token == null || token.length() > 300) {
      return Optional.empty();
    }
    return signer
        .verify(token)
        .filter(v -> v.matches("prefs:[0-9]{1,18}"))
        .flatMap(v -> jdbi.withHandle(h -> byId(h, Long.parseLong(v.substring(6)))));
  }

  public String preferencesUrl(long id) {
    return baseUrl + "/newsletter/preferences?token=" + encode(signer.sign("prefs:" + id));
  }

  /**
   * Saves new choices from the preferences page. Only a confirmed subscriber can change them; an
   * unsubscribed one signs up again (with a new confirmation).
   */
  public Subscriber savePreferences(String token, Choices raw) {
    Subscriber s =
        preferencesTarget(token)
            .orElseThrow(() -> new ValidationException(Map.of("token", "This link is not valid.")));
    if (!s.confirmed()) {
      throw new ValidationException(
          Map.of("token", "You are not subscribed any more: sign up again to choose newsletters."));
    }
    Choices choices = choices(raw.frequency(), raw.newsletters(), raw.sections());
    jdbi.useTransaction(h -> storeChoices(h, s.id(), choices));
    return s;
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
    String subject = setting.apply(WELCOME_SUBJECT, DEFAULT_WELCOME_SUBJECT);
    String body = setting.apply(WELCOME_BODY, DEFAULT_WELCOME_BODY);
    String title = siteTitle.get();
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
            outbox.enqueue(h, welcome(s.get(), subject, body, title));
          }
          return s;
        });
  }

  /** The welcome mail from the newsroom's template; {site} and {name} are filled in. */
  MailMessage welcome(Subscriber s, String subject, String body, String title) {
    String name = s.name().isEmpty() ? "reader" : s.name();
    String text = body.replace("{site}", title).replace("{name}", name);
    String unsubscribe = unsubscribeUrl(s.id());
    String preferences = preferencesUrl(s.id());
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>");
    for (String paragraph : text.split("\\R\\s*\\R")) {
      html.append("<p>").append(esc(paragraph.strip()).replaceAll("\\R", "<br>")).append("</p>");
    }
    html.append("<p style=\"font-size:small\"><a href=\"")
        .append(esc(preferences))
        .append("\">Change what you receive</a> · <a href=\"")
        .append(esc(unsubscribe))
        .append("\">Unsubscribe</a></p></body></html>");
    return new MailMessage(
        s.email(),
        subject.replace("{site}", title).replace("{name}", name),
        text.strip()
            + "\n\nChange what you receive: "
            + preferences
            + "\nUnsubscribe with one click: "
            + unsubscribe
            + "\n",
        html.toString(),
        unsubscribe,
        "newsletter-welcome:" + s.id());
  }

  static String esc(String s) {
    return org.jsoup.nodes.Entities.escape(s == null ? "" : s);
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
                h -> {
                  h.createUpdate(
                          "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = :now"
                              + " WHERE id = :id AND status IN ('pending', 'confirmed')")
                      .bind("now", clock.millis())
                      .bind("id", s.id())
                      .execute();
                  cancelQueued(h, s.email(), "unsubscribed before it was sent");
                }));
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
    long confirmed = rs.getLong("confirmed_at");
    Instant confirmedAt = rs.wasNull() ? null : Instant.ofEpochMilli(confirmed);
    return new Subscriber(
        rs.getLong("id"),
        rs.getString("email"),
        rs.getString("name"),
        rs.getString("status"),
        rs.getString("frequency"),
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
