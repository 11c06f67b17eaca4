package org.broadsheet.newsroom;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Sessions;
import org.broadsheet.config.Config;
import org.broadsheet.config.Setting;
import org.broadsheet.config.Settings;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;

/**
 * Site settings: the title and tagline (stored in the database, every node follows), the operator's
 * settings shown read-only with the variable that sets each (they shape addresses, search and
 * security, so they change with a restart), and a button that sends a test mail to the signed-in
 * admin. Admins only. Thread-safe.
 */
public final class SettingsPages {

  public record Page(NewsroomView view, List<OperatorSetting> operator, boolean smtp) {}

  private final Config config;
  private final SiteSettings settings;
  private final NewsroomService service;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;
  private final java.time.Clock clock;

  public SettingsPages(
      Config config,
      SiteSettings settings,
      NewsroomService service,
      NewsroomAccess access,
      NewsroomFrame frame,
      java.time.Clock clock) {
    this.config = config;
    this.settings = settings;
    this.service = service;
    this.access = access;
    this.frame = frame;
    this.clock = clock;
  }

  /** One operator setting as the settings page shows it (secrets only as set or not). */
  public record OperatorSetting(String env, String meaning, String value) {}

  private List<OperatorSetting> operator() {
    List<OperatorSetting> shown = new java.util.ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      String text = config.text(setting);
      String value =
          setting.secret()
              ? (text.isEmpty() ? "not set" : "set")
              : text.isEmpty() ? "(empty)" : text.replaceAll("password=[^&]*", "password=***");
      shown.add(new OperatorSetting(setting.env(), setting.meaning().replace("`", ""), value));
    }
    return shown;
  }

  public void page(Context ctx) {
    show(ctx, Map.of(), Map.of(), 200);
  }

  private void show(
      Context ctx, Map<String, String> values, Map<String, String> errors, int status) {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("title", settings.get(SiteSettings.TITLE, ""));
    shown.put("tagline", settings.get(SiteSettings.TAGLINE, ""));
    shown.put("logo", settings.get(SiteSettings.LOGO, ""));
    shown.putAll(values);
    frame.render(
        ctx,
        "newsroom/settings.jte",
        new Page(
            frame.view(ctx, "Settings", "settings").withForm(shown, errors),
            operator(),
            config.smtpEnabled()),
        status);
  }

  public void save(Context ctx) {
    Sessions.Current session = access.member(ctx);
    String title = Forms.text(ctx, "title");
    String tagline = Forms.text(ctx, "tagline");
    String logo = Forms.text(ctx, "logo");
    try {
      service.saveSettings(title, tagline, logo, Actor.of(session.user(), ClientAddress.of(ctx)));
    } catch (ValidationException e) {
      show(ctx, Map.of("title", title, "tagline", tagline, "logo", logo), e.fieldErrors(), 422);
      return;
    }
    ctx.redirect("/admin/settings?done=saved", HttpStatus.SEE_OTHER);
  }

  /** Sends a test mail to the signed-in admin through the outbox, as real mail goes. */
  public void testMail(Context ctx) {
    Sessions.Current session = access.member(ctx);
    service.sendTestMail(Actor.of(session.user(), ClientAddress.of(ctx)), clock.millis());
    ctx.redirect("/admin/settings?done=test-mail", HttpStatus.SEE_OTHER);
  }
}
