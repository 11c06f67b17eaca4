package org.broadsheet.admin;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.importer.WxrImporter;
import org.broadsheet.importer.WxrReader;

/**
 * WordPress import from the browser, for exports up to the upload limit (larger ones and images
 * from an uploads folder go through {@code broadsheet import-wxr}). A dry run shows what would be
 * created and skipped; the real run shows what was. Admins only. Thread-safe.
 */
public final class ImportPages {

  public record Page(AdminView view, WxrImporter.Report report) {}

  private final WxrImporter importer;
  private final AdminAccess access;
  private final Audit audit;
  private final AccountPages frame;
  private final java.util.function.Function<Context, String> clientIp;

  public ImportPages(
      WxrImporter importer,
      AdminAccess access,
      Audit audit,
      AccountPages frame,
      java.util.function.Function<Context, String> clientIp) {
    this.importer = importer;
    this.access = access;
    this.audit = audit;
    this.frame = frame;
    this.clientIp = clientIp;
  }

  public void page(Context ctx) {
    access.require(ctx, Role.Permission.SETTINGS);
    frame.render(
        ctx,
        "admin/import.jte",
        new Page(frame.view(ctx, "Import from WordPress", "import"), null),
        200);
  }

  public synchronized void run(Context ctx) {
    Sessions.Current session = access.require(ctx, Role.Permission.SETTINGS);
    boolean dryRun = "1".equals(ctx.formParam("dryRun"));
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      frame.render(
          ctx,
          "admin/import.jte",
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
          session.user(),
          dryRun ? "import.wxr-dry-run" : "import.wxr",
          file.filename(),
          report.summary(),
          clientIp.apply(ctx));
      frame.render(
          ctx,
          "admin/import.jte",
          new Page(frame.view(ctx, "Import from WordPress", "import"), report),
          200);
    } catch (WxrReader.WxrException e) {
      frame.render(
          ctx,
          "admin/import.jte",
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

  static List<String> none() {
    return List.of();
  }
}
