package org.broadsheet.newsroom;

import static org.broadsheet.config.Settings.*;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.account.User;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.config.Config;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;

/**
 * The newsroom's doors: first-run setup, sign-in (throttled, with the human check after repeated
 * failures), sign-out here or everywhere, and password reset by emailed link. Thread-safe.
 */
public final class SignInPages {

  /** Gives a new member a byline (the article feature's author profiles); returns its id. */
  @FunctionalInterface
  public interface Bylines {
    long bylineFor(String name);
  }

  public record SignInPage(NewsroomView view, String next, boolean humanCheck) {}

  public record MessagePage(NewsroomView view, String message, String linkHref, String linkText) {}

  public record ResetPage(NewsroomView view, String token) {}

  private final Config config;
  private final Accounts accounts;
  private final Sessions sessions;
  private final Audit audit;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;
  private final SiteChrome chrome;
  private final SiteSettings settings;
  private final HumanCheck humanCheck;
  private final PasswordLinks links;
  private final Bylines bylines;

  public SignInPages(
      Config config,
      Accounts accounts,
      Sessions sessions,
      Audit audit,
      NewsroomAccess access,
      NewsroomFrame frame,
      SiteChrome chrome,
      SiteSettings settings,
      HumanCheck humanCheck,
      PasswordLinks links,
      Bylines bylines) {
    this.config = config;
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
    this.access = access;
    this.frame = frame;
    this.chrome = chrome;
    this.settings = settings;
    this.humanCheck = humanCheck;
    this.links = links;
    this.bylines = bylines;
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
    frame.render(
        ctx,
        "newsroom/setup.jte",
        frame.view(ctx, "Set up your site", "").withForm(setupDefaults(), Map.of()),
        200);
  }

  public void setup(Context ctx) {
    if (accounts.count() > 0) {
      throw new HttpError(
          409, "Already set up", "This site already has an admin. Sign in instead.");
    }
    Map<String, String> values = setupDefaults();
    for (String f : List.of("title", "name", "email")) {
      values.put(f, Forms.text(ctx, f).strip());
    }
    String title = values.get("title");
    if (title.isEmpty() || title.length() > 120) {
      frame.render(
          ctx,
          "newsroom/setup.jte",
          frame
              .view(ctx, "Set up your site", "")
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
        frame.render(
            ctx,
            "newsroom/setup.jte",
            frame.view(ctx, "Set up your site", "").withForm(values, e.fieldErrors()),
            422);
        return;
      }
    }
    accounts.linkAuthor(admin.id(), bylines.bylineFor(admin.name()));
    admin = accounts.byId(admin.id()).orElseThrow();
    settings.put(SiteSettings.TITLE, title);
    audit.record(admin, "site.setup", "site", "title=" + title, ClientAddress.of(ctx));
    startSession(ctx, admin);
    ctx.redirect("/admin?done=welcome", HttpStatus.SEE_OTHER);
  }

  // ---- sign-in ----------------------------------------------------------------------------

  public void signInForm(Context ctx) {
    if (accounts.count() == 0) {
      ctx.redirect("/admin/setup");
      return;
    }
    if (access.current(ctx).isPresent()) {
      ctx.redirect(NewsroomAccess.safeNext(ctx.queryParam("next")));
      return;
    }
    frame.render(
        ctx,
        "newsroom/sign-in.jte",
        new SignInPage(
            frame.view(ctx, "Sign in", ""), NewsroomAccess.safeNext(ctx.queryParam("next")), false),
        200);
  }

  public void signIn(Context ctx) {
    String email = Forms.text(ctx, "email").strip();
    String next = NewsroomAccess.safeNext(ctx.formParam("next"));
    String network = ClientAddress.network(ctx);
    String answer = ctx.formParam(humanCheck.fieldName());
    boolean checked =
        answer != null
            && !answer.isBlank()
            && humanCheck.verify(answer, "signin", ClientAddress.of(ctx)).isPassed();
    Accounts.SignIn result = accounts.signIn(email, Forms.text(ctx, "password"), network, checked);
    Map<String, String> values = Map.of("email", email);
    switch (result) {
      case Accounts.SignIn.Success s -> {
        audit.record(s.user(), "user.sign-in", s.user().email(), "", ClientAddress.of(ctx));
        startSession(ctx, s.user());
        ctx.redirect(next, HttpStatus.SEE_OTHER);
      }
      case Accounts.SignIn.Failure f ->
          signInAgain(
              ctx,
              values,
              Map.of("email", "That email and password do not match."),
              next,
              f.humanCheckNext() || accounts.needsHumanCheck(email, network),
              401);
      case Accounts.SignIn.NeedsHumanCheck n ->
          signInAgain(
              ctx,
              values,
              Map.of(
                  "altcha",
                  "After several failed attempts, please wait for the automatic check to finish,"
                      + " then sign in again."),
              next,
              true,
              401);
      case Accounts.SignIn.Throttled t -> {
        ctx.header("Retry-After", Long.toString(t.retryAfter().toSeconds()));
        signInAgain(
            ctx,
            values,
            Map.of(
                "email",
                "Too many failed attempts. Try again in "
                    + t.retryAfter().toMinutes()
                    + " minutes, or reset your password."),
            next,
            true,
            429);
      }
    }
  }

