package org.broadsheet.newsroom;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Sessions;
import org.broadsheet.account.User;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.web.Templates;

/**
 * Draws newsroom pages: the frame ({@link NewsroomView}) for a request, with the navigation the
 * features contribute, and the page itself, never cached. Thread-safe.
 */
public final class NewsroomFrame {

  /** Notices shown after an action, by code, so no text from the URL reaches the page. */
  static final Map<String, String> NOTICES =
      Map.ofEntries(
          Map.entry("signed-out", "You are signed out."),
          Map.entry("signed-out-everywhere", "You are signed out on every device."),
          Map.entry("password-set", "Your password is set. Sign in with it now."),
          Map.entry("invited", "Invitation sent: the link works for 7 days."),
          Map.entry("revoked", "Invitation withdrawn: the link no longer works."),
          Map.entry("role", "Role changed."),
          Map.entry("deactivated", "Deactivated: their sessions have ended."),
          Map.entry("activated", "Reactivated."),
          Map.entry("saved", "Saved."),
          Map.entry("front", "The front is arranged; readers see it now."),
          Map.entry("scheduled", "Scheduled."),
          Map.entry("published", "Published."),
          Map.entry(
              "kept",
              "Changes saved, not live: readers see the published version until you update the"
                  + " live story."),
          Map.entry("live", "The story is live: post updates below."),
          Map.entry("live-closed", "Live coverage ended: the story keeps its updates."),
          Map.entry("live-posted", "Update posted: readers see it now."),
          Map.entry("live-saved", "Update saved."),
          Map.entry("discarded", "Changes discarded: the editor shows the live story again."),
          Map.entry(
              "unscheduled", "Unscheduled: it is a draft again and will not publish by itself."),
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
          Map.entry("suppression-lifted", "The address may be mailed again."),
          Map.entry("key-revoked", "Key revoked: its next request is refused."),
          Map.entry("webhook-saved", "Webhook saved."),
          Map.entry("webhook-deleted", "Webhook deleted."),
          Map.entry("webhook-enabled", "Webhook on again: what failed while it was off is sent."),
          Map.entry(
              "webhook-test", "Test event queued: it appears in the log below within seconds."));

  private final SiteChrome chrome;
  private final Templates templates;
  private final NewsroomAccess access;
  private final List<Navigation> navigation;

  public NewsroomFrame(
      SiteChrome chrome, Templates templates, NewsroomAccess access, List<Navigation> navigation) {
    this.chrome = chrome;
    this.templates = templates;
    this.access = access;
    this.navigation = List.copyOf(navigation);
  }

  /** The page frame for a request: the signed-in member (if any), the notice, no form state. */
  public NewsroomView view(Context ctx, String title, String current) {
    Optional<Sessions.Current> session = access.current(ctx);
    String done = ctx.queryParam("done");
    String notice = done == null ? "" : NOTICES.getOrDefault(done, "");
    User user = session.map(Sessions.Current::user).orElse(null);
    return new NewsroomView(
        chrome.site(),
        user,
        session.map(Sessions.Current::csrf).orElse(""),
        title,
        current,
        notice,
        Map.of(),
        Map.of(),
        user == null ? List.of() : items(user));
  }

  private List<Navigation.Item> items(User user) {
    List<Navigation.Item> items = new ArrayList<>();
    items.add(new Navigation.Item("dashboard", "Dashboard", "/admin", 0, null));
    for (Navigation contribution : navigation) {
      for (Navigation.Entry e : contribution.entries()) {
        if (user.can(e.permission())) {
          items.add(
              new Navigation.Item(
                  e.key(), e.label(), e.href(), e.count().applyAsInt(user), e.group()));
        }
      }
    }
    return items;
  }

  List<Navigation> contributions() {
    return navigation;
  }

  /** Sends a newsroom page: never cached, never indexed. */
  public void render(Context ctx, String template, Object page, int status) {
    ctx.status(status);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(templates.render(template, page));
  }
}
