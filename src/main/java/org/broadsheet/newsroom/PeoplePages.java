package org.broadsheet.newsroom;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.account.User;
import org.broadsheet.support.OperatorNotices;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Pager;

/**
 * The newsroom's people and its record: the dashboard (figures and recent work the features
 * contribute), inviting members and changing their roles, deactivating them, and the audit log.
 * Thread-safe.
 */
public final class PeoplePages {

  /** The dashboard; {@code notices} are the operator's, shown to admins only. */
  public record DashboardPage(
      NewsroomView view,
      List<Navigation.Figure> figures,
      List<Navigation.Recent> recent,
      List<Navigation.Status> status,
      List<OperatorNotices.Notice> notices) {}

  /**
   * The members, and the invitations not yet accepted: for each such member, when their link
   * expires ({@link java.time.Instant#EPOCH}: it has lapsed).
   */
  public record UsersPage(
      NewsroomView view, List<User> users, Map<Long, java.time.Instant> invitations) {

    public boolean invited(User u) {
      return invitations.containsKey(u.id()) && u.active();
    }

    public boolean lapsed(User u) {
      java.time.Instant until = invitations.get(u.id());
      return until == null || until.equals(java.time.Instant.EPOCH);
    }

    public java.time.Instant linkUntil(User u) {
      return invitations.get(u.id());
    }
  }

  public record AuditPage(NewsroomView view, List<Audit.Entry> entries, Pager pager) {}

  private final Accounts accounts;
  private final OperatorNotices notices;
  private final Audit audit;
  private final NewsroomService service;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;

  public PeoplePages(
      Accounts accounts,
      Audit audit,
      NewsroomService service,
      NewsroomAccess access,
      NewsroomFrame frame,
      OperatorNotices notices) {
    this.notices = notices;
    this.accounts = accounts;
    this.audit = audit;
    this.service = service;
    this.access = access;
    this.frame = frame;
  }

  public void dashboard(Context ctx) {
    User user = access.member(ctx).user();
    List<Navigation.Figure> figures = new ArrayList<>();
    List<Navigation.Recent> recent = new ArrayList<>();
    List<Navigation.Status> status = new ArrayList<>();
    for (Navigation contribution : frame.contributions()) {
      figures.addAll(contribution.figures(user));
      recent.addAll(contribution.recent(user));
      status.addAll(contribution.status(user));
    }
    frame.render(
        ctx,
        "newsroom/dashboard.jte",
        new DashboardPage(
            frame.view(ctx, "Dashboard", "dashboard"),
            figures,
            recent,
            status,
            user.role().can(Role.Permission.SETTINGS) ? notices.current() : List.of()),
        200);
  }

  public void users(Context ctx) {
    frame.render(
        ctx,
        "newsroom/users.jte",
        new UsersPage(frame.view(ctx, "People", "users"), accounts.all(), accounts.invitations()),
        200);
  }

  public void invite(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Map<String, String> values = new LinkedHashMap<>();
    for (String f : List.of("name", "email", "role")) {
      values.put(f, Forms.text(ctx, f).strip());
    }
    try {
      service.invite(
          values.get("email"),
          values.get("name"),
          Role.parse(values.get("role")),
          Actor.of(session.user(), ClientAddress.of(ctx)));
      ctx.redirect("/admin/users?done=invited", HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      frame.render(
          ctx,
          "newsroom/users.jte",
          new UsersPage(
              frame.view(ctx, "People", "users").withForm(values, e.fieldErrors()),
              accounts.all(),
              accounts.invitations()),
          422);
    }
  }

  private User target(Context ctx) {
    return accounts.byId(Forms.pathId(ctx, "id")).orElseThrow(HttpError::notFound);
  }

  public void changeRole(Context ctx) {
    Sessions.Current session = access.member(ctx);
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
    accounts.changeRole(target.id(), role, Actor.of(session.user(), ClientAddress.of(ctx)));
    ctx.redirect("/admin/users?done=role", HttpStatus.SEE_OTHER);
  }

  public void setActive(Context ctx, boolean active) {
    Sessions.Current session = access.member(ctx);
    User target = target(ctx);
    if (target.id() == session.user().id()) {
      throw new HttpError(409, "That is you", "You cannot deactivate your own account.");
    }
    accounts.setActive(target.id(), active, Actor.of(session.user(), ClientAddress.of(ctx)));
    ctx.redirect(
        "/admin/users?done=" + (active ? "activated" : "deactivated"), HttpStatus.SEE_OTHER);
  }

  /** Sends a pending invitation again, with a new 7-day link. */
  public void resendInvitation(Context ctx) {
    Sessions.Current session = access.member(ctx);
    User target = target(ctx);
    try {
      service.resendInvitation(target.id(), Actor.of(session.user(), ClientAddress.of(ctx)));
    } catch (ValidationException e) {
      throw new HttpError(409, "Already accepted", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/users?done=invited", HttpStatus.SEE_OTHER);
  }

  /** Withdraws a pending invitation: the link ends, the account is deactivated. */
  public void revokeInvitation(Context ctx) {
    Sessions.Current session = access.member(ctx);
    User target = target(ctx);
    try {
      service.revokeInvitation(target.id(), Actor.of(session.user(), ClientAddress.of(ctx)));
    } catch (ValidationException e) {
      throw new HttpError(409, "Already accepted", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/users?done=revoked", HttpStatus.SEE_OTHER);
  }

  public void auditLog(Context ctx) {
    int page = Pager.parse(ctx.queryParam("page"));
    List<Audit.Entry> entries = audit.latest(51, (page - 1) * 50);
    boolean more = entries.size() > 50;
    frame.render(
        ctx,
        "newsroom/audit.jte",
        new AuditPage(
            frame.view(ctx, "Audit log", "audit"),
            more ? entries.subList(0, 50) : entries,
            new Pager(page, more ? page + 1 : page, "/admin/audit")),
        200);
  }
}
