package org.broadsheet.site;

/**
 * How a public image is written into a page: its source, the smaller stored copies for {@code
 * srcset} (empty when there are none), and its intrinsic size for {@code width}/{@code height} (so
 * the page does not shift when it loads).
 */
public record Picture(String src, String srcset, int width, int height, String credit) {

  /**
   * An image the media library does not know (an outside address): its source in a 16:9 box; a
   * vector image (SVG) is sharp at any width, so it is its own srcset.
   */
  public static Picture plain(String src) {
    boolean vector = src != null && src.toLowerCase(java.util.Locale.ROOT).endsWith(".svg");
    return new Picture(src, vector ? src + " 1200w" : "", 1200, 675, "");
  }

  public boolean hasSrcset() {
    return !srcset.isEmpty();
  }
}
