package org.broadsheet.media;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;

/**
 * The media library in the newsroom (upload with alt text, edit texts, delete) and the public
 * {@code /media/{file}} route that serves the stored files with {@code nosniff} and a long cache
 * life (names are random and files never change). Thread-safe.
 */
public final class MediaPages implements org.broadsheet.web.RouteModule {

  /** The newsroom's Media entry. */
  public static final org.broadsheet.newsroom.Navigation NAVIGATION =
      () ->
          List.of(
              new org.broadsheet.newsroom.Navigation.Entry(
                  "media",
                  "Media",
                  "/admin/media",
                  Role.Permission.MEDIA,
                  org.broadsheet.newsroom.Navigation.Group.CONTENT));

  /** The library; {@code editableBy} is the member's id, or null when they may edit any image. */
  public record Page(NewsroomView view, List<Media> media, Long editableBy) {

    public boolean mayEdit(Media m) {
      return editableBy == null || editableBy.equals(m.uploadedBy());
    }
  }

  private final MediaLibrary library;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;

  public MediaPages(MediaLibrary library, NewsroomAccess access, NewsroomFrame frame) {
    this.library = library;
    this.access = access;
    this.frame = frame;
  }

  @Override
  public void addRoutes(org.broadsheet.web.Routes r) {
    r.get("/admin/media", this::page, Role.Permission.MEDIA);
    r.post("/admin/media", this::upload, Role.Permission.MEDIA);
    r.post("/admin/media/{id}", this::updateText, Role.Permission.MEDIA);
    r.get("/admin/api/media", this::pickable, Role.Permission.MEDIA);
    r.post("/admin/api/media", this::uploadJson, Role.Permission.MEDIA);
    r.post("/admin/media/{id}/delete", this::delete, Role.Permission.TAXONOMY);
    r.page("/media/{file}", this::serve);
  }

  public void page(Context ctx) {
    show(ctx, Map.of(), Map.of(), 200);
  }

  private void show(
      Context ctx, Map<String, String> values, Map<String, String> errors, int status) {
    frame.render(
        ctx,
        "media/newsroom/media.jte",
        new Page(
            frame.view(ctx, "Media", "media").withForm(values, errors),
            library.latest(60, 0),
            access.member(ctx).user().can(Role.Permission.EDIT_ALL)
                ? null
                : access.member(ctx).user().id()),
        status);
  }

  public void upload(Context ctx) {
    Sessions.Current session = access.member(ctx);
    String alt = Optional.ofNullable(ctx.formParam("alt")).orElse("");
    String credit = Optional.ofNullable(ctx.formParam("credit")).orElse("");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("alt", alt);
    values.put("credit", credit);
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      show(ctx, values, Map.of("file", "Choose an image file (JPEG, PNG, GIF or WebP)."), 422);
      return;
    }
    try (InputStream in = file.content()) {
      Media media =
          library.upload(
              file.filename(), in, alt, credit, Actor.of(session.user(), ClientAddress.of(ctx)));
      ctx.redirect("/admin/media?done=saved#media-" + media.id(), HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      show(ctx, values, e.fieldErrors(), 422);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One picture for the editor's picker, as JSON. */
  public record Pickable(
      long id, String url, String thumb, String alt, String credit, int width, int height) {
    static Pickable of(Media m) {
      return new Pickable(
          m.id(),
          m.url(),
          m.url(480),
          m.alt(),
          m.credit() == null ? "" : m.credit(),
          m.width(),
          m.height());
    }
  }

  /** GET /admin/api/media?q=: the newest pictures (up to 60), those whose text matches q. */
  public void pickable(Context ctx) {
    access.member(ctx);
    String q =
        Optional.ofNullable(ctx.queryParam("q"))
            .orElse("")
            .strip()
            .toLowerCase(java.util.Locale.ROOT);
    List<Pickable> found =
        library.latest(q.isEmpty() ? 60 : 500, 0).stream()
            .filter(
                m ->
                    q.isEmpty()
                        || (m.alt() + " " + m.credit() + " " + m.originalName())
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains(q))
            .limit(60)
            .map(Pickable::of)
            .toList();
    ctx.header("Cache-Control", "no-store");
    ctx.json(Map.of("media", found));
  }

  /**
   * POST /admin/api/media (multipart: file, alt, credit): the editor's drag-and-drop and paste
   * upload; the picture as JSON, or 422 with the errors by field.
   */
  public void uploadJson(Context ctx) {
    Sessions.Current session = access.member(ctx);
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      ctx.status(422)
          .json(Map.of("errors", Map.of("file", "Choose an image file (JPEG, PNG, GIF or WebP).")));
      return;
    }
    try (InputStream in = file.content()) {
      Media media =
          library.upload(
              file.filename(),
              in,
              Optional.ofNullable(ctx.formParam("alt")).orElse(""),
              Optional.ofNullable(ctx.formParam("credit")).orElse(""),
              Actor.of(session.user(), ClientAddress.of(ctx)));
      ctx.status(201).json(Pickable.of(media));
    } catch (ValidationException e) {
      ctx.status(422).json(Map.of("errors", e.fieldErrors()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void updateText(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    try {
      library.updateText(
          id,
          ctx.formParam("alt"),
          ctx.formParam("credit"),
          Actor.of(session.user(), ClientAddress.of(ctx)),
          session.user().can(Role.Permission.EDIT_ALL));
    } catch (MediaLibrary.NotYours e) {
      throw new HttpError(403, "Not allowed", e.getMessage());
    } catch (ValidationException e) {
      throw new HttpError(422, "Not saved", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/media?done=saved#media-" + id, HttpStatus.SEE_OTHER);
  }

  public void delete(Context ctx) {
    Sessions.Current session = access.member(ctx);
    long id = Forms.pathId(ctx, "id");
    try {
      library.delete(id, Actor.of(session.user(), ClientAddress.of(ctx)));
    } catch (ValidationException e) {
      throw new HttpError(409, "Still in use", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/media?done=saved", HttpStatus.SEE_OTHER);
  }

  /** GET /media/{file}: only generated names, never a path. */
  public void serve(Context ctx) {
    Path path = library.file(ctx.pathParam("file")).orElseThrow(HttpError::notFound);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "public, max-age=31536000, immutable");
    ctx.header("Content-Disposition", "inline");
    ctx.contentType(MediaLibrary.contentType(path));
    try {
      ctx.result(Files.newInputStream(path));
    } catch (IOException e) {
      throw HttpError.notFound();
    }
  }
}
