package org.broadsheet.newsletter;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.site.Section;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The newsroom's view of subscribers: search, CSV export and import (with consent status), delete
 * and erase. An import is checked whole before anything is written; it never turns someone who
 * unsubscribed, bounced or complained back into a confirmed subscriber. Each write is one
 * transaction with its audit entry. Thread-safe.
 */
public final class SubscriberDirectory {

  public static final int MAX_IMPORT_ROWS = 200_000;
  public static final List<String> STATUSES =
      List.of("pending", "confirmed", "unsubscribed", "bounced", "complained");

  /** A subscriber with their choices, as listed. */
  public record Row(Subscriber subscriber, List<String> newsletters, List<String> sections) {}

  /** One page of a search. */
  public record Result(List<Row> rows, int total) {}

  /** What an import did, or would do. */
  public record ImportReport(int added, int updated, int kept, List<String> notes) {}

  private final Jdbi jdbi;
  private final Newsletters newsletters;
  private final Supplier<List<Section>> sections;
  private final Clock clock;
  private final Audit audit;
  private final SubscriberStore store = new SubscriberStore();
  private final BounceStore bounces = new BounceStore();

  public SubscriberDirectory(
      Jdbi jdbi,
      Newsletters newsletters,
      Supplier<List<Section>> sections,
      Clock clock,
      Audit audit) {
    this.jdbi = jdbi;
    this.newsletters = newsletters;
    this.sections = sections;
    this.clock = clock;
    this.audit = audit;
  }

  /** Subscribers whose address or name contains {@code query}, newest first. */
  public Result search(String query, String status, int limit, int offset) {
    String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    String st = STATUSES.contains(status) ? status : "";
    String like = "%" + q.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    return jdbi.withHandle(
        h -> {
          int total = store.countMatching(h, q, like, st);
          List<Subscriber> found = store.matching(h, q, like, st, limit, offset);
          return new Result(rows(h, found), total);
        });
  }

