package org.broadsheet.media;

import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/**
 * One image in the media library: its generated file name, the name it was uploaded with (for
 * display only), its stored type, size in pixels and bytes, alt text, credit, the widths of its
 * smaller copies for {@code srcset}, who uploaded it and when. Immutable.
 *
 * @param storedName the generated file name in the media folder, e.g. {@code 3fa9…c1.jpg}
 * @param originalName the uploaded file's name without any path, sanitised; may be empty
 * @param contentType {@code image/jpeg} or {@code image/png}
 * @param bytes the size of the stored full-size file
 * @param sizes widths of the smaller copies, ascending; each is narrower than {@code width}
 * @param uploadedBy the user who uploaded it, or null when unknown or since deleted
 */
public record Media(
    long id,
    String storedName,
    String originalName,
    String contentType,
    int width,
    int height,
    long bytes,
    String alt,
    String credit,
    List<Integer> sizes,
    Long uploadedBy,
    Instant createdAt) {

  /** Where the media route serves files. */
  public static final String URL_PREFIX = "/media/";

  public Media {
    sizes = List.copyOf(sizes);
  }

  /** The full-size image's URL. */
  public String url() {
    return URL_PREFIX + storedName;
  }

  /** The URL of the copy with the given width (one of {@link #sizes()}), or the full size. */
  public String url(int sizeWidth) {
    return sizes.contains(sizeWidth) ? URL_PREFIX + sizedName(storedName, sizeWidth) : url();
  }

  /**
   * The {@code srcset} attribute value: every smaller copy and the full size, e.g. {@code
   * /media/x-480w.jpg 480w, /media/x-800w.jpg 800w, /media/x.jpg 1920w}.
   */
  public String srcset() {
    StringJoiner set = new StringJoiner(", ");
    for (int size : sizes) {
      set.add(URL_PREFIX + sizedName(storedName, size) + " " + size + "w");
    }
    set.add(url() + " " + width + "w");
    return set.toString();
  }

  Media withId(long newId) {
    return new Media(
        newId,
        storedName,
        originalName,
        contentType,
        width,
        height,
        bytes,
        alt,
        credit,
        sizes,
        uploadedBy,
        createdAt);
  }

  /** The file name of a smaller copy: {@code abc.jpg} at 800 is {@code abc-800w.jpg}. */
  static String sizedName(String storedName, int sizeWidth) {
    int dot = storedName.lastIndexOf('.');
    return storedName.substring(0, dot) + "-" + sizeWidth + "w" + storedName.substring(dot);
  }
}
