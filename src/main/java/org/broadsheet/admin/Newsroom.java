package org.broadsheet.admin;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Sessions;

/**
 * The newsroom in one piece: its services and every {@code /admin} route. Each route's handler
 * checks the permission it needs first (see {@link AdminAccess#require}); the table below is the
 * whole admin URL space.
 */
public record Newsroom(
    Accounts accounts,
    Sessions sessions,
    Audit audit,
    AdminAccess access,
    AccountPages account,
    ArticleAdmin articles,
    ModerationPages moderation,
    TaxonomyPages taxonomy,
    MediaPages media,
    SettingsPages settings,
    ImportPages imports,
    NewsletterAdmin newsletters) {

  public void register(JavalinConfig config) {
    config.routes.exception(
        AdminAccess.SignInFirst.class,
        (e, ctx) -> {
          ctx.header("Cache-Control", "no-store");
          ctx.redirect(e.location());
        });
    var r = config.routes;
    r.get("/admin/setup", account::setupForm);
    r.post("/admin/setup", account::setup);
    r.get("/admin/sign-in", account::signInForm);
    r.post("/admin/sign-in", account::signIn);
    r.post("/admin/sign-out", account::signOut);
    r.post("/admin/sign-out-everywhere", account::signOutEverywhere);
    r.get("/admin/password/forgot", account::forgotForm);
    r.post("/admin/password/forgot", account::forgot);
    r.get("/admin/password/reset", account::resetForm);
    r.post("/admin/password/reset", account::reset);
    r.get("/admin", account::dashboard);
    r.get("/admin/users", account::users);
    r.post("/admin/users", account::invite);
    r.post("/admin/users/{id}/role", account::changeRole);
    r.post("/admin/users/{id}/deactivate", ctx -> account.setActive(ctx, false));
    r.post("/admin/users/{id}/activate", ctx -> account.setActive(ctx, true));
    r.get("/admin/audit", account::auditLog);
    r.get("/admin/articles", articles::list);
    r.post("/admin/articles", articles::save);
    r.get("/admin/articles/new", articles::newForm);
    r.post("/admin/articles/bulk", articles::bulk);
    r.get("/admin/articles/{id}", articles::editForm);
    r.post("/admin/articles/{id}", articles::save);
    r.get("/admin/articles/{id}/preview", articles::preview);
    r.post("/admin/articles/{id}/corrections", articles::correct);
    r.post("/admin/articles/{id}/erase", articles::erase);
    r.post("/admin/articles/{id}/related", articles::decideRelated);
    r.post("/admin/articles/{id}/autosave", articles::autosave);
    r.get("/admin/articles/{id}/revisions/{revision}", articles::showRevision);
    r.post("/admin/articles/{id}/revisions/{revision}/restore", articles::restore);
    r.post("/admin/api/markdown", articles::renderMarkdown);
    r.get("/admin/comments", moderation::queue);
    r.post("/admin/comments/bulk", moderation::bulk);
    r.post("/admin/comments/block", moderation::block);
    r.post("/admin/comments/block/{id}/remove", moderation::unblock);
    r.post("/admin/comments/{id}/reply", moderation::reply);
    r.get("/admin/taxonomy", taxonomy::page);
    r.post("/admin/sections", taxonomy::createSection);
    r.post("/admin/sections/{id}", taxonomy::updateSection);
    r.post("/admin/authors", taxonomy::createAuthor);
    r.post("/admin/authors/{id}", taxonomy::updateAuthor);
    r.post("/admin/tags/{id}", taxonomy::renameTag);
    r.get("/admin/media", media::page);
    r.post("/admin/media", media::upload);
    r.post("/admin/media/{id}", media::updateText);
    r.post("/admin/media/{id}/delete", media::delete);
    r.get("/media/{file}", media::serve);
    r.get("/admin/settings", settings::page);
    r.post("/admin/settings", settings::save);
    r.post("/admin/settings/test-mail", settings::testMail);
    r.get("/admin/import", imports::page);
    r.post("/admin/import", imports::run);
    r.get("/admin/newsletters", newsletters::overview);
    r.post("/admin/newsletters", newsletters::create);
    r.post("/admin/newsletters/welcome", newsletters::saveWelcome);
    r.post("/admin/newsletters/test", newsletters::sendTest);
    r.post("/admin/newsletters/{id}", newsletters::update);
    r.get("/admin/subscribers", newsletters::subscribers);
    r.get("/admin/subscribers/export.csv", newsletters::export);
    r.post("/admin/subscribers/import", newsletters::importCsv);
    r.post("/admin/subscribers/{id}/delete", newsletters::delete);
    r.post("/admin/subscribers/{id}/erase", newsletters::erase);
    r.get("/admin/campaigns", newsletters::campaigns);
    r.get("/admin/outbox", newsletters::outbox);
    r.get("/admin/outbox/{id}", newsletters::message);
    r.get("/admin/*", Newsroom::notFound);
  }

  private static void notFound(Context ctx) {
    throw org.broadsheet.web.HttpError.notFound();
  }
}
