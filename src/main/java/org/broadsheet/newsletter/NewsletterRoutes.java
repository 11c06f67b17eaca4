package org.broadsheet.newsletter;

import static org.broadsheet.account.Role.Permission.*;

import java.util.List;
import org.broadsheet.newsroom.Navigation;
import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/**
 * The newsletter's routes: sign-up, double opt-in, preferences and one-click unsubscribe for
 * readers, the bounce webhook for the mail provider, and the newsroom's newsletters, subscribers,
 * mailings and outbox. Thread-safe.
 */
public final class NewsletterRoutes implements RouteModule {

  /** The newsroom's Newsletters entry. */
  public static final Navigation NAVIGATION =
      () ->
          List.of(
              new Navigation.Entry(
                  "newsletters",
                  "Newsletters",
                  "/admin/newsletters",
                  NEWSLETTERS,
                  Navigation.Group.AUDIENCE));

  private final NewsletterPages pages;
  private final NewsletterAdminPages admin;
  private final BounceWebhook bounces;

  public NewsletterRoutes(
      NewsletterPages pages, NewsletterAdminPages admin, BounceWebhook bounces) {
    this.pages = pages;
    this.admin = admin;
    this.bounces = bounces;
  }

  @Override
  public void addRoutes(Routes r) {
    r.get("/subscribe", pages::form);
    r.post("/subscribe", pages::subscribe);
    r.get("/newsletter/confirm", pages::confirmPage);
    r.post("/newsletter/confirm", pages::confirm);
    r.get("/newsletter/unsubscribe", pages::unsubscribePage);
    r.post("/newsletter/unsubscribe", pages::unsubscribe);
    r.get("/newsletter/preferences", pages::preferencesPage);
    r.post("/newsletter/preferences", pages::savePreferences);
    r.post("/api/newsletter/bounces", bounces::handle);

    r.get("/admin/newsletters", admin::overview, NEWSLETTERS);
    r.post("/admin/newsletters", admin::create, NEWSLETTERS);
    r.post("/admin/newsletters/welcome", admin::saveWelcome, NEWSLETTERS);
    r.post("/admin/newsletters/test", admin::sendTest, NEWSLETTERS);
    r.post("/admin/newsletters/{id}", admin::update, NEWSLETTERS);
    r.get("/admin/subscribers", admin::subscribers, NEWSLETTERS);
    r.get("/admin/subscribers/export.csv", admin::export, NEWSLETTERS);
    r.post("/admin/subscribers/import", admin::importCsv, NEWSLETTERS);
    r.post("/admin/subscribers/{id}/delete", admin::delete, NEWSLETTERS);
    r.post("/admin/subscribers/{id}/erase", admin::erase, NEWSLETTERS);
    r.get("/admin/campaigns", admin::campaigns, NEWSLETTERS);
    r.get("/admin/outbox", admin::outbox, NEWSLETTERS);
    r.get("/admin/outbox/{id}", admin::message, NEWSLETTERS);
  }
}
