package org.broadsheet.media;

import static org.broadsheet.account.Role.Permission.MEDIA;

import io.javalin.http.Context;
import java.util.List;
import org.broadsheet.newsroom.ApiAccess;
import org.broadsheet.web.Api;
import org.broadsheet.web.ApiDoc;
import org.broadsheet.web.ApiOperation;
import org.broadsheet.web.Routes;

/**
 * Uploading images through the Admin API: the file's bytes as the body, its text in the query; the
 * same checks, copies and audit entry as an upload in the newsroom. Thread-safe.
 */
public final class MediaApi {

  @ApiDoc("An image in the media library.")
  public record ApiMedia(
      @ApiDoc(value = "its id", example = "12") long id,
      @ApiDoc(
              value = "its address on this site, for a story's image or body",
              example = "/media/2026/12/ab12.jpg",
              required = true)
          String url,
      @ApiDoc(value = "width in pixels", example = "1600") int width,
      @ApiDoc(value = "height in pixels", example = "900") int height,
      @ApiDoc(value = "what it shows", example = "Sandbags along the quay") String alt,
      @ApiDoc(value = "who made it", example = "Photo: Ben Lens") String credit,
      @ApiDoc(value = "widths of the smaller copies", example = "[480, 800, 1200]")
          List<Integer> sizes) {}

  @ApiDoc("An image to upload, as a multipart form.")
  public record ApiMediaUpload(
      @ApiDoc(value = "the image file (JPEG, PNG, GIF or WebP, up to 20 MB)", required = true)
          ApiOperation.FileField file,
      @ApiDoc(
              value = "what it shows, for readers who cannot see it",
              example = "Sandbags along the quay",
              required = true)
          String alt,
      @ApiDoc(value = "who made it", example = "Photo: Ben Lens") String credit) {}

  public static final ApiOperation UPLOAD =
      ApiOperation.post("/api/v1/admin/media", "uploadMedia")
          .tag("Media (admin)")
          .summary("Upload an image (JPEG, PNG, GIF or WebP)")
          .description(
              "A multipart form with the file and its alt text (required) and credit; smaller"
                  + " copies are made for every screen.")
          .body(ApiMediaUpload.class)
          .created(ApiMedia.class)
          .needs(MEDIA)
          .build();

  public static final List<ApiOperation> OPERATIONS = List.of(UPLOAD);

  private final MediaLibrary media;
  private final ApiAccess access;

  public MediaApi(MediaLibrary media, ApiAccess access) {
    this.media = media;
    this.access = access;
  }

  public void addRoutes(Routes r) {
    r.api(UPLOAD, this::upload);
  }

  private void upload(Context ctx) {
    String type = ctx.contentType();
    if (type == null || !type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
      throw new org.broadsheet.web.HttpError(
          415,
          "Send a form",
          "Send the image as multipart/form-data with the fields file, alt and credit.");
    }
    io.javalin.http.UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      throw new org.broadsheet.support.ValidationException(
          java.util.Map.of("file", "Attach the image as the form's \"file\" field."));
    }
    Media m;
    try (java.io.InputStream body = file.content()) {
      m =
          media.upload(
              file.filename(),
              body,
              ctx.formParam("alt"),
              ctx.formParam("credit"),
              access.caller(ctx).actor(access.address(ctx)));
    } catch (java.io.IOException e) {
      throw org.broadsheet.web.HttpError.badRequest("The upload could not be read.");
    }
    ctx.header("Location", m.url());
    Api.send(
        ctx,
        201,
        new ApiMedia(
            m.id(),
            m.url(),
            m.width(),
            m.height(),
            m.alt(),
            m.credit() == null || m.credit().isEmpty() ? null : m.credit(),
            m.sizes()));
  }
}
