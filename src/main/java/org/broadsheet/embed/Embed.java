package org.broadsheet.embed;

/**
 * A link recognised as an embed: the address as written (what readers open without the frame), who
 * provides it, the frame's address (built only from the identifiers found in the link), and the
 * shape of the box it needs so that nothing moves when it loads.
 */
public record Embed(String url, Provider provider, String frameSrc, Shape shape) {

  /** The box a frame fills; the card reserves the same box. */
  public enum Shape {
    /** 16:9: videos. */
    WIDE,
    /** 9:16: short vertical videos. */
    TALL,
    /** A social post: a column of fixed height. */
    POST,
    /** One track or episode: a strip. */
    AUDIO,
    /** An album, playlist or show: a taller strip. */
    PLAYLIST,
    /** 4:3: maps. */
    MAP,
    /** Charts: a fixed height. */
    CHART;

    public String cssClass() {
      return "embed-" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