  private List<Row> rows(Handle h, List<Subscriber> found) {
    if (found.isEmpty()) {
      return List.of();
    }
    List<Long> ids = found.stream().map(Subscriber::id).toList();
    Map<Long, List<String>> letters = new HashMap<>();
    store
        .newsletterNames(h, ids)
        .forEach(
            e -> letters.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    Map<Long, List<String>> parts = new HashMap<>();
    store
        .sectionNames(h, ids)
        .forEach(e -> parts.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return found.stream()
        .map(
            s ->
                new Row(
                    s,
                    letters.getOrDefault(s.id(), List.of()),
                    parts.getOrDefault(s.id(), List.of())))
        .toList();
  }

  public Optional<Subscriber> byId(long id) {
    return jdbi.withHandle(h -> store.byId(h, id));
  }

  static final String[] HEADER = {
    "email",
    "name",
    "status",
    "frequency",
    "newsletters",
    "sections",
    "created_at",
    "confirmed_at",
    "consent_ip"
  };

  /** Every subscriber as CSV (UTF-8, RFC 4180), in id order, a page at a time. */
  public void exportCsv(Writer out) throws IOException {
    Map<Long, String> letterSlugs = new HashMap<>();
    newsletters.all().forEach(n -> letterSlugs.put(n.id(), n.slug()));
    Map<Long, String> sectionSlugs = new HashMap<>();
    sections.get().forEach(s -> sectionSlugs.put(s.id(), s.slug()));
    try (CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader(HEADER).get().print(out)) {
      long after = 0;
      while (true) {
        long from = after;
        List<Object[]> page =
            jdbi.withHandle(
                h -> {
                  Map<Long, String> ips = new HashMap<>();
                  List<Subscriber> found = new ArrayList<>();
                  for (SubscriberStore.Exported e : store.exportPage(h, from)) {
                    ips.put(e.subscriber().id(), e.consentIp());
                    found.add(e.subscriber());
                  }
                  List<Object[]> lines = new ArrayList<>();
                  if (found.isEmpty()) {
                    return lines;
                  }
                  long first = found.getFirst().id();
                  long last = found.getLast().id();
                  Map<Long, List<String>> letters =
                      named(store.newsletterPairs(h, first, last), letterSlugs);
                  Map<Long, List<String>> parts =
                      named(store.sectionPairs(h, first, last), sectionSlugs);
                  for (Subscriber s : found) {
                    lines.add(
                        new Object[] {
                          s.email(),
                          s.name(),
                          s.status(),
                          s.frequency(),
                          String.join(";", letters.getOrDefault(s.id(), List.of())),
                          String.join(";", parts.getOrDefault(s.id(), List.of())),
                          s.createdAt().toString(),
                          s.confirmedAt() == null ? "" : s.confirmedAt().toString(),
                          ips.get(s.id()),
                          s.id()
                        });
                  }
                  return lines;
                });
        if (page.isEmpty()) {
          return;
        }
        for (Object[] line : page) {
          csv.printRecord(
              safe(line[0]),
              safe(line[1]),
              line[2],
              line[3],
              line[4],
              line[5],
              line[6],
              line[7],
              line[8]);
          after = (Long) line[9];
        }
      }
    }
  }

  /** Pairs (subscriber, thing) grouped by subscriber, the thing named by its slug. */
  private static Map<Long, List<String>> named(
      List<Map.Entry<Long, Long>> pairs, Map<Long, String> slugs) {
    Map<Long, List<String>> out = new HashMap<>();
    pairs.forEach(
        e ->
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                .add(slugs.getOrDefault(e.getValue(), "?")));
    return out;
  }

  /** Keeps a spreadsheet from reading a cell as a formula (CSV injection). */
  private static String safe(Object value) {
    String text = String.valueOf(value);
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }

  /**
   * Imports subscribers from CSV with a header: {@code email} and {@code status} are required
   * (status is the consent: confirmed, pending, unsubscribed, bounced or complained); {@code name},
   * {@code frequency}, {@code newsletters} and {@code sections} (slugs separated by semicolons) are
   * optional. The file is checked whole first: any bad line and nothing is written, not even an
   * audit entry. Imported subscribers get no mail about it. The import (or the dry run) and its
   * audit entry are one transaction.
   *
   * @param dryRun check only: nothing changes but the audit entry
   * @param fileName the file's name, for the audit entry
   */
  public ImportReport importCsv(Reader in, boolean dryRun, String fileName, Actor actor)
      throws IOException {
    List<ImportRow> rows = parseImport(in);
    long now = clock.millis();
    return jdbi.inTransaction(
        h -> {
          // A dry run does the same work, so it meets the same rows and constraints, then undoes
          // it; only its audit entry stays.
          if (dryRun) {
            h.savepoint(DRY_RUN);
          }
          ImportReport report = writeImport(h, rows, now);
          if (dryRun) {
            h.rollbackToSavepoint(DRY_RUN);
          }
          audit.record(
              h,
              actor,
              dryRun ? "subscribers.import-dry-run" : "subscribers.import",
              fileName,
              report.added()
                  + " added, "
                  + report.updated()
                  + " updated, "
                  + report.kept()
                  + " kept");
          return report;
        });
  }

  /** One checked line of an import file. */
  private record ImportRow(
      String email,
      String name,
      String status,
      String frequency,
      List<Long> newsletters,
      List<Long> sections) {}

  /** What import lines may name: open newsletters and sections by slug. */
  private record ImportNames(
      Map<String, Long> letters, Map<String, Long> sections, List<Long> defaultLetters) {}

  /** Reads and checks the whole file; any bad line and it throws with every line's problem. */
  private List<ImportRow> parseImport(Reader in) throws IOException {
    Map<String, Long> letterIds = new HashMap<>();
    newsletters.open().forEach(n -> letterIds.put(n.slug(), n.id()));
    Map<String, Long> sectionIds = new HashMap<>();
    sections.get().forEach(s -> sectionIds.put(s.slug(), s.id()));
    ImportNames names =
        new ImportNames(
            letterIds,
            sectionIds,
            newsletters.open().stream().limit(1).map(Newsletter::id).toList());
    List<String> errors = new ArrayList<>();
    List<ImportRow> rows = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    long[] lastGoodLine = {1};
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();
    try (CSVParser parser = format.parse(in)) {
      Map<String, Integer> header = parser.getHeaderMap();
      if (header == null || !header.containsKey("email") || !header.containsKey("status")) {
        throw new ValidationException(
            Map.of(
                "file",
                "The first line must name the columns, with at least email and status (the consent:"
                    + " confirmed, pending, unsubscribed, bounced or complained)."));
      }
      for (CSVRecord record : parser) {
        lastGoodLine[0] = parser.getCurrentLineNumber();
        if (rows.size() >= MAX_IMPORT_ROWS) {
          throw new ValidationException(
              Map.of("file", "At most " + MAX_IMPORT_ROWS + " subscribers per file."));
        }
        String where = "Line " + parser.getCurrentLineNumber() + ": ";
        if (!record.isConsistent()) {
          errors.add(where + record.size() + " cells, the header has " + header.size() + ".");
          continue;
        }
        List<String> problems = new ArrayList<>();
        ImportRow row = importRow(record, names, seen, problems);
        problems.forEach(p -> errors.add(where + p));
        if (row != null && problems.isEmpty()) {
          rows.add(row);
        }
      }
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      // The parser's own words (class names, tokens) mean nothing to an editor: say where.
      throw new ValidationException(
          Map.of(
              "file",
              "Nothing was imported: the file is not readable as CSV after line "
                  + lastGoodLine[0]
                  + " (a quote that is never closed, or text right after a closing quote). Save it"
                  + " again as CSV from your spreadsheet and upload it."));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(
          Map.of(
              "file",
              "Nothing was imported. "
                  + String.join(" ", errors.subList(0, Math.min(20, errors.size())))
                  + (errors.size() > 20 ? " And " + (errors.size() - 20) + " more." : "")));
    }
    return rows;
  }

  /** One line checked, or null with its first problem added (unknown slugs are all added). */
  private static ImportRow importRow(
      CSVRecord record, ImportNames names, java.util.Set<String> seen, List<String> problems) {
    String email;
    String name;
    try {
      email = Subscriptions.address(cell(record, "email"));
      name = Subscriptions.cleanName(cell(record, "name"));
    } catch (ValidationException e) {
      problems.add(String.join(" ", e.fieldErrors().values()));
      return null;
    }
    if (!seen.add(email)) {
      problems.add(email + " appears twice.");
      return null;
    }
    String status = cell(record, "status").toLowerCase(Locale.ROOT);
    if (!STATUSES.contains(status)) {
      problems.add("status '" + status + "' is not one of " + String.join(", ", STATUSES) + ".");
      return null;
    }
    String frequency = cell(record, "frequency").isEmpty() ? "each" : cell(record, "frequency");
    if (!List.of("each", "daily", "weekly").contains(frequency)) {
      problems.add("frequency must be each, daily or weekly.");
      return null;
    }
    List<Long> letters = ids(cell(record, "newsletters"), names.letters(), "newsletter", problems);
    List<Long> parts = ids(cell(record, "sections"), names.sections(), "section", problems);
    return new ImportRow(
        email,
        name,
        status,
        frequency,
        letters.isEmpty() ? names.defaultLetters() : letters,
        parts);
  }

  /** The ids of the slugs in a cell; each unknown slug adds a problem. */
  private static List<Long> ids(
      String cell, Map<String, Long> known, String what, List<String> problems) {
    List<Long> ids = new ArrayList<>();
    for (String slug : slugs(cell)) {
      Long id = known.get(slug);
      if (id == null) {
        problems.add("no " + what + " '" + slug + "'.");
      } else {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * Writes checked rows: new addresses are added, known ones updated, except that an import never
   * renews consent a reader withdrew or a bounce took away.
   */
  private ImportReport writeImport(Handle h, List<ImportRow> rows, long now) {
    int added = 0;
    int updated = 0;
    int kept = 0;
    List<String> notes = new ArrayList<>();
    for (ImportRow row : rows) {
      String status = row.status();
      Optional<String> current = store.statusOf(h, row.email());
      if (bounces.bouncedOrComplained(h, row.email())
          && (status.equals("confirmed") || status.equals("pending"))) {
        status = "bounced";
      }
      long id;
      if (current.isPresent()) {
        String was = current.get();
        boolean lostConsent = List.of("unsubscribed", "bounced", "complained").contains(was);
        if (lostConsent && !status.equals(was)) {
          kept++;
          if (notes.size() < 20) {
            notes.add(row.email() + " stays " + was + ": an import cannot renew consent.");
          }
          continue;
        }
        id = store.idOf(h, row.email());
        store.updateImported(h, id, row.name(), status);
        updated++;
      } else {
        id =
            store.insertImported(
                h,
                row.email(),
                row.name(),
                status,
                row.frequency(),
                now,
                status.equals("confirmed") ? now : null);
        added++;
      }
      store.replaceChoices(
          h, id, new Subscriptions.Choices(row.newsletters(), row.frequency(), row.sections()));
    }
    return new ImportReport(added, updated, kept, notes);
  }

  private static final String DRY_RUN = "subscribers_dry_run";

  private static String cell(CSVRecord record, String column) {
    return record.isMapped(column) && record.isSet(column) ? record.get(column).strip() : "";
  }

  private static List<String> slugs(String cell) {
    return cell.isEmpty()
        ? List.of()
        : java.util.Arrays.stream(cell.split("[;,]"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
  }

  /**
   * Removes a subscriber and their choices, with its audit entry; the mail history and any
   * suppression stay, queued newsletter mail is cancelled, and an unsubscribed reader's opt-out is
   * remembered so that an import cannot subscribe them again (signing up again themselves still
   * works). Returns false, changing nothing, when there is no such subscriber.
   */
  public boolean delete(long id, Actor actor) {
    return jdbi.inTransaction(
        h -> {
          Optional<Subscriber> s = store.byId(h, id);
          if (s.isEmpty()) {
            return false;
          }
          String email = s.get().email();
          Subscriptions.cancelQueued(bounces, h, email, "subscriber deleted before it was sent");
          if (s.get().status().equals("unsubscribed")) {
            bounces.suppress(
                h, email, "unsubscribed", "deleted after unsubscribing", clock.millis());
          }
          store.delete(h, id);
          audit.record(h, actor, "subscriber.delete", "subscriber:" + id, email);
          return true;
        });
  }

  /**
   * Erases everything held about the address: the subscription, the mail sent to it, its bounce
   * reports and suppression, and its sign-up counters; the audit entry keeps no address, since that
   * is the point of erasing. Returns the address erased, or nothing (changing nothing) when there
   * is no such subscriber.
   */
  public Optional<String> erase(long id, Actor actor) {
    return jdbi.inTransaction(
        h -> {
          Optional<String> email = store.emailOf(h, id);
          email.ifPresent(
              e -> {
                bounces.deleteMailTo(h, e);
                bounces.deleteBounces(h, e);
                bounces.deleteSuppression(h, e);
                store.deleteMailRequests(h, e);
                store.deleteByEmail(h, e);
                audit.record(h, actor, "subscriber.erase", "subscriber:" + id, "");
              });
          return email;
        });
  }

  /** How many subscribers there are in each status. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    STATUSES.forEach(s -> counts.put(s, 0));
    jdbi.withHandle(store::countsByStatus).forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }
}
