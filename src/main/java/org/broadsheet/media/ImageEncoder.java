package org.broadsheet.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import net.coobird.thumbnailator.Thumbnails;

/**
 * Writes decoded images back out as JPEG or PNG without any metadata (so EXIF, GPS, comments and
 * anything after the image data are gone), and makes narrower copies. Stateless; each call uses its
 * own writer.
 */
final class ImageEncoder {

  /** JPEG quality: small files without visible artefacts in photographs. */
  static final float JPEG_QUALITY = 0.85f;

  private ImageEncoder() {}

  /**
   * The image in a form the encoder writes reliably: 8-bit ARGB for PNG, 8-bit RGB on white for
   * JPEG (JPEG has no transparency).
   */
  static BufferedImage normalise(BufferedImage image, boolean png) {
    int type = png ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    if (image.getType() == type) {
      return image;
    }
    BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), type);
    Graphics2D g = copy.createGraphics();
    try {
      if (!png) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
      }
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return copy;
  }

  /** A copy {@code width} pixels wide with the same aspect ratio (at least one pixel high). */
  static BufferedImage resize(BufferedImage image, int width) throws IOException {
    int height =
        (int) Math.max(1, Math.round((double) image.getHeight() * width / image.getWidth()));
    return Thumbnails.of(image).size(width, height).keepAspectRatio(false).asBufferedImage();
  }

  /** The image encoded as PNG or as JPEG, with no metadata. */
  static byte[] encode(BufferedImage image, boolean png) throws IOException {
    BufferedImage pixels = normalise(image, png);
    ImageWriter writer = writer(png ? "png" : "jpeg");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (!png) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
      }
      writer.write(null, new IIOImage(pixels, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static ImageWriter writer(String format) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IllegalStateException("No ImageIO writer for " + format + " on the class path.");
    }
    return writers.next();
  }
}
