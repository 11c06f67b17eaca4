package org.broadsheet.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.broadsheet.config.Config;
import org.broadsheet.storage.Database;
import org.broadsheet.support.ValidationException;
import org.broadsheet.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaLibraryTest {

  private static final String ALT = "The harbour at dawn";

  @TempDir Path dataDir;

  private Database database;
  private Path folder;
  private MutableClock clock;
  private MediaLibrary library;

  @BeforeEach
  void open() {
    database =
        Database.open(Config.defaults().with(Map.of("BROADSHEET_DATA_DIR", dataDir.toString())));
    database.migrate();
    folder = dataDir.resolve("media");
    clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
    library = new MediaLibrary(database.jdbi(), folder, clock);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private Media upload(String name, byte[] content) {
    return library.upload(name, new ByteArrayInputStream(content), ALT, "", null);
  }

  private byte[] stored(String name) throws IOException {
    return Files.readAllBytes(library.file(name).orElseThrow());
  }

  private List<String> filesInFolder() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static ValidationException refusal(Runnable upload) {
    try {
      upload.run();
    } catch (ValidationException e) {
      return e;
    }
    throw new AssertionError("the upload was accepted");
  }

  private static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }

  @Test
  void aJpegIsReEncodedWithoutMetadataOrTrailingBytes() throws IOException {
    byte[] original = TestImages.jpegWithMetadataAndTrailer(300, 200);
    assertThat(contains(original, "SECRET-LOCATION")).isTrue();

    Media media = library.upload("harbour.jpg", new ByteArrayInputStream(original), ALT, "", null);

    assertThat(media.contentType()).isEqualTo("image/jpeg");
    assertThat(media.storedName()).matches("[0-9a-f]{32}\\.jpg");
    assertThat(media.width()).isEqualTo(300);
    assertThat(media.height()).isEqualTo(200);
    byte[] file = stored(media.storedName());
    assertThat(media.bytes()).isEqualTo(file.length);
    assertThat(contains(file, "Exif")).isFalse();
    assertThat(contains(file, "SECRET")).isFalse();
    assertThat(contains(file, "<?php")).isFalse();
    assertThat(Arrays.copyOfRange(file, file.length - 2, file.length))
        .as("the file ends with the JPEG end-of-image marker")
        .containsExactly(0xff, 0xd9);
    BufferedImage decoded = TestImages.read(file);
    assertThat(decoded.getWidth()).isEqualTo(300);
    assertThat(decoded.getHeight()).isEqualTo(200);
  }

  @Test
  void aPngWithTransparencyStaysPngAndKeepsIt() throws IOException {
    Media media = upload("logo.png", TestImages.pngWithAlpha(500, 100));

    assertThat(media.contentType()).isEqualTo("image/png");
    assertThat(media.storedName()).endsWith(".png");
    assertThat(media.sizes()).containsExactly(480);
    BufferedImage decoded = TestImages.read(stored(media.storedName()));
    assertThat(decoded.getColorModel().hasAlpha()).isTrue();
    assertThat(decoded.getRGB(10, 50) >>> 24).as("transparent half").isZero();
    assertThat(decoded.getRGB(490, 50) >>> 24).as("opaque half").isEqualTo(0xff);
    assertThat(library.file(Media.sizedName(media.storedName(), 480))).isPresent();
  }

  @Test
  void pngAndGifStayLosslessOpaqueWebpBecomesJpegAndTransparentWebpPng() throws IOException {
    byte[] chart = TestImages.png(200, 100);
    Media stored = upload("chart.png", chart);
    assertThat(stored.contentType()).isEqualTo("image/png");
    java.awt.image.BufferedImage before =
        javax.imageio.ImageIO.read(new ByteArrayInputStream(chart));
    java.awt.image.BufferedImage after =
        javax.imageio.ImageIO.read(library.file(stored.storedName()).orElseThrow().toFile());
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 200; x++) {
        assertThat(after.getRGB(x, y) & 0xffffff)
            .as("pixel %d,%d kept exactly", x, y)
            .isEqualTo(before.getRGB(x, y) & 0xffffff);
      }
    }
    assertThat(upload("a.gif", TestImages.gif(200, 100)).contentType()).isEqualTo("image/png");
    assertThat(upload("a.webp", TestImages.WEBP_LOSSY).contentType()).isEqualTo("image/jpeg");
    assertThat(upload("a.webp", TestImages.WEBP_LOSSLESS).contentType()).isEqualTo("image/png");

    byte[] red = {(byte) 255, 0};
    byte[] green = {0, (byte) 255};
    byte[] blue = {0, 0};
    BufferedImage indexed =
        new BufferedImage(
            40,
            20,
            BufferedImage.TYPE_BYTE_INDEXED,
            new IndexColorModel(8, 2, red, green, blue, 1));
    ByteArrayOutputStream gif = new ByteArrayOutputStream();
    ImageIO.write(indexed, "gif", gif);
    Media transparent = upload("t.gif", gif.toByteArray());
    assertThat(transparent.contentType()).isEqualTo("image/png");
    assertThat(transparent.width()).isEqualTo(40);
  }

  @Test
  void smallerCopiesAreMadeOnlyBelowTheOriginalWidth() throws IOException {
    Media media = upload("wide.jpg", TestImages.jpeg(1000, 500));

    assertThat(media.sizes()).containsExactly(480, 800);
    String name = media.storedName();
    String base = name.substring(0, name.length() - 4);
    assertThat(filesInFolder())
        .containsExactlyInAnyOrder(name, base + "-480w.jpg", base + "-800w.jpg");
    BufferedImage small = TestImages.read(stored(base + "-480w.jpg"));
    assertThat(small.getWidth()).isEqualTo(480);
    assertThat(small.getHeight()).isEqualTo(240);
    assertThat(TestImages.read(stored(base + "-800w.jpg")).getHeight()).isEqualTo(400);
    assertThat(media.url()).isEqualTo("/media/" + name);
    assertThat(media.srcset())
        .isEqualTo(
            "/media/"
                + base
                + "-480w.jpg 480w, /media/"
                + base
                + "-800w.jpg 800w, /media/"
                + name
                + " 1000w");

    assertThat(upload("exact.jpg", TestImages.jpeg(1600, 100)).sizes())
        .as("no copy as wide as the original")
        .containsExactly(480, 800, 1200);
    Media tiny = upload("tiny.jpg", TestImages.jpeg(300, 300));
    assertThat(tiny.sizes()).isEmpty();
    assertThat(tiny.srcset()).isEqualTo(tiny.url() + " 300w");
  }

  @Test
  void htmlNamedJpgIsRefused() throws IOException {
    ValidationException e =
        refusal(
            () ->
                upload(
                    "photo.jpg",
                    "<html><script>alert(document.cookie)</script></html>"
                        .getBytes(StandardCharsets.UTF_8)));
    assertThat(e.fieldErrors()).containsOnlyKeys("file");
    assertThat(e.fieldErrors().get("file")).contains("not a JPEG, PNG, GIF or WebP image");
    assertThat(filesInFolder()).isEmpty();
  }

  @Test
  void svgIsRefusedWithTheReason() {
    for (String svg :
        List.of(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg><SVG onload=\"alert(1)\"/>",
            "\uFEFF  <svg/>")) {
      ValidationException e =
          refusal(() -> upload("image.jpg", svg.getBytes(StandardCharsets.UTF_8)));
      assertThat(e.fieldErrors().get("file"))
          .isEqualTo(
              "This file is not a JPEG, PNG, GIF or WebP image. SVG is not accepted because it can"
                  + " carry scripts; export it as PNG and upload that.");
    }
  }

  @Test
  void pdfsAndOtherFormatsAreRefused() {
    assertThat(
            refusal(() -> upload("a.png", "%PDF-1.7\n...".getBytes(StandardCharsets.US_ASCII)))
                .fieldErrors()
                .get("file"))
        .contains("PDF");
    byte[] bmp = new byte[100];
    bmp[0] = 'B';
    bmp[1] = 'M';
    assertThat(refusal(() -> upload("a.jpg", bmp)).fieldErrors().get("file"))
        .isEqualTo(ImageFormat.NOT_AN_IMAGE);
  }

  @Test
  void aHeaderDeclaringFiftyThousandSquarePixelsIsRefusedWithoutDecoding() throws IOException {
    byte[] bomb = TestImages.pngDeclaring(50_000, 50_000);
    assertThat(bomb.length).isLessThan(1_000);

    ValidationException e = refusal(() -> upload("bomb.png", bomb));

    assertThat(e.fieldErrors().get("file"))
        .isEqualTo(
            "This image is 50000 × 50000 pixels; the library takes at most 12,000 pixels on a side"
                + " and 40 megapixels in all. Make it smaller in an image editor and upload it"
                + " again.");
    assertThat(filesInFolder()).isEmpty();
  }

  @Test
  void imagesOverThePixelLimitsAreRefused() {
    MediaLibrary strict =
        new MediaLibrary(
            database.jdbi(), folder, clock, new MediaLibrary.Limits(1_000_000, 10_000, 150));
    assertThatThrownBy(
            () ->
                strict.upload(
                    "wide.png", new ByteArrayInputStream(TestImages.png(200, 10)), ALT, "", null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("200 × 10 pixels");
    assertThatThrownBy(
            () ->
                strict.upload(
                    "big.png", new ByteArrayInputStream(TestImages.png(120, 120)), ALT, "", null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("120 × 120 pixels");
    assertThat(
            strict
                .upload("ok.png", new ByteArrayInputStream(TestImages.png(100, 100)), ALT, "", null)
                .width())
        .isEqualTo(100);
  }

  @Test
  void tooManyBytesAreRefusedAfterReadingOneBytePastTheLimit() throws IOException {
    long[] served = {0};
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served[0]++;
            return 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 0xff);
            served[0] += len;
            return len;
          }
        };

    ValidationException e = refusal(() -> library.upload("huge.jpg", endless, ALT, "", null));

    assertThat(e.fieldErrors().get("file"))
        .isEqualTo(
            "The file is larger than 20 MB. Upload an image of at most 20 MB; make it smaller in an"
                + " image editor first.");
    assertThat(served[0]).isEqualTo(20L * 1024 * 1024 + 1);
    assertThat(filesInFolder()).isEmpty();
  }

  @Test
  void emptyAndMissingFilesAreRefused() {
    assertThat(refusal(() -> upload("a.jpg", new byte[0])).fieldErrors().get("file"))
        .isEqualTo("The file is empty. Choose a JPEG, PNG, GIF or WebP image.");
    assertThat(
            refusal(() -> library.upload("a.jpg", null, ALT, "", null)).fieldErrors().get("file"))
        .isEqualTo(ImageFormat.EMPTY);
  }

  @Test
  void truncatedImagesAreRefused() {
    for (byte[] whole : List.of(TestImages.jpeg(400, 300), TestImages.png(400, 300))) {
      byte[] half = Arrays.copyOf(whole, whole.length / 2);
      assertThat(refusal(() -> upload("cut.jpg", half)).fieldErrors().get("file"))
          .isEqualTo(ImageDecoder.DAMAGED);
      byte[] headerOnly = Arrays.copyOf(whole, 12);
      assertThat(refusal(() -> upload("cut.jpg", headerOnly)).fieldErrors().get("file"))
          .isEqualTo(ImageDecoder.DAMAGED);
    }
  }

  @Test
  void altTextIsRequiredAndCheckedWithTheCredit() throws IOException {
    byte[] jpeg = TestImages.jpeg(100, 100);
    for (String missing : Arrays.asList(null, "", "   \t ")) {
      ValidationException e =
          refusal(() -> library.upload("a.jpg", new ByteArrayInputStream(jpeg), missing, "", null));
      assertThat(e.fieldErrors()).containsOnlyKeys("alt");
      assertThat(e.fieldErrors().get("alt")).startsWith("Describe the image in the alt text");
    }
    ValidationException both =
        refusal(
            () ->
                library.upload(
                    "a.html",
                    new ByteArrayInputStream("<script>".getBytes(StandardCharsets.UTF_8)),
                    "x".repeat(301),
                    "c".repeat(201),
                    null));
    assertThat(both.fieldErrors()).containsOnlyKeys("alt", "credit", "file");
    assertThat(both.fieldErrors().get("alt")).contains("301 characters").contains("at most 300");
    assertThat(both.fieldErrors().get("credit")).contains("at most 200");
    assertThat(
            refusal(
                    () ->
                        library.upload(
                            "a.jpg", new ByteArrayInputStream(jpeg), "line\nbreak", "", null))
                .fieldErrors())
        .containsOnlyKeys("alt");
    assertThat(filesInFolder()).isEmpty();

    Media media =
        library.upload(
            "a.jpg", new ByteArrayInputStream(jpeg), "  " + "é".repeat(300) + " ", null, null);
    assertThat(media.alt()).isEqualTo("é".repeat(300));
    assertThat(media.credit()).isEmpty();
  }

  @Test
  void traversalAndNulInNamesAreHarmless() throws IOException {
    byte[] jpeg = TestImages.jpeg(100, 80);
    Media traversal = upload("../../etc/passwd.jpg", jpeg);
    Media windows = upload("..\\..\\Windows\\win.ini.jpg", jpeg);
    Media nul = upload("evil.php\u0000.jpg", jpeg);
    Media bidi = upload("photo\u202Egpj.exe", jpeg);
    Media empty = upload("", jpeg);
    Media none = upload(null, jpeg);
    Media dots = upload("..", jpeg);
    Media longName = upload("a".repeat(300) + ".jpg", jpeg);

    assertThat(traversal.originalName()).isEqualTo("passwd.jpg");
    assertThat(windows.originalName()).isEqualTo("win.ini.jpg");
    assertThat(nul.originalName()).isEqualTo("evil.php.jpg");
    assertThat(bidi.originalName()).isEqualTo("photogpj.exe");
    assertThat(empty.originalName()).isEmpty();
    assertThat(none.originalName()).isEmpty();
    assertThat(dots.originalName()).isEmpty();
    assertThat(longName.originalName()).hasSize(120);
    for (Media media : List.of(traversal, windows, nul, bidi, empty, none, dots, longName)) {
      assertThat(media.storedName()).matches("[0-9a-f]{32}\\.jpg");
      assertThat(library.byId(media.id()).orElseThrow().originalName())
          .isEqualTo(media.originalName());
    }
    assertThat(filesInFolder()).hasSize(8).allMatch(name -> name.matches("[0-9a-f]{32}\\.jpg"));
    assertThat(dataDir.resolve("etc")).doesNotExist();
    assertThat(dataDir.getParent().resolve("etc").resolve("passwd.jpg")).doesNotExist();
  }

  @Test
  void fileFindsOnlyGeneratedNamesInTheFolder() throws IOException {
    Media media = upload("a.jpg", TestImages.jpeg(900, 300));
    String name = media.storedName();
    String base = name.substring(0, 32);
    Files.writeString(dataDir.resolve("x"), "outside");
    Files.writeString(folder.resolve("notes.svg"), "<svg/>");

    assertThat(library.file(name)).contains(folder.resolve(name).toAbsolutePath());
    assertThat(library.file(base + "-800w.jpg")).isPresent();
    assertThat(library.file(base + "-1200w.jpg")).as("not made").isEmpty();
    assertThat(library.file(base + ".png")).as("another extension").isEmpty();
    assertThat(library.file("0".repeat(32) + ".jpg")).as("unknown").isEmpty();
    for (String bad :
        Arrays.asList(
            "../x",
            "..",
            ".",
            "",
            null,
            "a/b.jpg",
            "x.svg",
            "notes.svg",
            "abc\u0000.jpg",
            name + "\u0000",
            name + "/",
            "/" + name,
            "./" + name,
            "media/../" + name,
            "..\\" + name,
            name.toUpperCase(java.util.Locale.ROOT),
            base + ".JPG",
            base + ".jpeg",
            base + "-0800w.jpg",
            base + ".jpg.svg",
            " " + name)) {
      assertThat(library.file(bad)).as("%s", bad).isEmpty();
    }
    assertThat(MediaLibrary.contentType(library.file(name).orElseThrow())).isEqualTo("image/jpeg");
  }

  @Test
  void deleteRemovesTheRowAndEveryFile() throws IOException {
    Media kept = upload("kept.jpg", TestImages.jpeg(200, 100));
    Media media = upload("gone.jpg", TestImages.jpeg(1300, 650));
    assertThat(media.sizes()).containsExactly(480, 800, 1200);
    assertThat(filesInFolder()).hasSize(5);

    library.delete(media.id(), null);

    assertThat(library.byId(media.id())).isEmpty();
    assertThat(library.file(media.storedName())).isEmpty();
    assertThat(filesInFolder()).containsExactly(kept.storedName());
    library.delete(media.id(), null);
    library.delete(12345, null);
    assertThat(library.byId(kept.id())).isPresent();
  }

  @Test
  void readsBackListsNewestFirstAndUpdatesText() {
    Media first =
        library.upload(
            "one.jpg", new ByteArrayInputStream(TestImages.jpeg(500, 250)), ALT, " AP ", null);
    clock.advance(Duration.ofMinutes(1));
    Media second = upload("two.png", TestImages.pngWithAlpha(20, 20));
    clock.advance(Duration.ofMinutes(1));
    Media third = upload("three.jpg", TestImages.jpeg(30, 30));

    assertThat(library.byId(first.id())).contains(first);
    assertThat(first.credit()).isEqualTo("AP");
    assertThat(first.createdAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
    assertThat(library.latest(10, 0)).containsExactly(third, second, first);
    assertThat(library.latest(2, 1)).containsExactly(second, first);
    assertThat(library.latest(0, 0)).isEmpty();

    library.updateText(first.id(), "  The harbour at dusk ", "Reuters", null, true);
    Media updated = library.byId(first.id()).orElseThrow();
    assertThat(updated.alt()).isEqualTo("The harbour at dusk");
    assertThat(updated.credit()).isEqualTo("Reuters");
    assertThat(updated.storedName()).isEqualTo(first.storedName());

    assertThat(refusal(() -> library.updateText(first.id(), " ", "x", null, true)).fieldErrors())
        .containsOnlyKeys("alt");
    assertThat(refusal(() -> library.updateText(999, ALT, "", null, true)).fieldErrors())
        .containsOnlyKeys("media");
    assertThat(library.byId(first.id()).orElseThrow().alt()).isEqualTo("The harbour at dusk");
  }

  @Test
  void filesWrittenBeforeAFailedInsertAreRemoved() throws IOException {
    assertThatThrownBy(
            () ->
                library.upload(
                    "a.jpg",
                    new ByteArrayInputStream(TestImages.jpeg(900, 300)),
                    ALT,
                    "",
                    org.broadsheet.account.Actor.of(
                        new org.broadsheet.account.User(
                            424242L,
                            "",
                            "",
                            null,
                            null,
                            true,
                            java.time.Instant.EPOCH,
                            java.time.Instant.EPOCH),
                        "")))
        .as("no such user: the foreign key fails the insert")
        .isNotInstanceOf(ValidationException.class);
    assertThat(filesInFolder()).isEmpty();
    assertThat(library.latest(10, 0)).isEmpty();
  }

  @Test
  void concurrentUploadsAllSucceedWithDistinctNames() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Media>> uploads = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int width = 500 + i * 10;
        uploads.add(pool.submit(() -> upload("p.jpg", TestImages.jpeg(width, 100))));
      }
      List<String> names = new ArrayList<>();
      for (Future<Media> upload : uploads) {
        names.add(upload.get().storedName());
      }
      assertThat(names).doesNotHaveDuplicates().hasSize(12);
      assertThat(filesInFolder()).hasSize(24).noneMatch(name -> name.endsWith(".tmp"));
    } finally {
      pool.shutdownNow();
    }
  }
}