  private void signInAgain(
      Context ctx,
      Map<String, String> values,
      Map<String, String> errors,
      String next,
      boolean humanCheck,
      int status) {
    frame.render(
        ctx,
        "newsroom/sign-in.jte",
        new SignInPage(frame.view(ctx, "Sign in", "").withForm(values, errors), next, humanCheck),
        status);
  }

  private void startSession(Context ctx, User user) {
    String previous = ctx.cookie(access.cookieName());
    Sessions.Created created =
        sessions.start(user.id(), previous, ClientAddress.of(ctx), ctx.header("User-Agent"));
    access.setCookie(ctx, created.token());
  }

  public void signOut(Context ctx) {
    Sessions.Current session = access.member(ctx);
    sessions.end(ctx.cookie(access.cookieName()));
    access.clearCookie(ctx);
    audit.record(
        session.user(), "user.sign-out", session.user().email(), "", ClientAddress.of(ctx));
    ctx.redirect("/admin/sign-in?done=signed-out", HttpStatus.SEE_OTHER);
  }

  public void signOutEverywhere(Context ctx) {
    Sessions.Current session = access.member(ctx);
    sessions.endAll(session.user().id());
    access.clearCookie(ctx);
    audit.record(
        session.user(),
        "user.sign-out-everywhere",
        session.user().email(),
        "",
        ClientAddress.of(ctx));
    ctx.redirect("/admin/sign-in?done=signed-out-everywhere", HttpStatus.SEE_OTHER);
  }

  // ---- password reset ---------------------------------------------------------------------

  public void forgotForm(Context ctx) {
    frame.render(ctx, "newsroom/forgot.jte", frame.view(ctx, "Reset your password", ""), 200);
  }

  public void forgot(Context ctx) {
    String email = Forms.text(ctx, "email").strip();
    if (email.length() <= 320 && accounts.resetAllowed(email, ClientAddress.network(ctx))) {
      accounts
          .startReset(email)
          .ifPresent(
              token -> {
                links.send(
                    Accounts.normalise(email),
                    "reset",
                    token,
                    "Reset your password",
                    "Someone (hopefully you) asked to reset the password for the newsroom of "
                        + chrome.site().title()
                        + ".");
                audit.record(
                    null,
                    "user.password-reset-requested",
                    Accounts.normalise(email),
                    "",
                    ClientAddress.of(ctx));
              });
    }
    // The same answer whether or not the address belongs to anyone.
    frame.render(
        ctx,
        "newsroom/message.jte",
        new MessagePage(
            frame.view(ctx, "Check your email", ""),
            "If that address belongs to a member of the newsroom, a link to set a new password is"
                + " on its way. It works once, for an hour.",
            "/admin/sign-in",
            "Back to sign in"),
        200);
  }

  public void resetForm(Context ctx) {
    String token = ctx.queryParam("token");
    if (!accounts.resetUsable(token)) {
      linkExpired(ctx, "This link has expired or was already used. Ask for a new one.");
      return;
    }
    frame.render(
        ctx,
        "newsroom/reset.jte",
        new ResetPage(frame.view(ctx, "Choose a new password", ""), token),
        200);
  }

  private void linkExpired(Context ctx, String message) {
    frame.render(
        ctx,
        "newsroom/message.jte",
        new MessagePage(
            frame.view(ctx, "Link expired", ""),
            message,
            "/admin/password/forgot",
            "Ask for a new link"),
        410);
  }

  public void reset(Context ctx) {
    String token = ctx.formParam("token");
    try {
      User user = accounts.finishReset(token, ctx.formParam("password"));
      audit.record(user, "user.password-set", user.email(), "", ClientAddress.of(ctx));
      ctx.redirect("/admin/sign-in?done=password-set", HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      if (e.fieldErrors().containsKey("token")) {
        linkExpired(ctx, e.fieldErrors().get("token"));
        return;
      }
      frame.render(
          ctx,
          "newsroom/reset.jte",
          new ResetPage(
              frame.view(ctx, "Choose a new password", "").withForm(Map.of(), e.fieldErrors()),
              token),
          422);
    }
  }
}
