package org.broadsheet.article;

import static org.broadsheet.account.Role.Permission.*;

import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/**
 * The article feature's routes: the reader's front page, articles and lists, and the newsroom's
 * article list, editor, revisions and taxonomy. Thread-safe.
 */
public final class ArticleRoutes implements RouteModule {

  private final ArticlePages pages;
  private final ArticleAdminPages admin;
  private final TaxonomyPages taxonomy;
  private final FrontPages fronts;

  public ArticleRoutes(
      ArticlePages pages, ArticleAdminPages admin, TaxonomyPages taxonomy, FrontPages fronts) {
    this.pages = pages;
    this.admin = admin;
    this.taxonomy = taxonomy;
    this.fronts = fronts;
  }

  @Override
  public void addRoutes(Routes r) {
    r.page("/", pages::home);
    r.page("/section/{slug}", pages::section);
    r.page("/tag/{slug}", pages::tag);
    r.page("/author/{slug}", pages::author);
    r.page("/{section}/{year}/{month}/{day}/{slug}", pages::article);
    r.get("/live/{id}/events", pages::liveEvents);

    r.get("/admin/articles", admin::list, WRITE_OWN);
    r.post("/admin/articles", admin::save, WRITE_OWN);
    r.get("/admin/articles/new", admin::newForm, WRITE_OWN);
    r.post("/admin/articles/bulk", admin::bulk, PUBLISH);
    r.get("/admin/articles/{id}", admin::editForm, WRITE_OWN);
    r.post("/admin/articles/{id}", admin::save, WRITE_OWN);
    r.get("/admin/articles/{id}/preview", admin::preview, WRITE_OWN);
    r.post("/admin/articles/{id}/corrections", admin::correct, PUBLISH);
    r.post("/admin/articles/{id}/erase", admin::erase, EDIT_ALL);
    r.post("/admin/articles/{id}/related", admin::decideRelated, PUBLISH);
    r.post("/admin/articles/{id}/autosave", admin::autosave, WRITE_OWN);
    r.post("/admin/articles/{id}/discard", admin::discard, WRITE_OWN);
    r.get("/admin/articles/{id}/live", admin::liveDesk, PUBLISH);
    r.post("/admin/articles/{id}/live/start", admin::liveStart, PUBLISH);
    r.post("/admin/articles/{id}/live/close", admin::liveClose, PUBLISH);
    r.post("/admin/articles/{id}/live/updates", admin::livePost, PUBLISH);
    r.post("/admin/articles/{id}/live/updates/{update}", admin::liveUpdate, PUBLISH);
    r.get("/admin/articles/{id}/revisions/{revision}", admin::showRevision, WRITE_OWN);
    r.post("/admin/articles/{id}/revisions/{revision}/restore", admin::restore, WRITE_OWN);
    r.post("/admin/api/markdown", admin::renderMarkdown, WRITE_OWN);

    r.get("/admin/front", fronts::page, EDIT_ALL);
    r.post("/admin/front", fronts::save, EDIT_ALL);
    r.post("/admin/front/preview", fronts::preview, EDIT_ALL);
    r.get("/admin/taxonomy", taxonomy::page, TAXONOMY);
    r.post("/admin/sections", taxonomy::createSection, TAXONOMY);
    r.post("/admin/sections/{id}", taxonomy::updateSection, TAXONOMY);
    r.post("/admin/authors", taxonomy::createAuthor, TAXONOMY);
    r.post("/admin/authors/{id}", taxonomy::updateAuthor, TAXONOMY);
    r.post("/admin/tags/{id}", taxonomy::renameTag, TAXONOMY);
  }
}
