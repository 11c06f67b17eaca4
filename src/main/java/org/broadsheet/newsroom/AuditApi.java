package org.broadsheet.newsroom;

import static org.broadsheet.account.Role.Permission.SETTINGS;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.broadsheet.account.Audit;
import org.broadsheet.web.Api;
import org.broadsheet.web.ApiDoc;
import org.broadsheet.web.ApiOperation;
import org.broadsheet.web.Routes;

/** The audit log in the Admin API, newest first: who did what, when, from where. Thread-safe. */
public final class AuditApi {

  @ApiDoc("One entry of the audit log.")
  public record ApiAuditEntry(
      @ApiDoc(value = "its id", example = "901") long id,
      @ApiDoc(value = "who (empty for the system)", example = "eda@example.org") String who,
      @ApiDoc(value = "what was done", example = "article.publish", required = true) String action,
      @ApiDoc(value = "what it was done to", example = "article:42 River wall holds") String target,
      @ApiDoc(value = "details", example = "status=published") String detail,
      @ApiDoc(
              value = "from where: an address, or an API key's name and address",
              example = "API key \u201cWire importer\u201d (bs_7f3a9c2e01) from 203.0.113.9")
          String from,
      @ApiDoc(value = "when", example = "2026-12-01T07:30:00Z") Instant at) {}

  @ApiDoc("A page of the audit log.")
  public record ApiAuditList(
      @ApiDoc(value = "the entries, newest first", required = true) List<ApiAuditEntry> items,
      @ApiDoc(value = "the offset of the next page; absent on the last", example = "100")
          Integer next) {}

  public static final ApiOperation LIST =
      ApiOperation.get("/api/v1/admin/audit", "listAudit")
          .tag("Audit (admin)")
          .summary("The audit log, newest first")
          .query("limit", Integer.class, "entries per page, 1 to 500 (100)", "100")
          .query("offset", Integer.class, "where the page starts (the previous page's next)", "0")
          .answers(ApiAuditList.class)
          .needs(SETTINGS)
          .build();

  public static final List<ApiOperation> OPERATIONS = List.of(LIST);

  private final Audit audit;

  public AuditApi(Audit audit) {
    this.audit = audit;
  }

  public void addRoutes(Routes r) {
    r.api(LIST, this::list);
  }

  private void list(Context ctx) {
    int limit = Api.limit(ctx, 100, 500);
    int offset = Api.offset(ctx);
    List<Audit.Entry> found = audit.latest(limit + 1, offset);
    List<ApiAuditEntry> items =
        found.stream()
            .limit(limit)
            .map(
                e ->
                    new ApiAuditEntry(
                        e.id(),
                        e.userEmail() == null || e.userEmail().isEmpty() ? null : e.userEmail(),
                        e.action(),
                        e.target(),
                        e.detail() == null || e.detail().isEmpty() ? null : e.detail(),
                        e.ip(),
                        e.at()))
            .toList();
    Api.send(ctx, 200, new ApiAuditList(items, found.size() > limit ? offset + limit : null));
  }
}
