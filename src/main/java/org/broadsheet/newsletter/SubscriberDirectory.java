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
import org.broadsheet.site.Section;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The newsroom's view of subscribers: search, CSV export and import (with consent status), delete
 * and erase. An import is checked whole before anything is written; it never turns someone who
 * unsubscribed, bounced or complained back into a confirmed subscriber. Thread-safe.
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

  public SubscriberDirectory(
      Jdbi jdbi, Newsletters newsletters, Supplier<List<Section>> sections, Clock clock) {
    this.jdbi = jdbi;
    this.newsletters = newsletters;
    this.sections = sections;
    this.clock = clock;
  }

  /** Subscribers whose address or name contains {@code query}, newest first. */
  public Result search(String query, String status, int limit, int offset) {
    String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    String st = STATUSES.contains(status) ? status : "";
    String where =
        " WHERE (:q = '' OR LOWER(email) LIKE :like ESCAPE '!' OR LOWER(name) LIKE :like ESCAPE '!')"
            + " AND (:st = '' OR status = :st)";
    String like = "%" + q.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    return jdbi.withHandle(
        h -> {
          int total =
              h.createQuery("SELECT COUNT(*) FROM subscribers" + where)
                  .bind("q", q)
                  .bind("like", like)
                  .bind("st", st)
                  .mapTo(Integer.class)
                  .one();
          List<Subscriber> found =
              h.createQuery(
                      "SELECT * FROM subscribers" + where + " ORDER BY id DESC LIMIT :n OFFSET :o")
                  .bind("q", q)
                  .bind("like", like)
                  .bind("st", st)
                  .bind("n", limit)
                  .bind("o", offset)
                  .map((rs, c) -> Subscriptions.map(rs))
                  .list();
          return new Result(rows(h, found), total);
        });
  }

  private List<Row> rows(Handle h, List<Subscriber> found) {
    if (found.isEmpty()) {
      return List.of();
    }
    List<Long> ids = found.stream().map(Subscriber::id).toList();
    Map<Long, List<String>> letters = new HashMap<>();
    h.createQuery(
            "SELECT sn.subscriber_id, n.name FROM subscriber_newsletters sn JOIN newsletters n ON n.id = sn.newsletter_id"
                + " WHERE sn.subscriber_id IN (<ids>) ORDER BY n.position, n.id")
        .bindList("ids", ids)
        .map((rs, c) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .forEach(
            e -> letters.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    Map<Long, List<String>> parts = new HashMap<>();
    h.createQuery(
            "SELECT ss.subscriber_id, s.name FROM subscriber_sections ss JOIN sections s ON s.id = ss.section_id"
                + " WHERE ss.subscriber_id IN (<ids>) ORDER BY s.name")
        .bindList("ids", ids)
        .map((rs, c) -> Map.entry(rs.getLong(1), rs.getString(2)))
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
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM subscribers WHERE id = :id")
                .bind("id", id)
                .map((rs, c) -> Subscriptions.map(rs))
                .findOne());
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
                  List<Subscriber> found =
                      h.createQuery(
                              "SELECT * FROM subscribers WHERE id > :after ORDER BY id LIMIT 1000")
                          .bind("after", from)
                          .map(
                              (rs, c) -> {
                                ips.put(rs.getLong("id"), rs.getString("consent_ip"));
                                return Subscriptions.map(rs);
                              })
                          .list();
                  List<Object[]> lines = new ArrayList<>();
                  if (found.isEmpty()) {
                    return lines;
                  }
                  Map<Long, List<String>> letters =
                      pairs(
                          h,
                          "SELECT subscriber_id, newsletter_id FROM subscriber_newsletters",
                          found,
                          letterSlugs);
                  Map<Long, List<String>> parts =
                      pairs(
                          h,
                          "SELECT subscriber_id, section_id FROM subscriber_sections",
                          found,
                          sectionSlugs);
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

  /** Pairs (subscriber, thing) for a page of subscribers, the thing named by its slug. */
  private static Map<Long, List<String>> pairs(
      Handle h, String select, List<Subscriber> page, Map<Long, String> slugs) {
    Map<Long, List<String>> out = new HashMap<>();
    h.createQuery(select + " WHERE subscriber_id BETWEEN :first AND :last ORDER BY 1, 2")
        .bind("first", page.getFirst().id())
        .bind("last", page.getLast().id())
        .map((rs, c) -> Map.entry(rs.getLong(1), rs.getLong(2)))
        .forEach(
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
   * optional. The file is checked whole first: any bad line and nothing is written. Imported
   * subscribers get no mail about it.
   *
   * @param dryRun check only
   */
  public ImportReport importCsv(Reader in, boolean dryRun) throws IOException {
    List<String> errors = new ArrayList<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Long> letterIds = new HashMap<>();
    newsletters.open().forEach(n -> letterIds.put(n.slug(), n.id()));
    Map<String, Long> sectionIds = new HashMap<>();
    sections.get().forEach(s -> sectionIds.put(s.slug(), s.id()));
    List<Long> defaultLetters = newsletters.open().stream().limit(1).map(Newsletter::id).toList();
    java.util.Set<String> seen = new java.util.HashSet<>();
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
        long line = parser.getCurrentLineNumber();
        if (rows.size() >= MAX_IMPORT_ROWS) {
          throw new ValidationException(
              Map.of("file", "At most " + MAX_IMPORT_ROWS + " subscribers per file."));
        }
        if (!record.isConsistent()) {
          errors.add(
              "Line "
                  + line
                  + ": "
                  + record.size()
                  + " cells, the header has "
                  + header.size()
                  + ".");
          continue;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        try {
          String email = Subscriptions.address(cell(record, "email"));
          if (!seen.add(email)) {
            errors.add("Line " + line + ": " + email + " appears twice.");
            continue;
          }
          row.put("email", email);
          row.put("name", Subscriptions.cleanName(cell(record, "name")));
        } catch (ValidationException e) {
          errors.add("Line " + line + ": " + String.join(" ", e.fieldErrors().values()));
          continue;
        }
        String status = cell(record, "status").toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(status)) {
          errors.add(
              "Line "
                  + line
                  + ": status '"
                  + status
                  + "' is not one of "
                  + String.join(", ", STATUSES)
                  + ".");
          continue;
        }
        row.put("status", status);
        String frequency = cell(record, "frequency").isEmpty() ? "each" : cell(record, "frequency");
        if (!List.of("each", "daily", "weekly").contains(frequency)) {
          errors.add("Line " + line + ": frequency must be each, daily or weekly.");
          continue;
        }
        row.put("frequency", frequency);
        List<Long> letters = new ArrayList<>();
        for (String slug : slugs(cell(record, "newsletters"))) {
          Long id = letterIds.get(slug);
          if (id == null) {
            errors.add("Line " + line + ": no newsletter '" + slug + "'.");
          } else {
            letters.add(id);
          }
        }
        row.put("newsletters", letters.isEmpty() ? defaultLetters : letters);
        List<Long> parts = new ArrayList<>();
        for (String slug : slugs(cell(record, "sections"))) {
          Long id = sectionIds.get(slug);
          if (id == null) {
            errors.add("Line " + line + ": no section '" + slug + "'.");
          } else {
            parts.add(id);
          }
        }
        row.put("sections", parts);
        rows.add(row);
      }
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      throw new ValidationException(Map.of("file", "Not a readable CSV file: " + e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(
          Map.of(
              "file",
              "Nothing was imported. "
                  + String.join(" ", errors.subList(0, Math.min(20, errors.size())))
                  + (errors.size() > 20 ? " And " + (errors.size() - 20) + " more." : "")));
    }
    int[] counts = new int[3];
    List<String> notes = new ArrayList<>();
    long now = clock.millis();
    java.util.function.Consumer<Handle> work =
        h -> {
          for (Map<String, Object> row : rows) {
            String email = (String) row.get("email");
            String status = (String) row.get("status");
            Optional<String> current =
                h.createQuery("SELECT status FROM subscribers WHERE email = :e")
                    .bind("e", email)
                    .mapTo(String.class)
                    .findOne();
            boolean suppressed = Subscriptions.suppressed(h, email);
            if (suppressed && status.equals("confirmed")
                || status.equals("pending") && suppressed) {
              status = "bounced";
            }
            long id;
            if (current.isPresent()) {
              String was = current.get();
              boolean lostConsent = List.of("unsubscribed", "bounced", "complained").contains(was);
              if (lostConsent && !status.equals(was)) {
                counts[2]++;
                if (notes.size() < 20) {
                  notes.add(email + " stays " + was + ": an import cannot renew consent.");
                }
                continue;
              }
              id =
                  h.createQuery("SELECT id FROM subscribers WHERE email = :e")
                      .bind("e", email)
                      .mapTo(Long.class)
                      .one();
              h.createUpdate("UPDATE subscribers SET name = :n, status = :s WHERE id = :id")
                  .bind("n", row.get("name"))
                  .bind("s", status)
                  .bind("id", id)
                  .execute();
              counts[1]++;
            } else {
              id =
                  h.createUpdate(
                          "INSERT INTO subscribers (email, name, status, frequency, created_at, confirmed_at, consent_ip)"
                              + " VALUES (:e, :n, :s, :f, :now, :confirmed, 'import')")
                      .bind("e", email)
                      .bind("n", row.get("name"))
                      .bind("s", status)
                      .bind("f", row.get("frequency"))
                      .bind("now", now)
                      .bind("confirmed", status.equals("confirmed") ? now : null)
                      .executeAndReturnGeneratedKeys("id")
                      .mapTo(Long.class)
                      .one();
              counts[0]++;
            }
            @SuppressWarnings("unchecked")
            List<Long> letters = (List<Long>) row.get("newsletters");
            @SuppressWarnings("unchecked")
            List<Long> parts = (List<Long>) row.get("sections");
            Subscriptions.storeChoices(
                h, id, new Subscriptions.Choices(letters, (String) row.get("frequency"), parts));
          }
          if (dryRun) {
            h.rollback();
          }
        };
    jdbi.useTransaction(work::accept);
    return new ImportReport(counts[0], counts[1], counts[2], notes);
  }

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
   * Removes a subscriber and their choices; the mail history and any suppression stay, queued
   * newsletter mail is cancelled, and an unsubscribed reader's opt-out is remembered so that an
   * import cannot subscribe them again (signing up again themselves still works).
   */
  public boolean delete(long id) {
    return jdbi.inTransaction(
        h -> {
          Optional<Subscriber> s =
              h.createQuery("SELECT * FROM subscribers WHERE id = :id")
                  .bind("id", id)
                  .map((rs, c) -> Subscriptions.map(rs))
                  .findOne();
          if (s.isEmpty()) {
            return false;
          }
          Subscriptions.cancelQueued(h, s.get().email(), "subscriber deleted before it was sent");
          if (s.get().status().equals("unsubscribed")) {
            h.createUpdate(
                    "INSERT INTO mail_suppressions (email, reason, detail, created_at)"
                        + " VALUES (:e, 'unsubscribed', 'deleted after unsubscribing', :now)"
                        + " ON CONFLICT (email) DO NOTHING")
                .bind("e", s.get().email())
                .bind("now", clock.millis())
                .execute();
          }
          h.createUpdate("DELETE FROM subscribers WHERE id = :id").bind("id", id).execute();
          return true;
        });
  }

  /**
   * Erases everything held about the address: the subscription, the mail sent to it, its bounce
   * reports and suppression, and its sign-up counters. Returns the address erased.
   */
  public Optional<String> erase(long id) {
    return jdbi.inTransaction(
        h -> {
          Optional<String> email =
              h.createQuery("SELECT email FROM subscribers WHERE id = :id")
                  .bind("id", id)
                  .mapTo(String.class)
                  .findOne();
          email.ifPresent(
              e -> {
                for (String sql :
                    List.of(
                        "DELETE FROM mail_outbox WHERE recipient = :e",
                        "DELETE FROM mail_bounces WHERE email = :e",
                        "DELETE FROM mail_suppressions WHERE email = :e",
                        "DELETE FROM subscribe_requests WHERE scope = 'mail:' || :e",
                        "DELETE FROM subscribers WHERE email = :e")) {
                  h.createUpdate(sql).bind("e", e).execute();
                }
              });
          return email;
        });
  }

  /** How many subscribers there are in each status. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    STATUSES.forEach(s -> counts.put(s, 0));
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT status, COUNT(*) FROM subscribers GROUP BY status")
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
    return counts;
  }
}
