package org.broadsheet.newsroom;

import static org.broadsheet.config.Settings.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.config.Config;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The newsroom shell's writes, each one transaction with its audit entry and any mail it sends
 * (queued in the outbox in the same transaction): setting up a fresh site, inviting a member,
 * asking for a password reset, the site's settings and a test mail. Thread-safe.
 */
public final class NewsroomService {

  /** Gives a new member a byline inside the caller's transaction (the article feature's). */
  @FunctionalInterface
  public interface Bylines {
    long bylineFor(Handle h, String name);
  }

  private static final class LinkedElsewhere extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LinkedElsewhere() {
      super(null, null, false, false);
    }
  }

  /** The site already has an admin. */
  public static final class AlreadySetUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlreadySetUp() {
      super("This site already has an admin. Sign in instead.");
    }
  }

  private final Config config;
  private final Jdbi jdbi;
  private final ChangeFeed changes;
  private final Accounts accounts;
  private final Audit audit;
  private final SiteSettings settings;
  private final SiteChrome chrome;
  private final Outbox outbox;
  private final Bylines bylines;
  private final org.broadsheet.support.TaskQueue afterAnswer;

  public NewsroomService(
      Config config,
      Jdbi jdbi,
      ChangeFeed changes,
      Accounts accounts,
      Audit audit,
      SiteSettings settings,
      SiteChrome chrome,
      Outbox outbox,
      Bylines bylines,
      org.broadsheet.support.TaskQueue afterAnswer) {
    this.afterAnswer = afterAnswer;
    this.config = config;
    this.jdbi = jdbi;
    this.changes = changes;
    this.accounts = accounts;
    this.audit = audit;
    this.settings = settings;
    this.chrome = chrome;
    this.outbox = outbox;
    this.bylines = bylines;
  }

  private <T> T write(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    T result = jdbi.inTransaction(work);
    changes.pump();
    return result;
  }

  /** The setting that holds a fresh site's one-time setup code until the site is set up. */
  static final String SETUP_CODE = "setup.code";

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(NewsroomService.class);

  /**
   * Whether setting up this site asks for the one-time code from the server's log: when others can
   * reach it, so that whoever reaches a fresh site first cannot claim it.
   */
  public boolean setupNeedsCode() {
    return config.reachableFromOtherMachines();
  }

  /**
   * At start, on a site nobody has set up yet that others can reach: makes the one-time setup code
   * (or keeps the one another node made) and prints it in the log, the only place it appears.
   */
  public void announceSetup() {
    if (!setupNeedsCode() || accounts.count() > 0) {
      return;
    }
    String code =
        write(
            h -> {
              // Nodes starting together: the first makes the code, the others wait and print it.
              org.broadsheet.storage.Locks.exclusive(h, "setup-code");
              Optional<String> existing = settings.get(h, SETUP_CODE).filter(c -> !c.isBlank());
              if (existing.isPresent()) {
                return existing.get();
              }
              String made = newSetupCode();
              settings.put(h, SETUP_CODE, made);
              return made;
            });
    LOG.warn(
        "This site is not set up yet. Open {}/admin/setup and enter the setup code {} (shown"
            + " only here) to create the first admin.",
        config.get(BASE_URL),
        code);
  }

  private static String newSetupCode() {
    String alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    java.security.SecureRandom random = new java.security.SecureRandom();
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      if (i > 0 && i % 4 == 0) {
        code.append('-');
      }
      code.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return code.toString();
  }

  private static boolean sameCode(String given, String stored) {
    String a = given == null ? "" : given.strip().toUpperCase(java.util.Locale.ROOT);
    return !stored.isEmpty()
        && java.security.MessageDigest.isEqual(
            a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Sets up a fresh site: its title and its first admin, with a byline; all of it or nothing.
   * Throws {@link AlreadySetUp} when the site has an admin already.
   *
   * @param code the one-time setup code, when {@link #setupNeedsCode()}
   */
  public synchronized User setUp(
      String title, String name, String email, String password, String address, String code) {
    String cleanTitle = title == null ? "" : title.strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (cleanTitle.isEmpty()
        || cleanTitle.length() > 120
        || cleanTitle.chars().anyMatch(Character::isISOControl)) {
      errors.put("title", "Give the site a title of up to 120 characters.");
    }
    return write(
        h -> {
          // One setup at a time on every node: the second waits, then finds the first's admin.
          org.broadsheet.storage.Locks.exclusive(h, "site-setup");
          if (accounts.count(h) > 0) {
            throw new AlreadySetUp();
          }
          if (setupNeedsCode() && !sameCode(code, settings.get(h, SETUP_CODE).orElse(""))) {
            errors.put(
                "code",
                "Enter the setup code from the server's log (a line that says \"This site is not"
                    + " set up yet\").");
          }
          User admin;
          try {
            admin = accounts.create(h, email, name, password, Role.ADMIN, null);
          } catch (ValidationException e) {
            errors.putAll(e.fieldErrors());
            throw new ValidationException(errors);
          }
          if (!errors.isEmpty()) {
            throw new ValidationException(errors);
          }
          accounts.linkAuthor(h, admin.id(), bylines.bylineFor(h, admin.name()));
          settings.put(h, SiteSettings.TITLE, cleanTitle);
          settings.put(h, SETUP_CODE, ""); // used once
          audit.record(h, Actor.of(admin, address), "site.setup", "site", "title=" + cleanTitle);
          return accounts.byId(h, admin.id()).orElseThrow();
        });
  }

  /** The queue of work done after the answer (password-reset mail). */
  public org.broadsheet.support.TaskQueue afterAnswer() {
    return afterAnswer;
  }

  /**
   * Adds a member with a password (the command line), with their byline and audit entry, in one
   * transaction.
   */
  public User addMember(String email, String name, String password, Role role, Actor actor) {
    return write(
        h -> {
          User user = accounts.create(h, email, name, password, role, null);
          accounts.linkAuthor(h, user.id(), bylines.bylineFor(h, user.name()));
          audit.record(h, actor, "user.create", user.email(), "role=" + user.role().id());
          return accounts.byId(h, user.id()).orElseThrow();
        });
  }

  /**
   * Gives each member who has no byline one (members added from the command line before bylines
   * came with every account); each is one transaction with its audit entry. Returns how many.
   */
  public int giveBylines() {
    int given = 0;
    for (User member : accounts.all()) {
      if (member.authorId() != null) {
        continue;
      }
      try {
        write(
            h -> {
              long byline = bylines.bylineFor(h, member.name());
              if (!accounts.linkAuthorIfNone(h, member.id(), byline)) {
                throw new LinkedElsewhere(); // another node did it first: roll this one back
              }
              audit.record(
                  h, Actor.system("start-up"), "user.byline", member.email(), "author:" + byline);
              return byline;
            });
        given++;
      } catch (LinkedElsewhere e) {
        // nothing to do
      }
    }
    return given;
  }

  /** Invites a member: their account, a byline, and the mail with their link to set a password. */
  public User invite(String email, String name, Role role, Actor actor) {
    return write(
        h -> {
          User invited = accounts.create(h, email, name, null, role, null);
          accounts.linkAuthor(h, invited.id(), bylines.bylineFor(h, invited.name()));
          mailInvitation(h, invited, actor);
          audit.record(h, actor, "user.invite", invited.email(), "role=" + invited.role().id());
          return invited;
        });
  }

  private void mailInvitation(Handle h, User invited, Actor actor) {
    sendLink(
        h,
        invited.email(),
        "invite",
        accounts.startInvite(h, invited.id()),
        "You are invited to the newsroom",
        (actor.user() == null ? "The newsroom" : actor.user().name())
            + " invited you to the newsroom of "
            + chrome.site().title()
            + " as "
            + invited.role().label()
            + ". The link works for 7 days.");
  }

  /**
   * Sends an invitation again with a new 7-day link (the old one ends); only for someone who has
   * not accepted yet.
   */
  public void resendInvitation(long userId, Actor actor) {
    write(
        h -> {
          User invited = pendingInvitee(userId);
          mailInvitation(h, invited, actor);
          audit.record(h, actor, "user.invite-resend", invited.email(), "");
          return null;
        });
  }

  /**
   * Withdraws an invitation not yet accepted: its links end and the account is deactivated (the
   * byline stays, with anything already written under it).
   */
  public void revokeInvitation(long userId, Actor actor) {
    write(
        h -> {
          User invited = pendingInvitee(userId);
          accounts.deactivate(h, invited.id());
          audit.record(h, actor, "user.invite-revoke", invited.email(), "");
          return null;
        });
  }

  private User pendingInvitee(long userId) {
    if (!accounts.invitations().containsKey(userId)) {
      throw new ValidationException(
          Map.of("invitation", "This member has accepted their invitation already."));
    }
    return accounts.byId(userId).orElseThrow();
  }

  /**
   * Mails a reset link when the address belongs to an active member and the limits allow it; the
   * caller answers the same whatever happened.
   */
  public void requestReset(String email, String network, String address) {
    if (email == null || email.length() > 320) {
      return;
    }
    String normal = Accounts.normalise(email);
    // Counted the same for any address; whether it belongs to a member is looked up after the
    // answer, so neither the answer nor its timing tells.
    boolean allowed = write(h -> accounts.resetAllowed(h, normal, network));
    if (!allowed) {
      return;
    }
    afterAnswer.submit(
        () ->
            write(
                h -> {
                  Optional<String> token = accounts.startReset(h, normal);
                  token.ifPresent(
                      t -> {
                        sendLink(
                            h,
                            normal,
                            "reset",
                            t,
                            "Reset your password",
                            "Someone (hopefully you) asked to reset the password for the newsroom of "
                                + chrome.site().title()
                                + ".");
                        audit.record(
                            h, Actor.system(address), "user.password-reset-requested", normal, "");
                      });
                  return null;
                }));
  }

  /** Queues the mail with a single-use link to set a password, in the caller's transaction. */
  private void sendLink(
      Handle h, String email, String purpose, String token, String subject, String intro) {
    // Built from the configured base URL, never from the request's Host header.
    String link = config.get(BASE_URL) + "/admin/password/reset?token=" + token;
    outbox.enqueue(
        h,
        new MailMessage(
            email,
            subject + " · " + chrome.site().title(),
            intro
                + "\n\nChoose your password here (the link works once, for an hour):\n"
                + link
                + "\n\nIf you did not expect this, ignore this message: nothing changes.\n",
            null,
            null,
            purpose + ":" + Accounts.sha256Hex(token)));
  }

  /** The site's title, tagline and logo, checked together and saved together. */
  public void saveSettings(String title, String tagline, String logo, Actor actor) {
    String t = title == null ? "" : title.strip();
    String g = tagline == null ? "" : tagline.strip();
    String l = logo == null ? "" : logo.strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (t.isEmpty() || t.length() > 120 || t.chars().anyMatch(Character::isISOControl)) {
      errors.put("title", "Give the site a title of up to 120 characters.");
    }
    if (g.length() > 200 || g.chars().anyMatch(Character::isISOControl)) {
      errors.put("tagline", "Keep the tagline to one line of up to 200 characters.");
    }
    if (!l.isEmpty() && !l.matches("/media/[0-9a-f]+(-[0-9]+w)?\\.(jpg|png)")) {
      errors.put("logo", "Use an image address from the media library, such as /media/…png.");
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    write(
        h -> {
          settings.put(h, SiteSettings.TITLE, t);
          settings.put(h, SiteSettings.TAGLINE, g);
          settings.put(h, SiteSettings.LOGO, l);
          audit.record(h, actor, "settings.update", "site", "title=" + t);
          return null;
        });
  }

  /** Sends a test mail to the member through the outbox, as real mail goes. */
  public void sendTestMail(Actor actor, long now) {
    String to = actor.email();
    write(
        h -> {
          outbox.enqueue(
              h,
              new MailMessage(
                  to,
                  "Test mail from " + settings.get(SiteSettings.TITLE, "Broadsheet"),
                  "This is a test mail sent from the newsroom's settings page.\n\nIf you can read"
                      + " it, mail from the site reaches you.\n",
                  null,
                  null,
                  "test-mail:" + to + ":" + now));
          audit.record(h, actor, "settings.test-mail", to, "");
          return null;
        });
  }
}
