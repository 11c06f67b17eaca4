package org.broadsheet.importer;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.web.ClientAddress;

/**
 * WordPress import from the browser, for exports up to the upload limit (larger ones and images
 * from an uploads folder go through {@code broadsheet import-wxr}). A dry run shows what would be
 * created and skipped; the real run shows what was. Admins only. Thread-safe.
 */
public final class ImportPages implements org.broadsheet.web.RouteModule {

  /** The newsroom's Import entry. */
  public static final org.broadsheet.newsroom.Navigation NAVIGATION =
      () ->
          List.of(
              new org.broadsheet.newsroom.Navigation.Entry(
                  "import",
                  "Import",
                  "/admin/import",
                  Role.Permission.SETTINGS,
                  org.broadsheet.newsroom.Navigation.Group.SITE));

  public record Page(NewsroomView view, WxrImporter.Report report) {}

  private final WxrImporter importer;
  private final NewsroomAccess access;
  private final Audit audit;
  private final NewsroomFrame frame;

  public ImportPages(
      WxrImporter importer, NewsroomAccess access, Audit audit, NewsroomFrame frame) {
    this.importer = importer;
    this.access = access;
    this.audit = audit;
    this.frame = frame;
  }

  @Override
  public void addRoutes(org.broadsheet.web.Routes r) {
    r.get("/admin/import", this::page, Role.Permission.SETTINGS);
    r.post("/admin/import", this::run, Role.Permission.SETTINGS);
  }

  public void page(Context ctx) {
    frame.render(
        ctx,
        "importer/newsroom/import.jte",
        new Page(frame.view(ctx, "Import from WordPress", "import"), null),
        200);
  }

  public synchronized void run(Context ctx) {
    Sessions.Current session = access.member(ctx);
    boolean dryRun = "1".equals(ctx.formParam("dryRun"));
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      frame.render(
          ctx,
          "importer/newsroom/import.jte",
          new Page(
              frame
                  .view(ctx, "Import from WordPress", "import")
                  .withForm(
                      Map.of(),
                      Map.of("file", "Choose the .xml file WordPress exported (Tools → Export).")),
              null),
          422);
      return;
    }
    Path temp = null;
    try (InputStream in = file.content()) {
      temp = Files.createTempFile("broadsheet-wxr-", ".xml");
      Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      WxrImporter.Report report = importer.run(temp, null, dryRun, title -> {});
      audit.record(
          Actor.of(session.user(), ClientAddress.of(ctx)),
          dryRun ? "import.wxr-dry-run" : "import.wxr",
          file.filename(),
          report.summary());
      frame.render(
          ctx,
          "importer/newsroom/import.jte",
          new Page(frame.view(ctx, "Import from WordPress", "import"), report),
          200);
    } catch (WxrReader.WxrException e) {
      frame.render(
          ctx,
          "importer/newsroom/import.jte",
          new Page(
              frame
                  .view(ctx, "Import from WordPress", "import")
                  .withForm(Map.of(), Map.of("file", e.getMessage())),
              null),
          422);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }
}
