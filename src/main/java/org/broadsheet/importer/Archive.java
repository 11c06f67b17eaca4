package org.broadsheet.importer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.broadsheet.storage.Database;

/**
 * The whole site in one zip: {@code broadsheet.json} (every content table, row by row, ids kept)
 * and the media files, with the newsletter's subscribers, their choices and the suppressed
 * addresses. {@code broadsheet export} writes it from either database; {@code broadsheet import}
 * restores it into an empty site, on either database — which is also how a site moves from SQLite
 * to PostgreSQL. Secrets (the signing key, password hashes unless asked) and working state
 * (sessions, the change feed, mail outbox, computed related lists, the search index) stay behind;
 * they are rebuilt. Thread-safe (stateless).
 */
public final class Archive {

  /** Tables in the order they are restored (parents before children). */
  static final List<String> TABLES =
      List.of(
          "settings",
          "sections",
          "authors",
          "tags",
          "users",
          "articles",
          "article_authors",
          "article_tags",
          "corrections",
          "article_revisions",
          "related_overrides",
          "comments",
          "comment_blocklist",
          "media",
          "newsletters",
          "subscribers",
          "subscriber_newsletters",
          "subscriber_sections",
          "mail_suppressions",
          "import_map",
          "redirects",
          "audit_log");

  /**
   * The tables an archive leaves out, and why: each is state of one installation that a moved site
   * rebuilds or does not need. A test fails when a table is in neither list.
   */
  static final Map<String, String> LEFT_OUT =
      Map.ofEntries(
          Map.entry("sessions", "sign-ins end with the move: members sign in again"),
          Map.entry("password_resets", "reset links are single-use and expire within an hour"),
          Map.entry("sign_in_failures", "throttling counts only the last 15 minutes"),
          Map.entry("subscribe_requests", "sign-up limits count only the last hour"),
          Map.entry("human_check_keys", "a moved site signs its human checks with a new key"),
          Map.entry("human_check_spent", "spent challenges expire within minutes"),
          Map.entry("changes", "the change feed of the old installation; caches start fresh"),
          Map.entry("related_articles", "More Articles are recomputed when search is rebuilt"),
          Map.entry("mail_outbox", "mail in flight stays with the installation that sends it"),
          Map.entry("mail_bodies", "shared bodies of mail in flight"),
          Map.entry("mail_campaigns", "delivery counts of the old installation's mailings"),
          Map.entry("campaigns", "progress of mailings being queued"),
          Map.entry("mail_bounces", "bounce reports; the suppressions they caused are moved"));

  static final int FORMAT = 1;
  private static final long MAX_ENTRY_BYTES = 4L * 1024 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What an export or import moved, per table, and how many media files. */
  public record Counts(Map<String, Integer> rows, int mediaFiles) {}

  private Archive() {}

