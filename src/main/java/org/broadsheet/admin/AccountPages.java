package org.broadsheet.admin;

import static org.broadsheet.config.Settings.*;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.account.User;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.comment.CommentService;
import org.broadsheet.comment.CommentStatus;
import org.broadsheet.config.Config;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Pager;
import org.broadsheet.web.SiteChrome;
import org.broadsheet.web.Templates;
import org.jdbi.v3.core.Jdbi;

/**
 * The newsroom's doors and people: first-run setup, sign-in (throttled, with the human check after
 * repeated failures), sign-out here or everywhere, password reset by emailed link, the dashboard,
 * inviting members and changing their roles, and the audit log. Thread-safe.
 */
public final class AccountPages {

  /** Notices shown after an action, by code, so no text from the URL reaches the page. */
  static final Map<String, String> NOTICES =
      Map.ofEntries(
          Map.entry("signed-out", "You are signed out."),
          Map.entry("signed-out-everywhere", "You are signed out on every device."),
          Map.entry("password-set", "Your password is set. Sign in with it now."),
          Map.entry("invited", "Invitation sent."),
          Map.entry("role", "Role changed."),
          Map.entry("deactivated", "Deactivated: their sessions have ended."),
          Map.entry("activated", "Reactivated."),
          Map.entry("saved", "Saved."),
          Map.entry("scheduled", "Scheduled."),
          Map.entry("published", "Published."),
          Map.entry("unpublished", "Unpublished."),
          Map.entry("submitted", "Sent for review."),
          Map.entry("restored", "Revision restored as the current version."),
          Map.entry("corrected", "Correction added."),
          Map.entry("moderated", "Done."),
          Map.entry("test-mail", "Test mail queued: it is on its way to your address."),
          Map.entry("welcome", "Your site is ready. Welcome to the newsroom."),
          Map.entry("deleted", "Deleted."),
          Map.entry("erased", "Erased: nothing about the address is kept."),
          Map.entry("test-sent", "Test mail queued: it goes out within seconds."),
          Map.entry("suppression-lifted", "The address may be mailed again."));

  public record SignInPage(AdminView view, String next, boolean humanCheck) {}

  public record MessagePage(AdminView view, String message, String linkHref, String linkText) {}

  public record ResetPage(AdminView view, String token) {}

  public record DashboardPage(
      AdminView view,
      Map<String, Integer> counts,
      List<org.broadsheet.article.ArticleRow> recent) {}

  public record UsersPage(AdminView view, List<User> users) {}

  public record AuditPage(AdminView view, List<Audit.Entry> entries, Pager pager) {}

  private final Config config;
  private final Accounts accounts;
  private final Sessions sessions;
  private final Audit audit;
  private final AdminAccess access;
  private final SiteChrome chrome;
  private final Templates templates;
  private final HumanCheck humanCheck;
  private final Outbox outbox;
  private final Jdbi jdbi;
  private final org.broadsheet.admin.SiteSettings settings;
  private final CommentService comments;
  private final ArticleAdmin articles;
  private final Function<Context, String> clientIp;

  public AccountPages(
      Config config,
      Accounts accounts,
      Sessions sessions,
      Audit audit,
      AdminAccess access,
      SiteChrome chrome,
      Templates templates,
      HumanCheck humanCheck,
      Outbox outbox,
      Jdbi jdbi,
      SiteSettings settings,
      CommentService comments,
      ArticleAdmin articles,
      Function<Context, String> clientIp) {
    this.config = config;
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
    this.access = access;
    this.chrome = chrome;
    this.templates = templates;
    this.humanCheck = humanCheck;
    this.outbox = outbox;
    this.jdbi = jdbi;
    this.settings = settings;
    this.comments = comments;
    this.articles = articles;
    this.clientIp = clientIp;
  }

  /** The page frame for a request: the signed-in member (if any), the notice, no form state. */
  AdminView view(Context ctx, String title, String current) {
    Optional<Sessions.Current> session = access.current(ctx);
    String done = ctx.queryParam("done");
    String notice = done == null ? "" : NOTICES.getOrDefault(done, "");
    int held =
        session.isPresent() && session.get().user().can(Role.Permission.MODERATE)
            ? comments.countHeld()
            : 0;
    return new AdminView(
        chrome.site(),
        session.map(Sessions.Current::user).orElse(null),
        session.map(Sessions.Current::csrf).orElse(""),
        title,
        current,
        notice,
        Map.of(),
        Map.of(),
        held);
  }

