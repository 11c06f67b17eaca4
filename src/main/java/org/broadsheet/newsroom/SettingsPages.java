package org.broadsheet.newsroom;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Sessions;
import org.broadsheet.config.Config;
import org.broadsheet.config.Setting;
import org.broadsheet.config.Settings;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.web.ClientAddress;
import org.jdbi.v3.core.Jdbi;

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
  private final Outbox outbox;
  private final Jdbi jdbi;
  private final NewsroomAccess access;
  private final Audit audit;
  private final NewsroomFrame frame;

  public SettingsPages(
      Config config,
      SiteSettings settings,
      Outbox outbox,
      Jdbi jdbi,
      NewsroomAccess access,
      Audit audit,
      NewsroomFrame frame) {
    this.config = config;
    this.settings = settings;
    this.outbox = outbox;
    this.jdbi = jdbi;
    this.access = access;
    this.audit = audit;
    this.frame = frame;
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
              : text.isEmpty() ? "(empty)" : text;
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
    String title = Optional.ofNullable(ctx.formParam("title")).orElse("").strip();
    String tagline = Optional.ofNullable(ctx.formParam("tagline")).orElse("").strip();
    String logo = Optional.ofNullable(ctx.formParam("logo")).orElse("").strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (title.isEmpty()
        || title.length() > 120
        || title.chars().anyMatch(Character::isISOControl)) {
      errors.put("title", "Give the site a title of up to 120 characters.");
    }
    if (tagline.length() > 200 || tagline.chars().anyMatch(Character::isISOControl)) {
      errors.put("tagline", "Keep the tagline to one line of up to 200 characters.");
    }
    if (!logo.isEmpty() && !logo.matches("/media/[0-9a-f]+(-[0-9]+w)?\\.(jpg|png)")) {
      errors.put("logo", "Use an image address from the media library, such as /media/…png.");
    }
    if (!errors.isEmpty()) {
      show(ctx, Map.of("title", title, "tagline", tagline, "logo", logo), errors, 422);
      return;
    }
    settings.put(SiteSettings.TITLE, title);
    settings.put(SiteSettings.TAGLINE, tagline);
    settings.put(SiteSettings.LOGO, logo);
    audit.record(
        session.user(), "settings.update", "site", "title=" + title, ClientAddress.of(ctx));
    ctx.redirect("/admin/settings?done=saved", HttpStatus.SEE_OTHER);
  }

  /** Sends a test mail to the signed-in admin through the outbox, as real mail goes. */
  public void testMail(Context ctx) {
    Sessions.Current session = access.member(ctx);
    String to = session.user().email();
    long now = System.currentTimeMillis();
    jdbi.useTransaction(
        h ->
            outbox.enqueue(
                h,
                new MailMessage(
                    to,
                    "Test mail from " + settings.get(SiteSettings.TITLE, "Broadsheet"),
                    "This is a test mail sent from the newsroom's settings page.\n\nIf you can read"
                        + " it, mail from the site reaches you.\n",
                    null,
                    null,
                    "test-mail:" + to + ":" + now)));
    audit.record(session.user(), "settings.test-mail", to, "", ClientAddress.of(ctx));
    ctx.redirect("/admin/settings?done=test-mail", HttpStatus.SEE_OTHER);
  }
}
