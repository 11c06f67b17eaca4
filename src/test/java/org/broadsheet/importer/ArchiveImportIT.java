package org.broadsheet.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.broadsheet.cli.Cli;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restoring an archive is all or nothing: a bad last entry, an archive cut short in its media, or a
 * zip bomb each leave the site exactly as empty as before, with a message that says why; the good
 * archive then restores.
 */
class ArchiveImportIT {

  private static int cli(StringWriter err, List<String> options, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(options);
    return Cli.run(
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true),
        all.toArray(String[]::new));
  }

  /** Every restored table, row by row, and the media folder's files. */
  private static Map<String, Object> state(Backend.TestDatabase target) throws Exception {
    Map<String, Object> state = new LinkedHashMap<>();
    try (Database db = Database.open(target.config())) {
      db.jdbi()
          .useHandle(
              h -> {
                for (String table : Archive.TABLES) {
                  state.put(
                      table,
                      h.createQuery("SELECT * FROM " + table + " ORDER BY 1").mapToMap().list());
                }
              });
    }
    Path media = target.dataDir().resolve("media");
    state.put("media", Files.isDirectory(media) ? list(media) : List.of());
    state.put(
        "staging",
        list(target.dataDir()).stream().filter(n -> n.startsWith(".archive-import")).toList());
    return state;
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] jpeg() throws Exception {
    BufferedImage image = new BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 900; x++) {
      for (int y = 0; y < 600; y++) {
        image.setRGB(x, y, (x * 7 + y * 13) * 2654435 & 0xFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  /** The good archive's entries, in order, then what {@code more} adds. */
  private static Path variant(Path good, Path to, Extra more) throws Exception {
    try (ZipFile in = new ZipFile(good.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        out.putNextEntry(new ZipEntry(e.getName()));
        try (var data = in.getInputStream(e)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
      more.write(out);
    }
    return to;
  }

  interface Extra {
    void write(ZipOutputStream out) throws Exception;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aBadLastEntryATruncatedArchiveAndAZipBombLeaveTheSiteAsItWas(
      Backend backend, @TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.zip");
    try (TestApp source = TestApp.start(Backend.SQLITE, true)) {
      source
          .app()
          .media()
          .upload(
              "harbour.jpg",
              new ByteArrayInputStream(jpeg()),
              "The harbour",
              "",
              org.broadsheet.account.Actor.system("test"));
      StringWriter err = new StringWriter();
      assertThat(cli(err, source.cliOptions(), "export", good.toString())).as("%s", err).isZero();
    }
    long mediaEntries;
    try (ZipFile zip = new ZipFile(good.toFile())) {
      mediaEntries = zip.stream().filter(e -> e.getName().startsWith("media/")).count();
    }
    assertThat(mediaEntries).as("the archive carries the picture and its sizes").isPositive();

    Path badLast =
        variant(
            good,
            dir.resolve("bad-last.zip"),
            out -> {
              out.putNextEntry(new ZipEntry("notes/readme.txt"));
              out.write("written by hand".getBytes());
              out.closeEntry();
            });
    byte[] bytes = Files.readAllBytes(good);
    int lastEntry = lastLocalHeader(bytes);
    Path truncated = dir.resolve("truncated.zip");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, lastEntry + 60));
    Path bomb =
        variant(
            good,
            dir.resolve("bomb.zip"),
            out -> {
              out.putNextEntry(new ZipEntry("media/00000000deadbeef.jpg"));
              byte[] zeros = new byte[1 << 20];
              for (int i = 0; i < 200; i++) {
                out.write(zeros);
              }
              out.closeEntry();
            });
    assertThat(Files.size(bomb)).as("a small file").isLessThan(Files.size(good) + 400_000);

    try (Backend.TestDatabase target = backend.create()) {
      List<String> options;
      try (TestApp node = TestApp.startNode(target, Map.of())) {
        options = node.cliOptions();
      }
      Map<String, Object> empty = state(target);
      Map<Path, String> expected =
          Map.of(
              badLast, "Unexpected file in the archive: notes/readme.txt",
              truncated, "damaged or incomplete",
              bomb, "zip bomb");
      for (var attempt : expected.entrySet()) {
        StringWriter err = new StringWriter();
        assertThat(cli(err, options, "import", attempt.getKey().toString()))
            .as("%s", attempt.getKey().getFileName())
            .isEqualTo(1);
        assertThat(err.toString()).contains(attempt.getValue(), "Nothing was imported.");
        assertThat(state(target))
            .as("after %s the site is exactly as empty as before", attempt.getKey().getFileName())
            .isEqualTo(empty);
      }

      StringWriter err = new StringWriter();
      assertThat(cli(err, options, "import", good.toString())).as("%s", err).isZero();
      Map<String, Object> restored = state(target);
      assertThat((List<?>) restored.get("articles")).hasSize(32);
      assertThat((List<?>) restored.get("media")).hasSize((int) mediaEntries);
      assertThat((List<?>) restored.get("staging")).isEmpty();
    }
  }

  /** Where the last entry's local header starts (the zip's own signature, PK\3\4). */
  private static int lastLocalHeader(byte[] zip) {
    for (int i = zip.length - 4; i >= 0; i--) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) {
        return i;
      }
    }
    throw new IllegalStateException("not a zip");
  }
}
