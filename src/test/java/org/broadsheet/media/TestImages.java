package org.broadsheet.media;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Images made in code for the media tests, so no binary fixtures are needed. */
public final class TestImages {

  /** A 1×1 lossless WebP with an alpha channel. */
  static final byte[] WEBP_LOSSLESS =
      Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

  /** A 1×1 lossy WebP without alpha. */
  static final byte[] WEBP_LOSSY =
      Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");

  private TestImages() {}

  static BufferedImage picture(int width, int height, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.BLUE, width, height, Color.ORANGE));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.RED);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    return image;
  }

  public static byte[] jpeg(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_INT_RGB), "jpeg");
  }

  static byte[] png(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_INT_RGB), "png");
  }

  static byte[] gif(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_INT_RGB), "gif");
  }

  /** A PNG whose left half is fully transparent. */
  static byte[] pngWithAlpha(int width, int height) {
    BufferedImage image = picture(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width / 2; x++) {
        image.setRGB(x, y, 0x00000000);
      }
    }
    return write(image, "png");
  }

  /**
   * A JPEG with an EXIF segment (carrying a fake GPS note) and a comment segment after SOI, and a
   * script appended after the end-of-image marker.
   */
  static byte[] jpegWithMetadataAndTrailer(int width, int height) {
    byte[] plain = jpeg(width, height);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 2);
    byte[] exif =
        "Exif\0\0MM\0*GPS 59.9139N 10.7522E SECRET-LOCATION".getBytes(StandardCharsets.ISO_8859_1);
    segment(out, 0xe1, exif);
    segment(out, 0xfe, "SECRET-COMMENT".getBytes(StandardCharsets.ISO_8859_1));
    out.write(plain, 2, plain.length - 2);
    out.writeBytes(
        "<?php system($_GET['c']); ?>SECRET-TRAILER".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
    int length = payload.length + 2;
    out.write(0xff);
    out.write(marker);
    out.write(length >> 8);
    out.write(length & 0xff);
    out.writeBytes(payload);
  }

  /**
   * A small PNG that declares {@code width × height} pixels in its header, with a few compressed
   * rows of zeros as data: decoding it would allocate the whole declared raster.
   */
  static byte[] pngDeclaring(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0);
    header.put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", header.array());
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[64 * 1024]);
    deflater.finish();
    byte[] buffer = new byte[64 * 1024];
    int length = deflater.deflate(buffer);
    deflater.end();
    byte[] data = new byte[length];
    System.arraycopy(buffer, 0, data, 0, length);
    chunk(out, "IDAT", data);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static BufferedImage read(byte[] content) {
    try {
      return ImageIO.read(new ByteArrayInputStream(content));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
