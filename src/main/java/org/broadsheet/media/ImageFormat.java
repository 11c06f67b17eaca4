package org.broadsheet.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats the library accepts, recognised by their first bytes (never by a file name or a
 * client's content type), and the message for content that is none of them. Immutable.
 */
enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  WEBP("webp");

  static final String NOT_AN_IMAGE =
      "This file is not a JPEG, PNG, GIF or WebP image. Upload one of those; the file's content"
          + " counts, not its name.";
  static final String EMPTY = "The file is empty. Choose a JPEG, PNG, GIF or WebP image.";
  static final String SVG =
      "This file is not a JPEG, PNG, GIF or WebP image. SVG is not accepted because it can carry"
          + " scripts; export it as PNG and upload that.";
  static final String PDF =
      "This file is a PDF, not an image. Upload a JPEG, PNG, GIF or WebP image; export the page as"
          + " one if you need it.";
  static final String HEIF =
      "This file is a HEIC or AVIF image, which not every browser can show. Export it as JPEG and"
          + " upload that.";

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** The ImageIO format name of the reader. */
  final String readerName;

  ImageFormat(String readerName) {
    this.readerName = readerName;
  }

  /** The format the content is in, judged by its magic bytes. */
  static Optional<ImageFormat> sniff(byte[] content) {
    if (startsWith(content, 0, (byte) 0xff, (byte) 0xd8, (byte) 0xff)) {
      return Optional.of(JPEG);
    }
    if (startsWith(content, 0, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    if (startsWith(content, 0, ascii("GIF87a")) || startsWith(content, 0, ascii("GIF89a"))) {
      return Optional.of(GIF);
    }
    if (startsWith(content, 0, ascii("RIFF")) && startsWith(content, 8, ascii("WEBP"))) {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }

  /** Why content that {@link #sniff} did not recognise is refused, for the person uploading it. */
  static String refusal(byte[] content) {
    if (content.length == 0) {
      return EMPTY;
    }
    if (startsWith(content, 0, ascii("%PDF"))) {
      return PDF;
    }
    if (startsWith(content, 4, ascii("ftyp"))) {
      String brand =
          new String(content, 8, Math.min(4, content.length - 8), StandardCharsets.US_ASCII);
      if (brand.startsWith("hei") || brand.startsWith("mif") || brand.startsWith("avi")) {
        return HEIF;
      }
    }
    String head =
        new String(content, 0, Math.min(content.length, 4096), StandardCharsets.ISO_8859_1)
            .toLowerCase(Locale.ROOT);
    if (head.contains("<svg") || head.contains("<?xml")) {
      return SVG;
    }
    return NOT_AN_IMAGE;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean startsWith(byte[] content, int offset, byte... prefix) {
    return content.length >= offset + prefix.length
        && Arrays.equals(content, offset, offset + prefix.length, prefix, 0, prefix.length);
  }
}
