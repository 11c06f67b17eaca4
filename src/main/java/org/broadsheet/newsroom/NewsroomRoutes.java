package org.broadsheet.newsroom;

import static org.broadsheet.account.Role.Permission.*;

import io.javalin.http.Context;
import java.util.List;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/**
 * The newsroom shell's routes: the access rule every route with a permission goes through, setup
 * and sign-in, people, settings and the audit log, and a "not found" for any other {@code /admin}
 * address. The features add their own newsroom pages in their own modules. Thread-safe.
 */
public final class NewsroomRoutes implements RouteModule {

  /** The shell's own entries, after the features' ones. */
  public static final Navigation NAVIGATION =
      () ->
          List.of(
              new Navigation.Entry(
                  "users", "People", "/admin/users", USERS, Navigation.Group.PEOPLE),
              new Navigation.Entry(
                  "settings", "Settings", "/admin/settings", SETTINGS, Navigation.Group.SITE),
              new Navigation.Entry(
                  "audit", "Audit log", "/admin/audit", SETTINGS, Navigation.Group.SITE));

  private final NewsroomAccess access;
  private final SignInPages signIn;
  private final PeoplePages people;
  private final SettingsPages settings;

  public NewsroomRoutes(
      NewsroomAccess access, SignInPages signIn, PeoplePages people, SettingsPages settings) {
    this.access = access;
    this.signIn = signIn;
    this.people = people;
    this.settings = settings;
  }

  @Override
  public void addRoutes(Routes r) {
    r.beforeMatched(access::check);
    r.exception(
        NewsroomAccess.SignInFirst.class,
        (e, ctx) -> {
          ctx.header("Cache-Control", "no-store");
          ctx.redirect(e.location());
        });
    r.get("/admin/setup", signIn::setupForm);
    r.post("/admin/setup", signIn::setup);
    r.get("/admin/sign-in", signIn::signInForm);
    r.post("/admin/sign-in", signIn::signIn);
    r.post("/admin/sign-out", signIn::signOut, SIGNED_IN);
    r.post("/admin/sign-out-everywhere", signIn::signOutEverywhere, SIGNED_IN);
    r.get("/admin/password/forgot", signIn::forgotForm);
    r.post("/admin/password/forgot", signIn::forgot);
    r.get("/admin/password/reset", signIn::resetForm);
    r.post("/admin/password/reset", signIn::reset);
    r.get("/admin", people::dashboard, SIGNED_IN);
    r.get("/admin/users", people::users, USERS);
    r.post("/admin/users", people::invite, USERS);
    r.post("/admin/users/{id}/role", people::changeRole, USERS);
    r.post("/admin/users/{id}/deactivate", ctx -> people.setActive(ctx, false), USERS);
    r.post("/admin/users/{id}/activate", ctx -> people.setActive(ctx, true), USERS);
    r.post("/admin/users/{id}/invitation/resend", people::resendInvitation, USERS);
    r.post("/admin/users/{id}/invitation/revoke", people::revokeInvitation, USERS);
    r.get("/admin/audit", people::auditLog, SETTINGS);
    r.get("/admin/settings", settings::page, SETTINGS);
    r.post("/admin/settings", settings::save, SETTINGS);
    r.post("/admin/settings/test-mail", settings::testMail, SETTINGS);
    // Matched last (a wildcard is the least specific pattern), so every feature's pages come first.
    r.get("/admin/*", NewsroomRoutes::notFound);
  }

  private static void notFound(Context ctx) {
    throw HttpError.notFound();
  }
}
