package org.broadsheet.newsletter;

import static org.broadsheet.account.Role.Permission.NEWSLETTERS;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.broadsheet.newsroom.ApiAccess;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.Api;
import org.broadsheet.web.ApiDoc;
import org.broadsheet.web.ApiOperation;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Routes;

/**
 * Newsletter subscribers in the Admin API: the list, an import that carries each person's consent
 * (checked whole before anything is written, as the newsroom's CSV import), and unsubscribing.
 * Thread-safe.
 */
public final class SubscriberApi {

  @ApiDoc("A newsletter subscriber.")
  public record ApiSubscriber(
      @ApiDoc(value = "the subscriber's id", example = "31") long id,
      @ApiDoc(value = "their address", example = "reader@example.org", required = true)
          String email,
      @ApiDoc(value = "their name", example = "Rita Reader") String name,
      @ApiDoc(
              value = "their consent",
              example = "confirmed",
              allowed = {"pending", "confirmed", "unsubscribed", "bounced", "complained"},
              required = true)
          String status,
      @ApiDoc(value = "newsletters (slugs)", example = "[\"morning\"]") List<String> newsletters,
      @ApiDoc(value = "when they signed up", example = "2026-11-02T08:00:00Z") Instant createdAt,
      @ApiDoc(value = "when they confirmed", example = "2026-11-02T08:03:00Z")
          Instant confirmedAt) {}

  @ApiDoc("A page of subscribers.")
  public record ApiSubscriberList(
      @ApiDoc(value = "the subscribers", required = true) List<ApiSubscriber> items,
      @ApiDoc(value = "how many match in all", example = "1250") int total,
      @ApiDoc(value = "the offset of the next page; absent on the last", example = "100")
          Integer next) {}

  @ApiDoc("One person to import, with the consent they gave.")
  public record ApiSubscriberImportRow(
      @ApiDoc(value = "their address", example = "reader@example.org", required = true)
          String email,
      @ApiDoc(
              value = "their consent as recorded where they come from",
              example = "confirmed",
              allowed = {"pending", "confirmed", "unsubscribed", "bounced", "complained"},
              required = true)
          String status,
      @ApiDoc(value = "their name", example = "Rita Reader") String name,
      @ApiDoc(value = "newsletters (slugs)", example = "[\"morning\"]") List<String> newsletters,
      @ApiDoc(value = "sections they follow (slugs)", example = "[\"city\"]")
          List<String> sections) {}

  @ApiDoc("Subscribers to import; nothing is written when any row is refused.")
  public record ApiSubscriberImport(
      @ApiDoc(value = "the people", required = true) List<ApiSubscriberImportRow> subscribers,
      @ApiDoc(value = "check only, write nothing", example = "false") Boolean dryRun) {}

  @ApiDoc("What an import did (or would do, on a dry run).")
  public record ApiImportReport(
      @ApiDoc(value = "new subscribers", example = "12") int added,
      @ApiDoc(value = "subscribers whose details changed", example = "3") int updated,
      @ApiDoc(value = "subscribers left as they were", example = "1") int kept,
      @ApiDoc(value = "notes on particular rows", example = "[]") List<String> notes) {}

  static final String TAG = "Subscribers (admin)";

  public static final ApiOperation LIST =
      ApiOperation.get("/api/v1/admin/subscribers", "listSubscribers")
          .tag(TAG)
          .summary("Subscribers, newest first")
          .query("q", String.class, "part of an address or name", "example.org")
          .query("status", String.class, "only this consent status", "confirmed")
          .query("limit", Integer.class, "subscribers per page, 1 to 500 (100)", "100")
          .query("offset", Integer.class, "where the page starts (the previous page's next)", "0")
          .answers(ApiSubscriberList.class)
          .needs(NEWSLETTERS)
          .build();

  public static final ApiOperation IMPORT =
      ApiOperation.post("/api/v1/admin/subscribers/import", "importSubscribers")
          .tag(TAG)
          .summary("Import subscribers with their consent")
          .description(
              "Checked whole first: one bad row and nothing is written. Imported people get no"
                  + " mail about it. At most 200,000 rows.")
          .body(ApiSubscriberImport.class)
          .answers(ApiImportReport.class)
          .needs(NEWSLETTERS)
          .build();

