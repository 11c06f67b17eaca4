package org.broadsheet.embed;

import java.util.List;

/**
 * The services whose links become embeds: the name readers see, what their frame shows, the one
 * origin the page's Content-Security-Policy must allow for it, and (where the provider documents
 * one that needs no key) its oEmbed endpoint, asked only when the operator allows outbound fetches.
 */
public enum Provider {
  YOUTUBE(
      "YouTube",
      "video",
      "https://www.youtube-nocookie.com",
      "https://www.youtube.com/oembed?format=json&url="),
  VIMEO("Vimeo", "video", "https://player.vimeo.com", "https://vimeo.com/api/oembed.json?url="),
  X(
      "X",
      "post",
      "https://platform.twitter.com",
      "https://publish.twitter.com/oembed?omit_script=1&dnt=true&url="),
  INSTAGRAM("Instagram", "post", "https://www.instagram.com", ""),
  FACEBOOK("Facebook", "post", "https://www.facebook.com", ""),
  TIKTOK("TikTok", "video", "https://www.tiktok.com", "https://www.tiktok.com/oembed?url="),
  TELEGRAM("Telegram", "post", "https://t.me", ""),
  SPOTIFY("Spotify", "audio", "https://open.spotify.com", "https://open.spotify.com/oembed?url="),
  SOUNDCLOUD(
      "SoundCloud",
      "audio",
      "https://w.soundcloud.com",
      "https://soundcloud.com/oembed?format=json&url="),
  GOOGLE_MAPS("Google Maps", "map", "https://maps.google.com", ""),
  OPENSTREETMAP("OpenStreetMap", "map", "https://www.openstreetmap.org", ""),
  DATAWRAPPER(
      "Datawrapper",
      "chart",
      "https://datawrapper.dwcdn.net",
      "https://api.datawrapper.de/v3/oembed?url="),
  FLOURISH(
      "Flourish", "chart", "https://flo.uri.sh", "https://app.flourish.studio/api/v1/oembed?url=");

  /**
   * Hosts the server may ask when outbound fetches are on: the oEmbed endpoints above, and the
   * image hosts their answers name for thumbnails (a host or any of its subdomains). Nothing else,
   * whatever an answer or a redirect says.
   */
  public static final List<String> FETCH_HOSTS =
      List.of(
          "www.youtube.com",
          "ytimg.com",
          "vimeo.com",
          "vimeocdn.com",
          "publish.twitter.com",
          "www.tiktok.com",
          "tiktokcdn.com",
          "tiktokcdn-us.com",
          "open.spotify.com",
          "scdn.co",
          "spotifycdn.com",
          "soundcloud.com",
          "sndcdn.com",
          "api.datawrapper.de",
          "datawrapper.de",
          "dwcdn.net",
          "app.flourish.studio",
          "flourish.studio");

  private final String displayName;
  private final String kind;
  private final String frameOrigin;
  private final String oembedEndpoint;

  Provider(String displayName, String kind, String frameOrigin, String oembedEndpoint) {
    this.displayName = displayName;
    this.kind = kind;
    this.frameOrigin = frameOrigin;
    this.oembedEndpoint = oembedEndpoint;
  }

  public String displayName() {
    return displayName;
  }

  /** What readers get: video, post, audio, map or chart. */
  public String kind() {
    return kind;
  }

  /** The origin the page's {@code frame-src} allows when a story embeds from this provider. */
  public String frameOrigin() {
    return frameOrigin;
  }

  /** The oEmbed endpoint the link is appended to (URL-encoded), or empty when there is none. */
  String oembedEndpoint() {
    return oembedEndpoint;
  }

  /** The words on the card's button. */
  public String action() {
    return switch (kind) {
      case "video" -> "Play the video";
      case "audio" -> "Play";
      case "map" -> "Show the map";
      case "chart" -> "Show the chart";
      default -> "Show the post";
    };
  }
}
