package org.broadsheet.newsletter;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.storage.ChangeFeed;
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
  private final SiteSettings settings;
  private final ChangeFeed changes;
  private final Audit audit;
  private final SubscriberStore store = new SubscriberStore();
  private final BounceStore bounces = new BounceStore();

  public Subscriptions(
      Jdbi jdbi,
      Outbox outbox,
      Signer signer,
      Clock clock,
      String baseUrl,
      java.util.function.Supplier<String> siteTitle,
      Newsletters newsletters,
      java.util.function.Supplier<List<org.broadsheet.site.Section>> sections,
      SiteSettings settings,
      ChangeFeed changes,
      Audit audit) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.signer = signer;
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.siteTitle = siteTitle;
    this.newsletters = newsletters;
    this.sections = sections;
    this.settings = settings;
    this.changes = changes;
    this.audit = audit;
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
    String title = siteTitle.get();
    jdbi.useTransaction(
        h -> {
          // Counted under the lock of the network's row: parallel sign-ups cannot overshoot.
          store.lockScope(h, "net:" + network);
          if (countIn(h, "net:" + network, Duration.ofHours(1)) >= SIGNUPS_PER_NETWORK_PER_HOUR) {
            throw new RateLimited();
          }
          store.addRequest(h, "net:" + network, now);
          Optional<Subscriber> existing = store.byEmail(h, email);
          long id;
          if (existing.isPresent()
              && !existing.get().status().equals("pending")
              && !existing.get().status().equals("unsubscribed")) {
            // confirmed: already receiving it (preferences are changed from a mail's link);
            // bounced or complained: never mailed again. Same answer either way.
            return;
          }
          if (bounces.bouncedOrComplained(h, email)) {
            return;
          }
          if (existing.isPresent()) {
            id = existing.get().id();
            store.markPending(h, id, name, choices.frequency(), network);
          } else {
            id = store.insertPending(h, email, name, choices.frequency(), now, network);
          }
          store.replaceChoices(h, id, choices);
          store.lockScope(h, "mail:" + email);
          int sentToday = countIn(h, "mail:" + email, Duration.ofDays(1));
          if (sentToday >= CONFIRMATIONS_PER_DAY) {
            return;
          }
          store.addRequest(h, "mail:" + email, now);
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

  /** What a subscriber chose. */
  public Choices choicesOf(long id) {
    return jdbi.withHandle(
        h ->
            new Choices(
                store.newsletterIds(h, id),
                store.frequency(h, id).orElse("each"),
                store.sectionIds(h, id)));
  }

  /** Newsletter mail still queued for the address will not go (account mail still does). */
  static void cancelQueued(BounceStore bounces, Handle h, String email, String why) {
    bounces.cancelQueuedMailings(h, email.toLowerCase(Locale.ROOT), why);
  }

  /** The subscriber a preferences link is for, if it is genuine and still subscribed. */
  public Optional<Subscriber> preferencesTarget(String token) {
    if (token == null || token.length() > 300) {
      return Optional.empty();
    }
    return signer
        .verify(token)
        .filter(v -> v.matches("prefs:[0-9]{1,18}"))
        .flatMap(v -> jdbi.withHandle(h -> store.byId(h, Long.parseLong(v.substring(6)))));
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
    jdbi.useTransaction(h -> store.replaceChoices(h, s.id(), choices));
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
    String subject = settings.get(WELCOME_SUBJECT, DEFAULT_WELCOME_SUBJECT);
    String body = settings.get(WELCOME_BODY, DEFAULT_WELCOME_BODY);
    String title = siteTitle.get();
    return jdbi.inTransaction(
            h -> {
              int changed = store.confirm(h, id.get(), clock.millis());
              Optional<Subscriber> s = store.byId(h, id.get());
              if (changed == 1 && s.isPresent()) {
                outbox.enqueue(h, welcome(s.get(), subject, body, title));
                changes.record(
                    h,
                    org.broadsheet.storage.Change.Entity.SUBSCRIBER,
                    s.get().id(),
                    org.broadsheet.storage.Change.Kind.CONFIRMED);
              }
              return s;
            })
        .map(
            s -> {
              changes.pump();
              return s;
            });
  }

  /**
   * The welcome mail as the newsroom wrote it: the subject on one line, the message with plain line
   * breaks, both without surrounding space.
   */
  public record WelcomeMail(String subject, String body) {
    public WelcomeMail {
      subject = subject == null ? "" : subject.strip().replaceAll("\\p{Cntrl}", " ");
      body = body == null ? "" : body.replace("\r\n", "\n").strip();
    }
  }

  /**
   * Saves the welcome mail new subscribers get, with its audit entry, in one transaction; the next
   * confirmation uses it.
   */
  public void saveWelcome(WelcomeMail welcome, Actor actor) {
    Map<String, String> errors = new LinkedHashMap<>();
    if (welcome.subject().isEmpty() || welcome.subject().length() > 200) {
      errors.put("subject", "Write a subject of up to 200 characters.");
    }
    if (welcome.body().isEmpty() || welcome.body().length() > 10_000) {
      errors.put("body", "Write the message, up to 10,000 characters.");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    jdbi.useTransaction(
        h -> {
          settings.put(h, WELCOME_SUBJECT, welcome.subject());
          settings.put(h, WELCOME_BODY, welcome.body());
          audit.record(h, actor, "newsletter.welcome", "welcome mail", welcome.subject());
        });
    changes.pump();
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
        .flatMap(v -> jdbi.withHandle(h -> store.byId(h, Long.parseLong(v.substring(6)))));
  }

  /** One-click unsubscribe: harmless to repeat. */
  public Optional<Subscriber> unsubscribe(String token) {
    Optional<Subscriber> target = unsubscribeTarget(token);
    target.ifPresent(
        s ->
            jdbi.useTransaction(
                h -> {
                  if (!"unsubscribed".equals(s.status())) {
                    changes.record(
                        h,
                        org.broadsheet.storage.Change.Entity.SUBSCRIBER,
                        s.id(),
                        org.broadsheet.storage.Change.Kind.UNSUBSCRIBED);
                  }
                  store.unsubscribe(h, s.id(), clock.millis());
                  cancelQueued(bounces, h, s.email(), "unsubscribed before it was sent");
                }));
    changes.pump();
    return target.flatMap(s -> jdbi.withHandle(h -> store.byId(h, s.id())));
  }

  /**
   * Unsubscribes a subscriber for the newsroom or an integration, with its audit entry; mail not
   * yet sent to them is cancelled. Harmless to repeat.
   */
  public Optional<Subscriber> unsubscribe(long id, org.broadsheet.account.Actor actor) {
    Optional<Subscriber> target = jdbi.withHandle(h -> store.byId(h, id));
    target.ifPresent(
        s ->
            jdbi.useTransaction(
                h -> {
                  if (!"unsubscribed".equals(s.status())) {
                    changes.record(
                        h,
                        org.broadsheet.storage.Change.Entity.SUBSCRIBER,
                        s.id(),
                        org.broadsheet.storage.Change.Kind.UNSUBSCRIBED);
                    audit.record(h, actor, "subscriber.unsubscribe", s.email(), "");
                  }
                  store.unsubscribe(h, s.id(), clock.millis());
                  cancelQueued(bounces, h, s.email(), "unsubscribed before it was sent");
                }));
    changes.pump();
    return target.flatMap(s -> jdbi.withHandle(h -> store.byId(h, s.id())));
  }

  public Optional<Subscriber> byEmail(String email) {
    return jdbi.withHandle(h -> store.byEmail(h, email.strip().toLowerCase(Locale.ROOT)));
  }

  /** Forgets sign-up counts older than the longest limit's window (a day). */
  public int purgeRequests() {
    return jdbi.inTransaction(
        h -> store.purgeRequests(h, clock.millis() - Duration.ofDays(1).toMillis()));
  }

  private int countIn(Handle h, String scope, Duration window) {
    return store.requests(h, scope, clock.millis() - window.toMillis());
  }

  private static String encode(String token) {
    return java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
  }

  static Map<String, String> none() {
    return new LinkedHashMap<>();
  }
}
