package org.broadsheet.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Jdbi;

/**
 * The media library: takes uploaded images, checks them by content (JPEG, PNG, GIF or WebP; size in
 * bytes and in pixels, the pixel size read from the header before any decoding), re-encodes them
 * without metadata as JPEG or PNG under a random name together with narrower copies for {@code
 * srcset}, and records them with their alt text and credit. It also finds a stored file for the
 * {@code /media/{file}} route, accepting only generated names. Thread-safe; at most {@value
 * #CONCURRENT_IMAGES} images are decoded and encoded at once, to bound memory.
 */
public final class MediaLibrary {

  /**
   * Whether this runtime can resize, write and read back pictures as uploads need (a Java runtime
   * trimmed too far, or without its imaging libraries, cannot): empty when it can, else what
   * failed. For {@code broadsheet doctor}.
   */
  public static Optional<String> imageHandlingProblem() {
    try {
      BufferedImage probe = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = probe.createGraphics();
      g.setColor(java.awt.Color.ORANGE);
      g.fillRect(0, 0, 64, 48);
      g.dispose();
      for (boolean png : new boolean[] {false, true}) {
        byte[] bytes = ImageEncoder.encode(ImageEncoder.resize(probe, 32), png);
        BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        if (back == null || back.getWidth() != 32) {
          return Optional.of((png ? "a PNG" : "a JPEG") + " copy could not be read back");
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException | LinkageError e) {
      return Optional.of(e.toString());
    }
  }

  /** Widths of the smaller copies; only those narrower than the image are made. */
  public static final List<Integer> SIZES = List.of(480, 800, 1200, 1600);

  /** How many uploads may hold decoded pixels at the same time. */
  public static final int CONCURRENT_IMAGES = 2;

  /**
   * What an upload may be: at most {@code maxBytes} long, {@code maxPixels} in all and {@code
   * maxSide} pixels wide and high.
   */
  public record Limits(long maxBytes, long maxPixels, int maxSide) {

    private static final long MEGABYTE = 1024L * 1024;

    public Limits {
      if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("maxBytes must be between 1 and 2 GB: " + maxBytes);
      }
      if (maxPixels < 1 || maxSide < 1) {
        throw new IllegalArgumentException("maxPixels and maxSide must be positive.");
      }
    }

    /** 20 MB, 40 megapixels, 12,000 pixels on a side. */
    public static Limits defaults() {
      return new Limits(20 * MEGABYTE, 40_000_000L, 12_000);
    }

    String describeBytes() {
      if (maxBytes % MEGABYTE == 0) {
        return maxBytes / MEGABYTE + " MB";
      }
      return maxBytes >= 1024 ? maxBytes / 1024 + " KB" : maxBytes + " bytes";
    }
  }

  private final Jdbi jdbi;
  private final MediaStore dao;
  private final MediaFiles files;
  private final Clock clock;
  private final Limits limits;
  private final Audit audit;
  private final Semaphore imagesInMemory = new Semaphore(CONCURRENT_IMAGES, true);

  /**
   * @param folder where the files go, usually {@code <data dir>/media}; created if missing
   * @throws UncheckedIOException when the folder cannot be created
   */
  public MediaLibrary(Jdbi jdbi, Path folder, Clock clock, Limits limits) {
    this(jdbi, folder, clock, limits, null);
  }

  /** With {@code audit}, every change is recorded in the same transaction as the change. */
  public MediaLibrary(Jdbi jdbi, Path folder, Clock clock, Limits limits, Audit audit) {
    this.jdbi = jdbi;
    this.dao = new MediaStore(jdbi);
    this.files = new MediaFiles(folder);
    this.clock = clock;
    this.limits = limits;
    this.audit = audit;
  }

  /** A library with the {@linkplain Limits#defaults() default limits}. */
  public MediaLibrary(Jdbi jdbi, Path folder, Clock clock) {
    this(jdbi, folder, clock, Limits.defaults());
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Checks, re-encodes and stores an uploaded image. The file name is only kept for display; the
   * content decides whether it is an image.
   *
   * @param originalFileName the name the browser sent (may contain a path, or be null)
   * @param content the upload; read up to one byte past the limit, not closed
   * @param uploadedBy the user's id, or null
   * @throws ValidationException with messages under {@code file}, {@code alt} and {@code credit},
   *     before anything is written
   * @throws UncheckedIOException when the upload cannot be read or the files cannot be written
   *     (nothing is left behind)
   */
  public Media upload(
      String originalFileName, InputStream content, String altText, String credit, Actor actor) {
    Long uploadedBy = actor == null ? null : actor.userId();
    Map<String, String> errors = new LinkedHashMap<>();
    String alt = MediaText.alt(altText, errors);
    String cleanCredit = MediaText.credit(credit, errors);
    String originalName = MediaText.fileName(originalFileName);
    byte[] bytes = read(content);
    ImageFormat format = null;
    ImageDecoder.Size size = null;
    if (bytes.length > limits.maxBytes()) {
      errors.put(
          "file",
          "The file is larger than "
              + limits.describeBytes()
              + ". Upload an image of at most "
              + limits.describeBytes()
              + "; make it smaller in an image editor first.");
    } else {
      format = ImageFormat.sniff(bytes).orElse(null);
      if (format == null) {
        errors.put("file", ImageFormat.refusal(bytes));
      } else {
        size = ImageDecoder.size(bytes, format).orElse(null);
        if (size == null) {
          errors.put("file", ImageDecoder.DAMAGED);
        } else if (tooLarge(size)) {
          errors.put("file", tooLargeMessage(size));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    imagesInMemory.acquireUninterruptibly();
    try {
      return store(bytes, format, size, originalName, alt, cleanCredit, uploadedBy, actor);
    } finally {
      imagesInMemory.release();
    }
  }

  /** The widest thumbnail of an embed kept: a card is at most a column wide. */
  static final int THUMBNAIL_WIDTH = 800;

  /**
   * Copies an embed's thumbnail (fetched from its provider) into the media folder: judged by its
   * content, re-encoded as JPEG at most {@value #THUMBNAIL_WIDTH} px wide, not listed in the
   * library. Empty when the bytes are not an image we accept or too large; nothing is written then.
   */
  public Optional<org.broadsheet.site.Picture> storeThumbnail(byte[] bytes) {
    ImageFormat format = ImageFormat.sniff(bytes).orElse(null);
    if (format == null || bytes.length > limits.maxBytes()) {
      return Optional.empty();
    }
    ImageDecoder.Size size = ImageDecoder.size(bytes, format).orElse(null);
    if (size == null || tooLarge(size)) {
      return Optional.empty();
    }
    imagesInMemory.acquireUninterruptibly();
    try {
      BufferedImage image = ImageEncoder.normalise(ImageDecoder.decode(bytes, format, size), false);
      if (image.getWidth() > THUMBNAIL_WIDTH) {
        image = ImageEncoder.resize(image, THUMBNAIL_WIDTH);
      }
      String name = files.newName("jpg");
      files.write(name, ImageEncoder.encode(image, false));
      return Optional.of(
          new org.broadsheet.site.Picture(
              Media.URL_PREFIX + name, "", image.getWidth(), image.getHeight(), ""));
    } catch (IOException | ValidationException e) {
      return Optional.empty();
    } finally {
      imagesInMemory.release();
    }
  }

  private Media store(
      byte[] bytes,
      ImageFormat format,
      ImageDecoder.Size size,
      String originalName,
      String alt,
      String credit,
      Long uploadedBy,
      Actor actor) {
    BufferedImage decoded = ImageDecoder.decode(bytes, format, size);
    // Charts, screenshots and logos come as PNG or GIF: they stay lossless (JPEG would blur their
    // text and edges). Photos come as JPEG and stay JPEG; a WebP is kept lossless if it is
    // transparent.
    boolean png =
        format == ImageFormat.PNG
            || format == ImageFormat.GIF
            || (format == ImageFormat.WEBP && decoded.getColorModel().hasAlpha());
    BufferedImage image = ImageEncoder.normalise(decoded, png);
    String name = files.newName(png ? "png" : "jpg");
    List<String> written = new ArrayList<>();
    try {
      byte[] full = ImageEncoder.encode(image, png);
      files.write(name, full);
      written.add(name);
      List<Integer> sizes = new ArrayList<>();
      for (int width : SIZES) {
        if (width < image.getWidth()) {
          String sized = Media.sizedName(name, width);
          files.write(sized, ImageEncoder.encode(ImageEncoder.resize(image, width), png));
          written.add(sized);
          sizes.add(width);
        }
      }
      Media media =
          new Media(
              0,
              name,
              originalName,
              png ? "image/png" : "image/jpeg",
              image.getWidth(),
              image.getHeight(),
              full.length,
              alt,
              credit,
              sizes,
              uploadedBy,
              Instant.ofEpochMilli(clock.millis()));
      return jdbi.inTransaction(
          h -> {
            Media saved = media.withId(dao.insert(h, media));
            record(h, actor, "media.upload", saved.id(), saved.originalName());
            return saved;
          });
    } catch (IOException e) {
      written.forEach(files::deleteQuietly);
      throw new UncheckedIOException(
          "Could not store the image in " + files.folder() + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      written.forEach(files::deleteQuietly);
      throw e;
    }
  }

  private boolean tooLarge(ImageDecoder.Size size) {
    return size.width() < 1
        || size.height() < 1
        || size.width() > limits.maxSide()
        || size.height() > limits.maxSide()
        || size.pixels() > limits.maxPixels();
  }

  private String tooLargeMessage(ImageDecoder.Size size) {
    if (size.width() < 1 || size.height() < 1) {
      return ImageDecoder.DAMAGED;
    }
    return "This image is "
        + size.width()
        + " × "
        + size.height()
        + " pixels; the library takes at most "
        + String.format(java.util.Locale.ROOT, "%,d", limits.maxSide())
        + " pixels on a side and "
        + megapixels(limits.maxPixels())
        + " in all. Make it smaller in an image editor and upload it again.";
  }

  private static String megapixels(long pixels) {
    return pixels % 1_000_000 == 0
        ? pixels / 1_000_000 + " megapixels"
        : String.format(java.util.Locale.ROOT, "%,d pixels", pixels);
  }

  private byte[] read(InputStream content) {
    if (content == null) {
      return new byte[0];
    }
    try {
      return content.readNBytes((int) limits.maxBytes() + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the upload: " + e.getMessage(), e);
    }
  }

  private void record(
      org.jdbi.v3.core.Handle h, Actor actor, String action, long id, String detail) {
    if (audit != null && actor != null) {
      audit.record(h, actor, action, "media:" + id, detail);
    }
  }

  /**
   * How a page writes the image at {@code src}: one of ours gets its stored copies as srcset and
   * its size; anything else is written as given. Cached by address (copies never change; a deleted
   * image is forgotten at once on this node and within ten minutes on others).
   */
  public org.broadsheet.site.Picture picture(String src) {
    if (src == null || !src.startsWith(Media.URL_PREFIX)) {
      return org.broadsheet.site.Picture.plain(src);
    }
    return pictures.get(
        src,
        s ->
            dao.byStoredName(s.substring(Media.URL_PREFIX.length()))
                .map(
                    m ->
                        new org.broadsheet.site.Picture(
                            m.url(),
                            m.sizes().isEmpty() ? "" : m.srcset(),
                            m.width(),
                            m.height(),
                            m.credit() == null ? "" : m.credit()))
                .orElseGet(() -> org.broadsheet.site.Picture.plain(s)));
  }

  private final com.github.benmanes.caffeine.cache.Cache<String, org.broadsheet.site.Picture>
      pictures =
          com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
              .maximumSize(20_000)
              .expireAfterWrite(java.time.Duration.ofMinutes(10))
              .build();

  public Optional<Media> byId(long id) {
    return dao.byId(id);
  }

  /** The newest images first. */
  public List<Media> latest(int limit, int offset) {
    if (limit < 0 || offset < 0) {
      throw new IllegalArgumentException("limit and offset must not be negative");
    }
    return limit == 0 ? List.of() : dao.latest(limit, offset);
  }

  /** The image is someone else's, and the member may change only their own. */
  public static final class NotYours extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotYours() {
      super(
          "You can change the alt text and credit of your own uploads; an editor can change"
              + " anyone's.",
          null,
          false,
          false);
    }
  }

  /**
   * Changes an image's alt text and credit, checked as on upload.
   *
   * @param anyones whether the member may change other people's uploads (editors, admins)
   * @throws ValidationException for unusable text, or under {@code media} when there is no such
   *     image
   * @throws NotYours when the image is someone else's and {@code anyones} is false
   */
  public void updateText(long id, String altText, String credit, Actor actor, boolean anyones) {
    Map<String, String> errors = new LinkedHashMap<>();
    String alt = MediaText.alt(altText, errors);
    String cleanCredit = MediaText.credit(credit, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    jdbi.useTransaction(
        h -> {
          Long uploader =
              dao.uploader(h, id)
                  .orElseThrow(
                      () ->
                          new ValidationException(
                              Map.of(
                                  "media",
                                  "There is no image with id "
                                      + id
                                      + "; it may have been deleted.")));
          if (!anyones && (actor == null || !uploader.equals(actor.userId()))) {
            throw new NotYours();
          }
          dao.updateText(h, id, alt, cleanCredit);
          record(h, actor, "media.update", id, "");
        });
  }

  /**
   * Deletes the image's row, then its files. Nothing happens when there is no such image. Refused
   * with a {@link ValidationException} naming every article, byline and setting that still shows
   * it, so no published page ever loses a picture.
   */
  public void delete(long id, Actor actor) {
    jdbi.inTransaction(
            h -> {
              Optional<Media> found = dao.byId(h, id);
              if (found.isPresent()) {
                List<String> uses = dao.usedBy(h, found.get().storedName());
                if (!uses.isEmpty()) {
                  throw new ValidationException(
                      Map.of(
                          "media",
                          "This image is still used by "
                              + String.join(", ", uses)
                              + ". Take it out of "
                              + (uses.size() == 1 ? "that" : "those")
                              + " first, then delete it."));
                }
              }
              Optional<Media> gone = dao.delete(h, id);
              gone.ifPresent(m -> record(h, actor, "media.delete", id, m.originalName()));
              return gone;
            })
        .ifPresent(
            media -> {
              pictures.invalidate(media.url());
              files.deleteQuietly(media.storedName());
              for (int width : media.sizes()) {
                files.deleteQuietly(Media.sizedName(media.storedName(), width));
              }
            });
  }

  /**
   * The stored file for a {@code /media/{file}} request: only a generated name (32 hex digits, an
   * optional {@code -NNNw}, {@code .jpg} or {@code .png}) of a file that exists in the media
   * folder. Anything else (dots, slashes, NUL, other extensions, unknown names) is empty, so answer
   * 404.
   */
  public Optional<Path> file(String requestedName) {
    return files.existing(requestedName);
  }

  /** The content type to serve a stored file with, from its (already checked) name. */
  public static String contentType(Path file) {
    return file.getFileName().toString().endsWith(".png") ? "image/png" : "image/jpeg";
  }
}