  public static final ApiOperation UNSUBSCRIBE =
      ApiOperation.post("/api/v1/admin/subscribers/{id}/unsubscribe", "unsubscribeSubscriber")
          .tag(TAG)
          .summary("Unsubscribe someone from every newsletter")
          .path("id", Long.class, "the subscriber's id", "31")
          .answers(ApiSubscriber.class)
          .needs(NEWSLETTERS)
          .build();

  public static final List<ApiOperation> OPERATIONS = List.of(LIST, IMPORT, UNSUBSCRIBE);

  private final SubscriberDirectory directory;
  private final Subscriptions subscriptions;
  private final ApiAccess access;

  public SubscriberApi(
      SubscriberDirectory directory, Subscriptions subscriptions, ApiAccess access) {
    this.directory = directory;
    this.subscriptions = subscriptions;
    this.access = access;
  }

  public void addRoutes(Routes r) {
    r.api(LIST, this::list);
    r.api(IMPORT, this::importRows);
    r.api(UNSUBSCRIBE, this::unsubscribe);
  }

  private void list(Context ctx) {
    int limit = Api.limit(ctx, 100, 500);
    int offset = Api.offset(ctx);
    String status = ctx.queryParam("status");
    if (status != null && !status.isBlank() && !SubscriberDirectory.STATUSES.contains(status)) {
      throw HttpError.badRequest("status is one of " + SubscriberDirectory.STATUSES + ".");
    }
    SubscriberDirectory.Result found =
        directory.search(
            ctx.queryParam("q") == null ? "" : ctx.queryParam("q"),
            status == null ? "" : status,
            limit,
            offset);
    List<ApiSubscriber> items =
        found.rows().stream().map(row -> view(row.subscriber(), row.newsletters())).toList();
    Api.send(
        ctx,
        200,
        new ApiSubscriberList(
            items, found.total(), offset + items.size() < found.total() ? offset + limit : null));
  }

  private void importRows(Context ctx) {
    ApiSubscriberImport input = Api.read(ctx, ApiSubscriberImport.class);
    if (input.subscribers() == null || input.subscribers().isEmpty()) {
      throw new ValidationException(Map.of("subscribers", "Send at least one subscriber."));
    }
    StringWriter csv = new StringWriter();
    try (CSVPrinter out =
        CSVFormat.DEFAULT
            .builder()
            .setHeader("email", "status", "name", "newsletters", "sections")
            .get()
            .print(csv)) {
      for (ApiSubscriberImportRow row : input.subscribers()) {
        out.printRecord(
            row.email() == null ? "" : row.email(),
            row.status() == null ? "" : row.status(),
            row.name() == null ? "" : row.name(),
            row.newsletters() == null ? "" : String.join(";", row.newsletters()),
            row.sections() == null ? "" : String.join(";", row.sections()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    SubscriberDirectory.ImportReport report;
    try {
      report =
          directory.importCsv(
              new StringReader(csv.toString()),
              Boolean.TRUE.equals(input.dryRun()),
              "API import",
              access.caller(ctx).actor(access.address(ctx)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Api.send(
        ctx,
        200,
        new ApiImportReport(report.added(), report.updated(), report.kept(), report.notes()));
  }

  private void unsubscribe(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new HttpError(404, "Not found", "No subscriber has that id.");
    }
    Subscriber s =
        subscriptions
            .unsubscribe(id, access.caller(ctx).actor(access.address(ctx)))
            .orElseThrow(() -> new HttpError(404, "Not found", "No subscriber has that id."));
    Api.send(ctx, 200, view(s, List.of()));
  }

  private static ApiSubscriber view(Subscriber s, List<String> newsletters) {
    return new ApiSubscriber(
        s.id(),
        s.email(),
        s.name() == null || s.name().isEmpty() ? null : s.name(),
        s.status(),
        newsletters.isEmpty() ? null : newsletters,
        s.createdAt(),
        s.confirmedAt());
  }
}
