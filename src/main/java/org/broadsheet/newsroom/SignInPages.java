package org.broadsheet.newsroom;

import static org.broadsheet.config.Settings.*;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Sessions;
import org.broadsheet.account.User;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.config.Config;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;

/**
 * The newsroom's doors: first-run setup, sign-in (throttled, with the human check after repeated
 * failures), sign-out here or everywhere, and password reset by emailed link. Thread-safe.
 */
public final class SignInPages {

  public record SignInPage(NewsroomView view, String next, boolean humanCheck) {}

  public record MessagePage(NewsroomView view, String message, String linkHref, String linkText) {}

  public record ResetPage(NewsroomView view, String token) {}

  private final Config config;
  private final Accounts accounts;
  private final Sessions sessions;
  private final NewsroomService service;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;
  private final SiteChrome chrome;
  private final HumanCheck humanCheck;

  public SignInPages(
      Config config,
      Accounts accounts,
      Sessions sessions,
      NewsroomService service,
      NewsroomAccess access,
      NewsroomFrame frame,
      SiteChrome chrome,
      HumanCheck humanCheck) {
    this.config = config;
    this.accounts = accounts;
    this.sessions = sessions;
    this.service = service;
    this.access = access;
    this.frame = frame;
    this.chrome = chrome;
    this.humanCheck = humanCheck;
  }

  // ---- setup ------------------------------------------------------------------------------

  private Map<String, String> setupDefaults() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("title", chrome.site().title());
    values.put("timeZone", config.get(TIME_ZONE).getId());
    values.put("language", config.get(LANGUAGE).toLanguageTag());
    values.put("needsCode", service.setupNeedsCode() ? "yes" : "");
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
    Map<String, String> values = setupDefaults();
    for (String f : List.of("title", "name", "email", "code")) {
      values.put(f, Forms.text(ctx, f).strip());
    }
    User admin;
    try {
      admin =
          service.setUp(
              values.get("title"),
              values.get("name"),
              values.get("email"),
              ctx.formParam("password"),
              ClientAddress.of(ctx),
              ctx.formParam("code"));
    } catch (NewsroomService.AlreadySetUp e) {
      throw new HttpError(409, "Already set up", e.getMessage());
    } catch (ValidationException e) {
      frame.render(
          ctx,
          "newsroom/setup.jte",
          frame.view(ctx, "Set up your site", "").withForm(values, e.fieldErrors()),
          422);
      return;
    }
    startSession(ctx, admin, "user.sign-in");
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
        startSession(ctx, s.user(), "user.sign-in");
        ctx.redirect(next, HttpStatus.SEE_OTHER);
      }
      case Accounts.SignIn.Failure f -> {
        pause(f.slowDown());
        signInAgain(
            ctx,
            values,
            Map.of("email", "That email and password do not match."),
            next,
            f.humanCheckNext() || accounts.needsHumanCheck(email, network),
            401);
      }
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
    }
  }

  /** Answers a failure after many more slowly (requests run on virtual threads: cheap to hold). */
  private static void pause(java.time.Duration slowDown) {
    if (slowDown.isZero()) {
      return;
    }
    try {
      Thread.sleep(slowDown);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  private void startSession(Context ctx, User user, String action) {
    Sessions.Created created =
        sessions.start(
            user,
            ctx.cookie(access.cookieName()),
            ClientAddress.of(ctx),
            ctx.header("User-Agent"),
            action);
    access.setCookie(ctx, created.token());
  }

  public void signOut(Context ctx) {
    Sessions.Current session = access.member(ctx);
    sessions.end(ctx.cookie(access.cookieName()), Actor.of(session.user(), ClientAddress.of(ctx)));
    access.clearCookie(ctx);
    ctx.redirect("/admin/sign-in?done=signed-out", HttpStatus.SEE_OTHER);
  }

  public void signOutEverywhere(Context ctx) {
    Sessions.Current session = access.member(ctx);
    sessions.endAll(Actor.of(session.user(), ClientAddress.of(ctx)));
    access.clearCookie(ctx);
    ctx.redirect("/admin/sign-in?done=signed-out-everywhere", HttpStatus.SEE_OTHER);
  }

  // ---- password reset ---------------------------------------------------------------------

  public void forgotForm(Context ctx) {
    frame.render(ctx, "newsroom/forgot.jte", frame.view(ctx, "Reset your password", ""), 200);
  }

  public void forgot(Context ctx) {
    service.requestReset(
        Forms.text(ctx, "email").strip(), ClientAddress.network(ctx), ClientAddress.of(ctx));
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
      accounts.finishReset(token, ctx.formParam("password"), ClientAddress.of(ctx));
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
