package org.broadsheet.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.broadsheet.support.ValidationException;

/**
 * Reads uploaded images with ImageIO: first only the header, to refuse images too large in pixels
 * before any pixels are allocated (decompression bombs), then the first frame. Stateless; each call
 * uses its own reader.
 */
final class ImageDecoder {

  static final String DAMAGED =
      "This image is damaged or incomplete and cannot be read. Open it in an image editor, save it"
          + " again and upload it once more.";

  private ImageDecoder() {}

  /** The size in pixels of the first image, read from the header only. */
  record Size(int width, int height) {
    long pixels() {
      return (long) width * height;
    }
  }

  /** The first image's size, from its header; empty when the header cannot be read. */
  static Optional<Size> size(byte[] content, ImageFormat format) {
    ImageReader reader = reader(format);
    try (var input = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      reader.setInput(input, true, true);
      return Optional.of(new Size(reader.getWidth(0), reader.getHeight(0)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } finally {
      reader.dispose();
    }
  }

  /**
   * Decodes the first image. Call only after {@link #size} was checked against the limits.
   *
   * @throws ValidationException when the image is damaged or cut short
   */
  static BufferedImage decode(byte[] content, ImageFormat format, Size expected) {
    ImageReader reader = reader(format);
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try (var input = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      reader.setInput(input, true, true);
      if (reader.getWidth(0) != expected.width() || reader.getHeight(0) != expected.height()) {
        throw damaged();
      }
      BufferedImage image = reader.read(0);
      if (image == null
          || image.getWidth() != expected.width()
          || image.getHeight() != expected.height()
          || warnings.stream().anyMatch(ImageDecoder::meansCutShort)) {
        throw damaged();
      }
      return image;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ValidationException validation) {
        throw validation;
      }
      throw damaged();
    } finally {
      reader.dispose();
    }
  }

  /** Warnings the JPEG decoder gives for a file that ends early (it fills the rest with grey). */
  private static boolean meansCutShort(String warning) {
    String text = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
    return text.contains("truncated") || text.contains("premature end");
  }

  private static ValidationException damaged() {
    return new ValidationException(Map.of("file", DAMAGED));
  }

  private static ImageReader reader(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName);
    if (!readers.hasNext()) {
      throw new IllegalStateException("No ImageIO reader for " + format + " on the class path.");
    }
    return readers.next();
  }
}
