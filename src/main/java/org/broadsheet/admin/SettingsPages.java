package org.broadsheet.admin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.Config;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.jdbi.v3.core.Jdbi;

/**
 * Site settings: the title and tagline (stored in the database, every node follows), the operator's
 * settings shown read-only with the variable that sets each (they shape addresses, search and
 * security, so they change with a restart), and a button that sends a test mail to the signed-in
 * admin. Admins only. Thread-safe.
 */
public final class SettingsPages {

  public record Page(AdminView view, Map<String, String> operator, boolean smtp) {}

  private final Config config;
  private final SiteSettings settings;
  private final Outbox outbox;
  private final Jdbi jdbi;
  private final AdminAccess access;
  private final Audit audit;
  private final AccountPages frame;
  private final java.util.function.Function<Context, String> clientIp;

  public SettingsPages(
      Config config,
      SiteSettings settings,
      Outbox outbox,
      Jdbi jdbi,
      AdminAccess access,
      Audit audit,
      AccountPages frame,
      java.util.function.Function<Context, String> clientIp) {
    this.config = config;
    this.settings = settings;
    this.outbox = outbox;
    this.jdbi = jdbi;
    this.access = access;
    this.audit = audit;
    this.frame = frame;
    this.clientIp = clientIp;
  }

  private Map<String, String> operator() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("Address (BROADSHEET_BASE_URL)", config.baseUrl());
    shown.put("Time zone (BROADSHEET_TIME_ZONE)", config.timeZone().getId());
    shown.put("Language (BROADSHEET_LANGUAGE)", config.language().toLanguageTag());
    shown.put("Comment policy (BROADSHEET_COMMENTS_POLICY)", config.comments().policy());
    shown.put("Human check (BROADSHEET_HUMAN_CHECK)", config.humanCheck().provider());
    shown.put(
        "Mail (BROADSHEET_SMTP_HOST)",
        config.mail().smtpEnabled()
            ? config.mail().smtpHost() + ":" + config.mail().smtpPort()
            : "none: mail is kept as .eml files in the data folder's outbox/");
    shown.put("Mail sender (BROADSHEET_MAIL_FROM)", config.mail().from());
    shown.put(
        "Mail delivery (BROADSHEET_MAIL_CONCURRENCY, BROADSHEET_MAIL_RATE)",
        config.mail().concurrency()
            + " connections, "
            + (config.mail().ratePerSecond() == 0
                ? "no rate limit"
                : config.mail().ratePerSecond() + " messages/s"));
    shown.put(
        "DKIM (BROADSHEET_DKIM_DOMAIN)",
        config.mail().dkimEnabled()
            ? config.mail().dkimSelector() + "._domainkey." + config.mail().dkimDomain()
            : "off");
    shown.put(
        "Bounce webhook (BROADSHEET_BOUNCE_TOKEN)",
        config.mail().bounceToken().isEmpty() ? "off" : "on, at /api/newsletter/bounces");
    return shown;
  }

  public void page(Context ctx) {
    access.require(ctx, Role.Permission.SETTINGS);
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
        "admin/settings.jte",
        new Page(
            frame.view(ctx, "Settings", "settings").withForm(shown, errors),
            operator(),
            config.mail().smtpEnabled()),
        status);
  }

  public void save(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.SETTINGS);
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
    audit.record(session.user(), "settings.update", "site", "title=" + title, clientIp.apply(ctx));
    ctx.redirect("/admin/settings?done=saved", HttpStatus.SEE_OTHER);
  }

  /** Sends a test mail to the signed-in admin through the outbox, as real mail goes. */
  public void testMail(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.SETTINGS);
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
    audit.record(session.user(), "settings.test-mail", to, "", clientIp.apply(ctx));
    ctx.redirect("/admin/settings?done=test-mail", HttpStatus.SEE_OTHER);
  }
}
