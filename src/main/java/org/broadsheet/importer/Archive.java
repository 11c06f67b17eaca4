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
          "front_picks",
          "article_pending",
          "article_external_ids",
          "live_updates",
          "live_update_authors",
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
          Map.entry(
              "embed_cards",
              "providers' titles and thumbnails for embeds; fetched again when stories are saved"),
          Map.entry("sessions", "sign-ins end with the move: members sign in again"),
          Map.entry("password_resets", "reset links are single-use and expire within an hour"),
          Map.entry("sign_in_failures", "throttling counts only the last 15 minutes"),
          Map.entry("subscribe_requests", "sign-up limits count only the last hour"),
          Map.entry("rate_locks", "locks taken while a sign-up is counted"),
          Map.entry("rate_buckets", "rate limits refill within minutes"),
          Map.entry("human_check_keys", "a moved site signs its human checks with a new key"),
          Map.entry("human_check_spent", "spent challenges expire within minutes"),
          Map.entry("changes", "the change feed of the old installation; caches start fresh"),
          Map.entry("related_articles", "More Articles are recomputed when search is rebuilt"),
          Map.entry("mail_outbox", "mail in flight stays with the installation that sends it"),
          Map.entry("mail_bodies", "shared bodies of mail in flight"),
          Map.entry("mail_campaigns", "delivery counts of the old installation's mailings"),
          Map.entry("campaigns", "progress of mailings being queued"),
          Map.entry("mail_bounces", "bounce reports; the suppressions they caused are moved"),
          Map.entry("api_keys", "integrations get new keys on the new site (secrets never move)"),
          Map.entry("api_idempotency", "retries of API calls are only recognised for a day"),
          Map.entry("webhooks", "endpoints and their signing secrets are set up again"),
          Map.entry("webhook_deliveries", "deliveries in flight stay with the old installation"),
          Map.entry("webhook_attempts", "the delivery log of the old installation"),
          Map.entry("webhook_cursor", "how far the old installation's change feed was sent"));

  static final int FORMAT = 1;
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
                            && ("site.signing-key".equals(row.get("name"))
                                || "setup.code".equals(row.get("name")))) {
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
      case "front_picks" -> " ORDER BY front, slot";
      case "article_pending" -> " ORDER BY article_id";
      case "article_external_ids" -> " ORDER BY external_id";
      case "live_update_authors" -> " ORDER BY update_id, position";
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

  /** Limits on what an archive may expand to: a zip bomb is refused before it costs anything. */
  public record Limits(long maxEntryBytes, long maxTotalBytes, int maxEntries, int maxRatio) {

    /**
     * Room for a large newsroom: a media file of up to 64 MB (uploads are at most 20 MB), 16 GB in
     * all, a million entries, and nothing that expands more than 200 times (JSON compresses about
     * ten times; images hardly at all).
     */
    public static Limits defaults() {
      return new Limits(64L << 20, 16L << 30, 1_000_000, 200);
    }
  }

  /** The data file is streamed row by row, but it cannot be larger than this. */
  private static final long MAX_DATA_BYTES = 16L << 30;

  /**
   * Restores an archive into this database, which must hold no articles, users or comments. The
   * archive is first unpacked whole into a staging folder next to the media folder, within {@link
   * Limits#defaults()}; then every row goes in and the media files are moved into place in one
   * transaction. Any problem — a bad entry anywhere, a truncated or oversized archive — leaves the
   * site exactly as it was, and says what was wrong.
   */
  public static Counts importInto(Database database, Path mediaDir, Path zip) {
    return importInto(database, mediaDir, zip, Limits.defaults());
  }

  public static Counts importInto(Database database, Path mediaDir, Path zip, Limits limits) {
    if (!Files.isRegularFile(zip) || !Files.isReadable(zip)) {
      throw new IllegalArgumentException(zip + " is not a file this process can read.");
    }
    Path staging;
    try {
      Files.createDirectories(mediaDir.toAbsolutePath().getParent());
      staging =
          Files.createTempDirectory(mediaDir.toAbsolutePath().getParent(), ".archive-import-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make a staging folder next to " + mediaDir, e);
    }
    try {
      Staged staged = stage(zip, staging, limits);
      Map<String, Integer> rows = new LinkedHashMap<>();
      List<Path> placed = new ArrayList<>();
      try {
        inTransaction(
            database,
            h -> {
              restore(h, database.dialect(), staged.data(), rows);
              // Last inside the transaction: if a move fails, the rows roll back too.
              Files.createDirectories(mediaDir);
              for (Path file : staged.media()) {
                Path target = mediaDir.resolve(file.getFileName().toString());
                if (Files.exists(target)) {
                  throw new IllegalStateException(
                      "The media folder already holds " + target.getFileName() + ".");
                }
                Files.move(file, target);
                placed.add(target);
              }
            });
      } catch (RuntimeException e) {
        for (Path p : placed) {
          deleteQuietly(p);
        }
        throw e;
      }
      return new Counts(rows, staged.media().size());
    } finally {
      deleteTree(staging);
    }
  }

  /** The archive unpacked: its data file and media files, checked against the limits. */
  private record Staged(Path data, List<Path> media) {}

  private static Staged stage(Path zip, Path staging, Limits limits) {
    // The table of contents at the end of the zip: a truncated archive has none, even when it
    // was cut exactly between two entries (reading front to back would not notice).
    java.util.Set<String> listed = new java.util.HashSet<>();
    try (java.util.zip.ZipFile contents = new java.util.zip.ZipFile(zip.toFile())) {
      if (contents.size() > limits.maxEntries()) {
        throw new IllegalArgumentException(
            "The archive has more than " + limits.maxEntries() + " entries.");
      }
      contents.stream().forEach(e -> listed.add(e.getName()));
    } catch (IOException e) {
      // The file was there and readable a moment ago: what fails now is its content.
      throw new IllegalArgumentException(
          "The archive is damaged or incomplete ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "). Copy it again from where it was written.");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    Path data = null;
    List<Path> media = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    CountingIn raw;
    try (InputStream file = Files.newInputStream(zip);
        CountingIn counting = new CountingIn(new java.io.BufferedInputStream(file));
        ZipInputStream in = new ZipInputStream(counting)) {
      raw = counting;
      long total = 0;
      int entries = 0;
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        String name = entry.getName();
        seen.add(name);
        if (++entries > limits.maxEntries()) {
          throw new IllegalArgumentException(
              "The archive has more than " + limits.maxEntries() + " entries.");
        }
        if (entry.isDirectory()) {
          continue;
        }
        if (!names.add(name)) {
          throw new IllegalArgumentException("The archive holds " + name + " twice.");
        }
        Path target;
        long max;
        if (name.equals("broadsheet.json")) {
          target = staging.resolve("broadsheet.json");
          max = MAX_DATA_BYTES;
          data = target;
        } else if (name.startsWith("media/")
            && name.substring("media/".length())
                .matches("[0-9a-f]{8,64}(-[0-9]{2,5}w)?\\.(jpg|png)")) {
          target = staging.resolve(name.substring("media/".length()));
          max = limits.maxEntryBytes();
          media.add(target);
        } else {
          throw new IllegalArgumentException("Unexpected file in the archive: " + name);
        }
        total += copyChecked(in, target, name, max, total, raw, limits);
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new IllegalArgumentException(
          "The archive is damaged or incomplete ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "). Copy it again from where it was written.");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + zip, e);
    }
    if (!seen.equals(listed)) {
      throw new IllegalArgumentException(
          "The archive is damaged: its entries do not match its table of contents.");
    }
    if (data == null) {
      throw new IllegalArgumentException("The archive has no broadsheet.json.");
    }
    return new Staged(data, media);
  }

  /**
   * Copies one entry, refusing it as soon as it passes its own limit or the archive's total, or
   * expands more than the ratio allows against the compressed bytes it took.
   */
  private static long copyChecked(
      InputStream in,
      Path target,
      String name,
      long max,
      long before,
      CountingIn raw,
      Limits limits)
      throws IOException {
    long copied = 0;
    long rawAtStart = raw.count();
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(target)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        copied += n;
        long expanded = before + copied;
        if (copied > max) {
          throw new IllegalArgumentException(name + " is larger than an archive entry may be.");
        }
        if (expanded > limits.maxTotalBytes()) {
          throw new IllegalArgumentException("The archive expands to more than the limit.");
        }
        long compressed = raw.count() - rawAtStart;
        if (copied > (1L << 20) && copied > compressed * limits.maxRatio()) {
          throw new IllegalArgumentException(
              "The archive expands far more than a Broadsheet archive does ("
                  + name
                  + "); it is refused as a possible zip bomb.");
        }
        out.write(buffer, 0, n);
      }
    }
    return copied;
  }

  /** Counts the compressed bytes the zip reader has taken. */
  private static final class CountingIn extends java.io.FilterInputStream {
    private long count;

    CountingIn(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a stray staging file is harmless
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(Archive::deleteQuietly);
    } catch (IOException ignored) {
      // best effort
    }
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

  /**
   * Inside the caller's transaction: reads the data file row by row (never whole into memory) and
   * inserts each row, parents before children as the export wrote them.
   */
  private static void restore(
      org.jdbi.v3.core.Handle h, Database.Dialect dialect, Path data, Map<String, Integer> rows)
      throws Exception {
    for (String table : List.of("articles", "users", "comments")) {
      if (ArchiveStore.count(h, table) > 0) {
        throw new IllegalStateException(
            "Import goes into an empty site; this one already has " + table + ".");
      }
    }
    for (String table : List.of("settings", "sections", "newsletters")) {
      // Defaults a fresh site writes on start give way to the archive's.
      ArchiveStore.clear(h, table);
    }
    TABLES.forEach(t -> rows.put(t, 0));
    boolean formatSeen = false;
    try (JsonParser json = JSON.getFactory().createParser(data.toFile())) {
      expect(json.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT);
      while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        if (field.equals("format")) {
          if (json.getValueAsInt(-1) != FORMAT) {
            throw new IllegalArgumentException(
                "This is not a Broadsheet archive of a format this version reads.");
          }
          formatSeen = true;
        } else if (field.equals("tables") && formatSeen) {
          expect(json.currentToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT);
          while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String table = json.currentName();
            json.nextToken();
            if (!TABLES.contains(table)) {
              json.skipChildren();
              continue;
            }
            expect(json.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY);
            Map<String, Integer> types = ArchiveStore.columnTypes(h, table);
            int count = 0;
            while (json.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
              JsonNode row = JSON.readTree(json);
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
            expect(json.currentToken() == com.fasterxml.jackson.core.JsonToken.END_ARRAY);
            rows.put(table, count);
          }
        } else {
          json.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "broadsheet.json is not valid JSON (" + e.getOriginalMessage() + ").");
    }
    if (!formatSeen) {
      throw new IllegalArgumentException(
          "This is not a Broadsheet archive of a format this version reads.");
    }
    if (dialect == Database.Dialect.POSTGRESQL) {
      for (String table : TABLES) {
        if (!List.of(
                "settings",
                "article_authors",
                "article_tags",
                "related_overrides",
                "front_picks",
                "article_pending",
                "article_external_ids",
                "live_update_authors",
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
  }

  private static void expect(boolean shape) {
    if (!shape) {
      throw new IllegalArgumentException(
          "broadsheet.json does not have the shape of a Broadsheet archive.");
    }
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
}
