package org.broadsheet.article;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Sessions;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.site.Section;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;

/**
 * Sections and author profiles: create them, rename them, describe them. Slugs are fixed once
 * created because they are part of published addresses. Editors and admins. Thread-safe.
 */
public final class TaxonomyPages {

  public record Page(
      NewsroomView view,
      List<Section> sections,
      List<Author> authors,
      Map<Long, String> photos,
      List<Map.Entry<org.broadsheet.article.Tag, Integer>> tags) {}

  private final ArticleService articles;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;

  public TaxonomyPages(ArticleService articles, NewsroomAccess access, NewsroomFrame frame) {
    this.articles = articles;
    this.access = access;
    this.frame = frame;
  }

  public void page(Context ctx) {
    show(ctx, Map.of(), Map.of(), 200);
  }

  private void show(
      Context ctx, Map<String, String> values, Map<String, String> errors, int status) {
    frame.render(
        ctx,
        "article/newsroom/taxonomy.jte",
        new Page(
            frame.view(ctx, "Sections and authors", "taxonomy").withForm(values, errors),
            articles.sections(),
            articles.authors(),
            photos(),
            articles.tagsWithCounts()),
        status);
  }

  private Map<Long, String> photos() {
    Map<Long, String> photos = new java.util.HashMap<>();
    for (Author a : articles.authors()) {
      photos.put(a.id(), articles.authorPhoto(a.id()));
    }
    return photos;
  }

  private static Actor actor(Context ctx, Sessions.Current session) {
    return Actor.of(session.user(), ClientAddress.of(ctx));
  }

  private static String form(Context ctx, String name) {
    return Optional.ofNullable(ctx.formParam(name)).orElse("");
  }

  public void createSection(Context ctx) {
    Sessions.Current session = access.member(ctx);
    try {
      articles.createSection(
          form(ctx, "slug"), form(ctx, "name"), form(ctx, "description"), actor(ctx, session));
      ctx.redirect("/admin/taxonomy?done=saved", HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      show(
          ctx,
          Map.of(
              "name",
              form(ctx, "name"),
              "slug",
              form(ctx, "slug"),
              "description",
              form(ctx, "description")),
          e.fieldErrors(),
          422);
    }
  }

  public void updateSection(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    try {
      articles.updateSection(id, form(ctx, "name"), form(ctx, "description"), actor(ctx, session));
    } catch (ValidationException e) {
      throw new HttpError(422, "Not saved", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/taxonomy?done=saved", HttpStatus.SEE_OTHER);
  }

  public void renameTag(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    try {
      articles.renameTag(id, form(ctx, "name"), actor(ctx, session));
    } catch (ValidationException e) {
      throw new HttpError(422, "Not saved", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/taxonomy?done=saved#tags-heading", HttpStatus.SEE_OTHER);
  }

  public void createAuthor(Context ctx) {
    Sessions.Current session = access.member(ctx);
    try {
      articles.createAuthor(
          form(ctx, "authorSlug"), form(ctx, "authorName"), form(ctx, "bio"), actor(ctx, session));
      ctx.redirect("/admin/taxonomy?done=saved", HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      show(
          ctx,
          Map.of(
              "authorName",
              form(ctx, "authorName"),
              "authorSlug",
              form(ctx, "authorSlug"),
              "bio",
              form(ctx, "bio")),
          e.fieldErrors(),
          422);
    }
  }

  public void updateAuthor(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    try {
      articles.updateAuthor(
          id, form(ctx, "name"), form(ctx, "bio"), form(ctx, "photo"), actor(ctx, session));
    } catch (ValidationException e) {
      throw new HttpError(422, "Not saved", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/taxonomy?done=saved", HttpStatus.SEE_OTHER);
  }
}