  public static Counts export(
      Database database, Path mediaDir, Path zip, boolean withPasswordHashes) {
    if (Files.exists(zip)) {
      throw new IllegalArgumentException(zip + " already exists; choose a new file name.");
    }
    Map<String, Integer> rows = new LinkedHashMap<>();
    int files = 0;
    Path temp = zip.resolveSibling(zip.getFileName() + ".part");
    try (OutputStream raw = Files.newOutputStream(temp);
        ZipOutputStream out = new ZipOutputStream(raw)) {
      out.putNextEntry(new ZipEntry("broadsheet.json"));
      JsonGenerator json =
          new JsonFactory().createGenerator(new NonClosing(out), JsonEncoding.UTF8);
      json.writeStartObject();
      json.writeNumberField("format", FORMAT);
      json.writeObjectFieldStart("tables");
      inTransaction(
          database,
          h -> {
            for (String table : TABLES) {
              json.writeArrayFieldStart(table);
              int count =
                  ArchiveStore.forEachRow(
                      h,
                      table,
                      order(table),
                      row -> {
                        if (table.equals("settings")
                            && "site.signing-key".equals(row.get("name"))) {
                          return false;
                        }
                        json.writeStartObject();
                        for (var cell : row.entrySet()) {
                          Object value = cell.getValue();
                          if (table.equals("users")
                              && cell.getKey().equals("password_hash")
                              && !withPasswordHashes) {
                            value = null;
                          }
                          json.writeFieldName(cell.getKey());
                          write(json, value);
                        }
                        json.writeEndObject();
                        return true;
                      });
              json.writeEndArray();
              rows.put(table, count);
            }
          });
      json.writeEndObject();
      json.writeEndObject();
      json.flush();
      out.closeEntry();
      if (Files.isDirectory(mediaDir)) {
        try (Stream<Path> media = Files.list(mediaDir)) {
          for (Path file : media.filter(Files::isRegularFile).sorted().toList()) {
            out.putNextEntry(new ZipEntry("media/" + file.getFileName()));
            Files.copy(file, out);
            out.closeEntry();
            files++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + zip, e);
    }
    try {
      Files.move(temp, zip, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Counts(rows, files);
  }

  private static String order(String table) {
    return switch (table) {
      case "settings" -> " ORDER BY name";
      case "article_authors", "article_tags" -> " ORDER BY article_id";
      case "related_overrides" -> " ORDER BY article_id, other_id";
      case "subscriber_newsletters" -> " ORDER BY subscriber_id, newsletter_id";
      case "subscriber_sections" -> " ORDER BY subscriber_id, section_id";
      case "mail_suppressions" -> " ORDER BY email";
      case "import_map" -> " ORDER BY source, kind, source_id";
      case "redirects" -> " ORDER BY path";
      default -> " ORDER BY id";
    };
  }

  private static void write(JsonGenerator json, Object value) throws IOException {
    switch (value) {
      case null -> json.writeNull();
      case Boolean b -> json.writeBoolean(b);
      case Integer i -> json.writeNumber(i);
      case Long l -> json.writeNumber(l);
      case Double d -> json.writeNumber(d);
      case Float f -> json.writeNumber(f);
      case java.math.BigDecimal d -> json.writeNumber(d);
      case Number n -> json.writeNumber(n.longValue());
      default -> json.writeString(value.toString());
    }
  }

  /**
   * Restores an archive into this database, which must hold no articles, users or comments. All
   * rows go in one transaction: a failure leaves the site as empty as it was.
   */
  public static Counts importInto(Database database, Path mediaDir, Path zip) {
    Map<String, Integer> rows = new LinkedHashMap<>();
    int files = 0;
    List<Path> written = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(zip);
        ZipInputStream in = new ZipInputStream(raw)) {
      ZipEntry entry;
      boolean sawData = false;
      while ((entry = in.getNextEntry()) != null) {
        String name = entry.getName();
        if (name.equals("broadsheet.json")) {
          JsonNode root;
          try (JsonParser parser = JSON.getFactory().createParser(new NonClosingIn(in))) {
            root = JSON.readTree(parser);
          }
          if (root == null || root.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException(
                "This is not a Broadsheet archive of a format this version reads.");
          }
          restore(database, root.path("tables"), rows);
          sawData = true;
        } else if (name.startsWith("media/") && !entry.isDirectory()) {
          String file = name.substring("media/".length());
          if (!file.matches("[0-9a-f]{8,64}(-[0-9]{2,5}w)?\\.(jpg|png)")) {
            throw new IllegalArgumentException("Unexpected file in the archive: " + name);
          }
          Files.createDirectories(mediaDir);
          Path target = mediaDir.resolve(file);
          Path temp = mediaDir.resolve(file + ".part");
          long copied = copyLimited(in, temp);
          if (copied > MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException(name + " is too large.");
          }
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
          written.add(target);
          files++;
        } else if (!entry.isDirectory()) {
          throw new IllegalArgumentException("Unexpected file in the archive: " + name);
        }
      }
      if (!sawData) {
        throw new IllegalArgumentException("The archive has no broadsheet.json.");
      }
    } catch (IOException | RuntimeException e) {
      for (Path p : written) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("Cannot read " + zip, io);
      }
      throw (RuntimeException) e;
    }
    return new Counts(rows, files);
  }

  private static long copyLimited(InputStream in, Path target) throws IOException {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(target)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > MAX_ENTRY_BYTES) {
          break;
        }
        out.write(buffer, 0, n);
      }
    }
    return total;
  }

  /** A transaction whose body may throw checked exceptions; they come out unchecked. */
  private static void inTransaction(
      Database database, org.jdbi.v3.core.HandleConsumer<Exception> work) {
    try {
      database.jdbi().useTransaction(work);
    } catch (RuntimeException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void restore(Database database, JsonNode tables, Map<String, Integer> rows) {
    inTransaction(
        database,
        h -> {
          for (String table : List.of("articles", "users", "comments")) {
            if (ArchiveStore.count(h, table) > 0) {
              throw new IllegalStateException(
                  "Import goes into an empty site; this one already has " + table + ".");
            }
          }
          for (String table : TABLES) {
            if (table.equals("settings")
                || table.equals("sections")
                || table.equals("newsletters")) {
              // Defaults a fresh site writes on start give way to the archive's.
              ArchiveStore.clear(h, table);
            }
            Map<String, Integer> types = ArchiveStore.columnTypes(h, table);
            int count = 0;
            for (JsonNode row : tables.path(table)) {
              Map<String, Object> values = new LinkedHashMap<>();
              row.fieldNames()
                  .forEachRemaining(
                      c -> {
                        if (types.containsKey(c)) {
                          values.put(c, value(row.get(c), types.get(c)));
                        }
                      });
              ArchiveStore.insert(h, table, values);
              count++;
            }
            rows.put(table, count);
          }
          if (database.dialect() == Database.Dialect.POSTGRESQL) {
            for (String table : TABLES) {
              if (!List.of(
                      "settings",
                      "article_authors",
                      "article_tags",
                      "related_overrides",
                      "subscriber_newsletters",
                      "subscriber_sections",
                      "mail_suppressions",
                      "import_map",
                      "redirects")
                  .contains(table)) {
                ArchiveStore.resetIdentity(h, table);
              }
            }
          }
        });
  }

  private static Object value(JsonNode node, int type) {
    if (node == null || node.isNull()) {
      return null;
    }
    return switch (type) {
      case Types.BOOLEAN, Types.BIT -> node.isBoolean() ? node.asBoolean() : node.asLong() != 0;
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> node.asLong();
      case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL -> node.asDouble();
      default -> node.isTextual() ? node.asText() : node.toString();
    };
  }

  /** Keeps the zip stream open when the JSON writer closes. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  private static final class NonClosingIn extends java.io.FilterInputStream {
    NonClosingIn(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