  void render(Context ctx, String template, Object page, int status) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(templates.render(template, page));
  }

  private void audit(Context ctx, User user, String action, String target, String detail) {
    audit.record(user, action, target, detail, clientIp.apply(ctx));
  }

  // ---- setup ------------------------------------------------------------------------------

  private Map<String, String> setupDefaults() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("title", chrome.site().title());
    values.put("timeZone", config.get(TIME_ZONE).getId());
    values.put("language", config.get(LANGUAGE).toLanguageTag());
    return values;
  }

  public void setupForm(Context ctx) {
    if (accounts.count() > 0) {
      ctx.redirect("/admin/sign-in");
      return;
    }
    render(
        ctx,
        "admin/setup.jte",
        view(ctx, "Set up your site", "").withForm(setupDefaults(), Map.of()),
        200);
  }

  public void setup(Context ctx) {
    if (accounts.count() > 0) {
      throw new HttpError(
          409, "Already set up", "This site already has an admin. Sign in instead.");
    }
    Map<String, String> values = setupDefaults();
    for (String f : List.of("title", "name", "email")) {
      values.put(f, Optional.ofNullable(ctx.formParam(f)).orElse("").strip());
    }
    String title = values.get("title");
    if (title.isEmpty() || title.length() > 120) {
      render(
          ctx,
          "admin/setup.jte",
          view(ctx, "Set up your site", "")
              .withForm(values, Map.of("title", "Give the site a title of up to 120 characters.")),
          422);
      return;
    }
    User admin;
    synchronized (this) {
      if (accounts.count() > 0) {
        throw new HttpError(
            409, "Already set up", "This site already has an admin. Sign in instead.");
      }
      try {
        admin =
            accounts.create(
                values.get("email"),
                values.get("name"),
                ctx.formParam("password"),
                Role.ADMIN,
                null);
      } catch (ValidationException e) {
        render(
            ctx,
            "admin/setup.jte",
            view(ctx, "Set up your site", "").withForm(values, e.fieldErrors()),
            422);
        return;
      }
    }
    accounts.linkAuthor(admin.id(), articles.bylineFor(admin.name()));
    admin = accounts.byId(admin.id()).orElseThrow();
    settings.put(SiteSettings.TITLE, title);
    audit(ctx, admin, "site.setup", "site", "title=" + title);
    startSession(ctx, admin);
    ctx.redirect("/admin?done=welcome", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  // ---- sign-in ----------------------------------------------------------------------------

  private String network(Context ctx) {
    return org.broadsheet.support.IpAddresses.block(clientIp.apply(ctx));
  }

  public void signInForm(Context ctx) {
    if (accounts.count() == 0) {
      ctx.redirect("/admin/setup");
      return;
    }
    if (access.current(ctx).isPresent()) {
      ctx.redirect(AdminAccess.safeNext(ctx.queryParam("next")));
      return;
    }
    render(
        ctx,
        "admin/sign-in.jte",
        new SignInPage(
            view(ctx, "Sign in", ""), AdminAccess.safeNext(ctx.queryParam("next")), false),
        200);
  }

  public void signIn(Context ctx) {
    String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
    String next = AdminAccess.safeNext(ctx.formParam("next"));
    String network = network(ctx);
    String answer = ctx.formParam(humanCheck.fieldName());
    boolean checked =
        answer != null
            && !answer.isBlank()
            && humanCheck.verify(answer, "signin", clientIp.apply(ctx)).isPassed();
    Accounts.SignIn result =
        accounts.signIn(
            email, Optional.ofNullable(ctx.formParam("password")).orElse(""), network, checked);
    Map<String, String> values = Map.of("email", email);
    switch (result) {
      case Accounts.SignIn.Success s -> {
        audit(ctx, s.user(), "user.sign-in", s.user().email(), "");
        startSession(ctx, s.user());
        ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
      }
      case Accounts.SignIn.Failure f ->
          render(
              ctx,
              "admin/sign-in.jte",
              new SignInPage(
                  view(ctx, "Sign in", "")
                      .withForm(values, Map.of("email", "That email and password do not match.")),
                  next,
                  f.humanCheckNext() || accounts.needsHumanCheck(email, network)),
              401);
      case Accounts.SignIn.NeedsHumanCheck n ->
          render(
              ctx,
              "admin/sign-in.jte",
              new SignInPage(
                  view(ctx, "Sign in", "")
                      .withForm(
                          values,
                          Map.of(
                              "altcha",
                              "After several failed attempts, please wait for the automatic check to finish, then sign in again.")),
                  next,
                  true),
              401);
      case Accounts.SignIn.Throttled t -> {
        ctx.header("Retry-After", Long.toString(t.retryAfter().toSeconds()));
        render(
            ctx,
            "admin/sign-in.jte",
            new SignInPage(
                view(ctx, "Sign in", "")
                    .withForm(
                        values,
                        Map.of(
                            "email",
                            "Too many failed attempts. Try again in "
                                + t.retryAfter().toMinutes()
                                + " minutes, or reset your password.")),
                next,
                true),
            429);
      }
    }
  }

  private void startSession(Context ctx, User user) {
    String previous = ctx.cookie(access.cookieName());
    Sessions.Created created =
        sessions.start(user.id(), previous, clientIp.apply(ctx), ctx.header("User-Agent"));
    access.setCookie(ctx, created.token());
  }

  public void signOut(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.SIGNED_IN);
    sessions.end(ctx.cookie(access.cookieName()));
    access.clearCookie(ctx);
    audit(ctx, session.user(), "user.sign-out", session.user().email(), "");
    ctx.redirect("/admin/sign-in?done=signed-out", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  public void signOutEverywhere(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.SIGNED_IN);
    sessions.endAll(session.user().id());
    access.clearCookie(ctx);
    audit(ctx, session.user(), "user.sign-out-everywhere", session.user().email(), "");
    ctx.redirect("/admin/sign-in?done=signed-out-everywhere", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  // ---- password reset ---------------------------------------------------------------------

  public void forgotForm(Context ctx) {
    render(ctx, "admin/forgot.jte", view(ctx, "Reset your password", ""), 200);
  }

  public void forgot(Context ctx) {
    String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
    if (email.length() <= 320 && accounts.resetAllowed(email, network(ctx))) {
      accounts
          .startReset(email)
          .ifPresent(
              token -> {
                sendLink(
                    Accounts.normalise(email),
                    "reset",
                    token,
                    "Reset your password",
                    "Someone (hopefully you) asked to reset the password for the newsroom of "
                        + chrome.site().title()
                        + ".");
                audit(ctx, null, "user.password-reset-requested", Accounts.normalise(email), "");
              });
    }
    // The same answer whether or not the address belongs to anyone.
    render(
        ctx,
        "admin/message.jte",
        new MessagePage(
            view(ctx, "Check your email", ""),
            "If that address belongs to a member of the newsroom, a link to set a new password is on its way. It works once, for an hour.",
            "/admin/sign-in",
            "Back to sign in"),
        200);
  }

  private void sendLink(String email, String purpose, String token, String subject, String intro) {
    // Built from the configured base URL, never from the request's Host header.
    String link = config.get(BASE_URL) + "/admin/password/reset?token=" + token;
    jdbi.useTransaction(
        h ->
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
                    purpose + ":" + Accounts.sha256Hex(token))));
  }

  public void resetForm(Context ctx) {
    String token = ctx.queryParam("token");
    if (!accounts.resetUsable(token)) {
      render(
          ctx,
          "admin/message.jte",
          new MessagePage(
              view(ctx, "Link expired", ""),
              "This link has expired or was already used. Ask for a new one.",
              "/admin/password/forgot",
              "Ask for a new link"),
          410);
      return;
    }
    render(
        ctx, "admin/reset.jte", new ResetPage(view(ctx, "Choose a new password", ""), token), 200);
  }

  public void reset(Context ctx) {
    String token = ctx.formParam("token");
    try {
      User user = accounts.finishReset(token, ctx.formParam("password"));
      audit(ctx, user, "user.password-set", user.email(), "");
      ctx.redirect("/admin/sign-in?done=password-set", io.javalin.http.HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      if (e.fieldErrors().containsKey("token")) {
        render(
            ctx,
            "admin/message.jte",
            new MessagePage(
                view(ctx, "Link expired", ""),
                e.fieldErrors().get("token"),
                "/admin/password/forgot",
                "Ask for a new link"),
            410);
        return;
      }
      render(
          ctx,
          "admin/reset.jte",
          new ResetPage(
              view(ctx, "Choose a new password", "").withForm(Map.of(), e.fieldErrors()), token),
          422);
    }
  }

  // ---- dashboard, people, audit -----------------------------------------------------------

  public void dashboard(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.SIGNED_IN);
    render(
        ctx,
        "admin/dashboard.jte",
        new DashboardPage(
            view(ctx, "Dashboard", "dashboard"),
            articles.counts(session.user()),
            articles.recent(session.user(), 10)),
        200);
  }

  public void users(Context ctx) {
    access.require(ctx, Role.Permission.USERS);
    render(
        ctx, "admin/users.jte", new UsersPage(view(ctx, "People", "users"), accounts.all()), 200);
  }

  public void invite(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.USERS);
    Map<String, String> values = new LinkedHashMap<>();
    for (String f : List.of("name", "email", "role")) {
      values.put(f, Optional.ofNullable(ctx.formParam(f)).orElse("").strip());
    }
    try {
      User invited =
          accounts.create(
              values.get("email"), values.get("name"), null, Role.parse(values.get("role")), null);
      accounts
          .startReset(invited.email())
          .ifPresent(
              token ->
                  sendLink(
                      invited.email(),
                      "invite",
                      token,
                      "You are invited to the newsroom",
                      session.user().name()
                          + " invited you to the newsroom of "
                          + chrome.site().title()
                          + " as "
                          + invited.role().label()
                          + "."));
      audit(ctx, session.user(), "user.invite", invited.email(), "role=" + invited.role().id());
      ctx.redirect("/admin/users?done=invited", io.javalin.http.HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      render(
          ctx,
          "admin/users.jte",
          new UsersPage(
              view(ctx, "People", "users").withForm(values, e.fieldErrors()), accounts.all()),
          422);
    }
  }

  private User target(Context ctx) {
    return accounts.byId(AdminAccess.pathId(ctx, "id")).orElseThrow(HttpError::notFound);
  }

  public void changeRole(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.USERS);
    User target = target(ctx);
    Role role = Role.parse(ctx.formParam("role"));
    if (role == null) {
      throw HttpError.badRequest("Choose a role: admin, editor, author or contributor.");
    }
    if (target.id() == session.user().id() && role != Role.ADMIN) {
      throw new HttpError(
          409,
          "Keep an admin",
          "You cannot take away your own admin role; ask another admin to do it.");
    }
    accounts.changeRole(target.id(), role);
    audit(
        ctx, session.user(), "user.role", target.email(), target.role().id() + " -> " + role.id());
    ctx.redirect("/admin/users?done=role", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  public void setActive(Context ctx, boolean active) {
    Sessions.Current session = access.require(ctx, Role.Permission.USERS);
    User target = target(ctx);
    if (target.id() == session.user().id()) {
      throw new HttpError(409, "That is you", "You cannot deactivate your own account.");
    }
    accounts.setActive(target.id(), active);
    audit(ctx, session.user(), active ? "user.activate" : "user.deactivate", target.email(), "");
    ctx.redirect(
        "/admin/users?done=" + (active ? "activated" : "deactivated"),
        io.javalin.http.HttpStatus.SEE_OTHER);
  }

  public void auditLog(Context ctx) {
    access.require(ctx, Role.Permission.SETTINGS);
    int page = Pager.parse(ctx.queryParam("page"));
    List<Audit.Entry> entries = audit.latest(51, (page - 1) * 50);
    boolean more = entries.size() > 50;
    render(
        ctx,
        "admin/audit.jte",
        new AuditPage(
            view(ctx, "Audit log", "audit"),
            more ? entries.subList(0, 50) : entries,
            new Pager(page, more ? page + 1 : page, "/admin/audit")),
        200);
  }

  static CommentStatus held() {
    return CommentStatus.PENDING;
  }
}
