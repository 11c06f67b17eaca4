package org.broadsheet.integration;

import static org.broadsheet.account.Role.Permission.SETTINGS;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.broadsheet.account.Actor;
import org.broadsheet.account.ApiKey;
import org.broadsheet.account.ApiKeys;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.newsroom.Navigation;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/**
 * The newsroom's Integrations page: API keys (made with a name and chosen permissions, the secret
 * shown once, revocable) and webhooks (events, the signing secret, a delivery log with status
 * codes, "Send test", turning on again after failures). For admins. Thread-safe.
 */
public final class IntegrationPages implements RouteModule {

  /** The permissions a key can be given, in the order the form lists them, with what they mean. */
  public static final Map<Role.Permission, String> SCOPES = scopes();

  private static Map<Role.Permission, String> scopes() {
    Map<Role.Permission, String> m = new LinkedHashMap<>();
    m.put(Role.Permission.WRITE_OWN, "write stories (drafts)");
    m.put(Role.Permission.PUBLISH, "publish, schedule and unpublish");
    m.put(Role.Permission.EDIT_ALL, "change everyone's stories");
    m.put(Role.Permission.MEDIA, "upload images");
    m.put(Role.Permission.MODERATE, "moderate comments");
    m.put(Role.Permission.NEWSLETTERS, "manage subscribers");
    m.put(Role.Permission.SETTINGS, "read the audit log");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The menu entry, counting webhooks that were turned off after failing, and the same figure on
   * the dashboard, so nobody misses an integration that stopped hearing from the site.
   */
  public static Navigation navigation(Webhooks webhooks) {
    return new Navigation() {
      @Override
      public List<Entry> entries() {
        return List.of(
            new Entry(
                "integrations",
                "Integrations",
                "/admin/integrations",
                SETTINGS,
                Group.SITE,
                user -> turnedOff(webhooks)));
      }

      @Override
      public List<Figure> figures(org.broadsheet.account.User user) {
        int off = turnedOff(webhooks);
        return off == 0 || !user.can(SETTINGS)
            ? List.of()
            : List.of(new Figure("webhooks turned off after failing", off, "/admin/integrations"));
      }
    };
  }

  private static int turnedOff(Webhooks webhooks) {
    return (int) webhooks.all().stream().filter(w -> !w.enabled()).count();
  }

  /** The page: keys, webhooks, and the secret of a key just made (shown this once). */
  public record Page(
      NewsroomView view,
      List<ApiKey> keys,
      List<Webhook> webhooks,
      String newSecret,
      Map<Role.Permission, String> scopes,
      List<Webhook.Event> events,
      String docs) {

    /** What a key may do, in words. */
    public String may(ApiKey key) {
      return String.join(
          "; ",
          key.scopes().stream()
              .map(p -> scopes.getOrDefault(p, p.name().toLowerCase(java.util.Locale.ROOT)))
              .toList());
    }
  }

  /** One webhook with its delivery log. */
  public record WebhookPage(
      NewsroomView view,
      Webhook webhook,
      List<WebhookDelivery> deliveries,
      List<Webhook.Event> events) {}

  private final ApiKeys keys;
  private final Webhooks webhooks;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;

  public IntegrationPages(
      ApiKeys keys, Webhooks webhooks, NewsroomAccess access, NewsroomFrame frame) {
    this.keys = keys;
    this.webhooks = webhooks;
    this.access = access;
    this.frame = frame;
  }

  @Override
  public void addRoutes(Routes r) {
    r.page("/admin/integrations", this::page, SETTINGS);
    r.post("/admin/integrations/keys", this::createKey, SETTINGS);
    r.post("/admin/integrations/keys/{id}/revoke", this::revokeKey, SETTINGS);
    r.post("/admin/integrations/webhooks", this::createWebhook, SETTINGS);
    r.page("/admin/integrations/webhooks/{id}", this::webhook, SETTINGS);
    r.post("/admin/integrations/webhooks/{id}", this::updateWebhook, SETTINGS);
    r.post("/admin/integrations/webhooks/{id}/test", this::test, SETTINGS);
    r.post("/admin/integrations/webhooks/{id}/enable", this::enable, SETTINGS);
    r.post("/admin/integrations/webhooks/{id}/delete", this::delete, SETTINGS);
  }

  private void page(Context ctx) {
    render(ctx, frame.view(ctx, "Integrations", "integrations"), "", 200);
  }

  private void render(Context ctx, NewsroomView view, String secret, int status) {
    frame.render(
        ctx,
        "integration/newsroom/integrations.jte",
        new Page(view, keys.all(), webhooks.all(), secret, SCOPES, Webhook.EVENTS, "/api/v1/docs"),
        status);
  }

  private Actor actor(Context ctx) {
    return Actor.of(access.member(ctx).user(), ClientAddress.of(ctx));
  }

  private void createKey(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Set<Role.Permission> scopes = EnumSet.noneOf(Role.Permission.class);
    for (String s : ctx.formParams("scopes")) {
      SCOPES.keySet().stream()
          .filter(p -> p.name().equalsIgnoreCase(s))
          .findFirst()
          .ifPresent(scopes::add);
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("keyName", Forms.text(ctx, "keyName"));
    try {
      ApiKeys.Created created =
          keys.create(values.get("keyName"), scopes, session.user(), actor(ctx));
      render(ctx, frame.view(ctx, "Integrations", "integrations"), created.secret(), 201);
    } catch (ValidationException e) {
      Map<String, String> errors = new LinkedHashMap<>();
      e.fieldErrors().forEach((k, v) -> errors.put(k.equals("name") ? "keyName" : k, v));
      render(
          ctx, frame.view(ctx, "Integrations", "integrations").withForm(values, errors), "", 422);
    }
  }

  private void revokeKey(Context ctx) {
    keys.revoke(Forms.pathId(ctx, "id"), actor(ctx));
    ctx.redirect("/admin/integrations?done=key-revoked", HttpStatus.SEE_OTHER);
  }

  private Set<String> events(Context ctx) {
    return new LinkedHashSet<>(ctx.formParams("events"));
  }

  private void createWebhook(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("hookName", Forms.text(ctx, "hookName"));
    values.put("url", Forms.text(ctx, "url"));
    try {
      Webhook w =
          webhooks.create(values.get("hookName"), values.get("url"), events(ctx), actor(ctx));
      ctx.redirect(
          "/admin/integrations/webhooks/" + w.id() + "?done=webhook-saved", HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      Map<String, String> errors = new LinkedHashMap<>();
      e.fieldErrors().forEach((k, v) -> errors.put(k.equals("name") ? "hookName" : k, v));
      render(
          ctx, frame.view(ctx, "Integrations", "integrations").withForm(values, errors), "", 422);
    }
  }

  private Webhook target(Context ctx) {
    return webhooks.byId(Forms.pathId(ctx, "id")).orElseThrow(HttpError::notFound);
  }

  private void webhook(Context ctx) {
    Webhook w = target(ctx);
    frame.render(
        ctx,
        "integration/newsroom/webhook.jte",
        new WebhookPage(
            frame.view(ctx, "Webhook: " + w.name(), "integrations"),
            w,
            webhooks.recent(w.id(), 50),
            Webhook.EVENTS),
        200);
  }

  private void updateWebhook(Context ctx) {
    Webhook w = target(ctx);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("hookName", Forms.text(ctx, "hookName"));
    values.put("url", Forms.text(ctx, "url"));
    try {
      webhooks.update(w.id(), values.get("hookName"), values.get("url"), events(ctx), actor(ctx));
      ctx.redirect(
          "/admin/integrations/webhooks/" + w.id() + "?done=webhook-saved", HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      Map<String, String> errors = new LinkedHashMap<>();
      e.fieldErrors().forEach((k, v) -> errors.put(k.equals("name") ? "hookName" : k, v));
      frame.render(
          ctx,
          "integration/newsroom/webhook.jte",
          new WebhookPage(
              frame.view(ctx, "Webhook: " + w.name(), "integrations").withForm(values, errors),
              w,
              webhooks.recent(w.id(), 50),
              Webhook.EVENTS),
          422);
    }
  }

  private void test(Context ctx) {
    Webhook w = target(ctx);
    webhooks.sendTest(w.id(), actor(ctx));
    ctx.redirect(
        "/admin/integrations/webhooks/" + w.id() + "?done=webhook-test", HttpStatus.SEE_OTHER);
  }

  private void enable(Context ctx) {
    Webhook w = target(ctx);
    webhooks.enable(w.id(), actor(ctx));
    ctx.redirect(
        "/admin/integrations/webhooks/" + w.id() + "?done=webhook-enabled", HttpStatus.SEE_OTHER);
  }

  private void delete(Context ctx) {
    Webhook w = target(ctx);
    webhooks.delete(w.id(), actor(ctx));
    ctx.redirect("/admin/integrations?done=webhook-deleted", HttpStatus.SEE_OTHER);
  }
}
