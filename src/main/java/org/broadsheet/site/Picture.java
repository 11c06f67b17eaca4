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

  /**
   * The address of the smallest stored copy at least {@code width} px wide, or the original when
   * none is (for places that take one address, such as mail).
   */
  public String atLeast(int width) {
    String best = src;
    int bestWidth = Integer.MAX_VALUE;
    for (String candidate : srcset.split(",")) {
      String[] parts = candidate.strip().split("\\s+");
      if (parts.length == 2 && parts[1].endsWith("w")) {
        try {
          int w = Integer.parseInt(parts[1].substring(0, parts[1].length() - 1));
          if (w >= width && w < bestWidth) {
            best = parts[0];
            bestWidth = w;
          }
        } catch (NumberFormatException e) {
          // Not a width descriptor: skip it.
        }
      }
    }
    return best;
  }

  public boolean hasSrcset() {
    return !srcset.isEmpty();
  }
}
