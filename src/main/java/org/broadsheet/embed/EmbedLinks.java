package org.broadsheet.embed;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises links to the providers Broadsheet embeds and builds each one's frame address. A frame
 * address is made only of identifiers matched by strict patterns (or the whole link, encoded as a
 * query value, where the provider's player takes it that way): nothing a writer types can reach the
 * page as markup or choose another host. Anything not recognised stays an ordinary link. Stateless.
 */
public final class EmbedLinks {

  private static final Pattern YOUTUBE_ID = Pattern.compile("[A-Za-z0-9_-]{11}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,25}");
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
  private static final Pattern TIME =
      Pattern.compile("(?:(\\d{1,2})h)?(?:(\\d{1,3})m)?(?:(\\d{1,5})s?)?");
  private static final Pattern SPOTIFY =
      Pattern.compile(
          "/(?:intl-[a-z-]{2,8}/)?(track|album|playlist|episode|show|artist)/([A-Za-z0-9]{22})/?");
  private static final Pattern GOOGLE_AT =
      Pattern.compile("@(-?\\d{1,3}(?:\\.\\d+)?),(-?\\d{1,3}(?:\\.\\d+)?),(\\d{1,2}(?:\\.\\d+)?)z");
  private static final Pattern OSM_MAP =
      Pattern.compile("map=(\\d{1,2})/(-?\\d{1,3}(?:\\.\\d+)?)/(-?\\d{1,3}(?:\\.\\d+)?)");
  private static final java.util.Set<String> SOUNDCLOUD_RESERVED =
      java.util.Set.of(
          "discover",
          "search",
          "stream",
          "you",
          "upload",
          "charts",
          "pages",
          "settings",
          "tags",
          "people",
          "mobile",
          "messages",
          "notifications",
          "signin",
          "logout",
          "terms-of-use");

  private EmbedLinks() {}

  /** The embed this text makes when it is a link alone on its line, if it is one we know. */
  public static Optional<Embed> recognize(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String link = text.strip();
    if (link.length() > 2000 || !(link.startsWith("https://") || link.startsWith("http://"))) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(link);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (uri.getRawAuthority() == null
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || (uri.getPort() != -1 && uri.getPort() != 443 && uri.getPort() != 80)) {
      return Optional.empty();
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("www.")) {
      host = host.substring(4);
    } else if (host.startsWith("m.")) {
      host = host.substring(2);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String[] parts = path.substring(1).split("/", -1);
    Map<String, String> query = query(uri.getRawQuery());
    String fragment = uri.getRawFragment() == null ? "" : uri.getRawFragment();
    Optional<Embed> found =
        switch (host) {
          case "youtube.com", "youtube-nocookie.com" -> youtube(link, parts, query);
          case "youtu.be" -> youtubeId(link, parts.length == 1 ? parts[0] : "", query, false);
          case "vimeo.com", "player.vimeo.com" -> vimeo(link, parts);
          case "twitter.com", "x.com", "mobile.twitter.com" -> x(link, parts);
          case "instagram.com" -> instagram(link, parts);
          case "facebook.com", "web.facebook.com" -> facebook(link, path, parts, query);
          case "fb.watch" ->
              code(parts, 0).map(c -> facebookFrame(link, "video", "https://fb.watch/" + c + "/"));
          case "tiktok.com" -> tiktok(link, parts);
          case "t.me" -> telegram(link, parts);
          case "open.spotify.com" -> spotify(link, path);
          case "soundcloud.com" -> soundcloud(link, parts);
          case "maps.google.com" -> googleMaps(link, "/maps", parts, query);
          case "openstreetmap.org" -> openStreetMap(link, query, fragment);
          case "datawrapper.dwcdn.net" -> datawrapper(link, parts, 0);
          case "datawrapper.de" ->
              parts.length >= 2 && parts[0].equals("_")
                  ? datawrapper(link, parts, 1)
                  : Optional.empty();
          case "public.flourish.studio", "flo.uri.sh" -> flourish(link, parts);
          default ->
              host.matches("google\\.[a-z]{2,3}(\\.[a-z]{2})?") && parts[0].equals("maps")
                  ? googleMaps(link, path, parts, query)
                  : Optional.empty();
        };
    return found;
  }

  private static Optional<Embed> youtube(String link, String[] parts, Map<String, String> query) {
    return switch (parts[0]) {
      case "watch" -> youtubeId(link, query.getOrDefault("v", ""), query, false);
      case "shorts" -> youtubeId(link, part(parts, 1), query, true);
      case "embed", "live", "v" -> youtubeId(link, part(parts, 1), query, false);
      default -> Optional.empty();
    };
  }

  private static Optional<Embed> youtubeId(
      String link, String id, Map<String, String> query, boolean vertical) {
    if (!YOUTUBE_ID.matcher(id).matches()) {
      return Optional.empty();
    }
    String frame = "https://www.youtube-nocookie.com/embed/" + id;
    long start = seconds(query.getOrDefault("t", query.getOrDefault("start", "")));
    if (start > 0) {
      frame += "?start=" + start;
    }
    return Optional.of(
        new Embed(link, Provider.YOUTUBE, frame, vertical ? Embed.Shape.TALL : Embed.Shape.WIDE));
  }

  private static long seconds(String value) {
    Matcher m = TIME.matcher(value);
    if (value.isEmpty() || !m.matches()) {
      return 0;
    }
    long total = 0;
    if (m.group(1) != null) {
      total += Long.parseLong(m.group(1)) * 3600;
    }
    if (m.group(2) != null) {
      total += Long.parseLong(m.group(2)) * 60;
    }
    if (m.group(3) != null) {
      total += Long.parseLong(m.group(3));
    }
    return total;
  }

  private static Optional<Embed> vimeo(String link, String[] parts) {
    // vimeo.com/123, vimeo.com/123/abcdef (unlisted), vimeo.com/channels/x/123,
    // player.vimeo.com/video/123
    for (int i = 0; i < parts.length; i++) {
      if (DIGITS.matcher(parts[i]).matches()) {
        String frame = "https://player.vimeo.com/video/" + parts[i] + "?dnt=1";
        String next = part(parts, i + 1);
        if (next.matches("[0-9a-f]{6,20}")) {
          frame += "&h=" + next;
        }
        return Optional.of(new Embed(link, Provider.VIMEO, frame, Embed.Shape.WIDE));
      }
    }
    return Optional.empty();
  }

  private static Optional<Embed> x(String link, String[] parts) {
    if (parts.length >= 3
        && SEGMENT.matcher(parts[0]).matches()
        && parts[1].equals("status")
        && DIGITS.matcher(parts[2]).matches()) {
      return Optional.of(
          new Embed(
              link,
              Provider.X,
              "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=" + parts[2],
              Embed.Shape.POST));
    }
    return Optional.empty();
  }

  private static Optional<Embed> instagram(String link, String[] parts) {
    int at = parts.length >= 3 && !java.util.List.of("p", "reel", "tv").contains(parts[0]) ? 1 : 0;
    String kind = part(parts, at);
    String code = part(parts, at + 1);
    if (java.util.List.of("p", "reel", "tv").contains(kind) && CODE.matcher(code).matches()) {
      return Optional.of(
          new Embed(
              link,
              Provider.INSTAGRAM,
              "https://www.instagram.com/"
                  + (kind.equals("reel") ? "reel" : "p")
                  + "/"
                  + code
                  + "/embed/",
              Embed.Shape.POST));
    }
    return Optional.empty();
  }

  private static Optional<Embed> facebook(
      String link, String path, String[] parts, Map<String, String> query) {
    // Posts, videos and reels of pages and people; the player takes the whole link.
    boolean video =
        parts[0].equals("watch")
            || parts[0].equals("reel")
            || (parts.length >= 3 && parts[1].equals("videos"));
    boolean post =
        (parts.length >= 3 && (parts[1].equals("posts") || parts[1].equals("photos")))
            || parts[0].equals("permalink.php")
            || parts[0].equals("photo.php")
            || parts[0].equals("photo");
    if (!video && !post) {
      return Optional.empty();
    }
    for (String part : parts) {
      if (!part.isEmpty()
          && !SEGMENT.matcher(part).matches()
          && !part.matches("[A-Za-z0-9_.:-]{1,100}")) {
        return Optional.empty();
      }
    }
    StringBuilder canonical = new StringBuilder("https://www.facebook.com").append(path);
    String separator = "?";
    for (String name : java.util.List.of("v", "story_fbid", "id", "fbid")) {
      String value = query.get(name);
      if (value != null && CODE.matcher(value).matches()) {
        canonical.append(separator).append(name).append('=').append(value);
        separator = "&";
      }
    }
    return Optional.of(facebookFrame(link, video ? "video" : "post", canonical.toString()));
  }

  private static Embed facebookFrame(String link, String kind, String canonical) {
    String encoded = URLEncoder.encode(canonical, StandardCharsets.UTF_8);
    return kind.equals("video")
        ? new Embed(
            link,
            Provider.FACEBOOK,
            "https://www.facebook.com/plugins/video.php?show_text=false&href=" + encoded,
            Embed.Shape.WIDE)
        : new Embed(
            link,
            Provider.FACEBOOK,
            "https://www.facebook.com/plugins/post.php?show_text=true&href=" + encoded,
            Embed.Shape.POST);
  }

  private static Optional<Embed> tiktok(String link, String[] parts) {
    if (parts.length >= 3
        && parts[0].startsWith("@")
        && parts[1].equals("video")
        && DIGITS.matcher(parts[2]).matches()) {
      return Optional.of(
          new Embed(
              link,
              Provider.TIKTOK,
              "https://www.tiktok.com/embed/v2/" + parts[2],
              Embed.Shape.TALL));
    }
    return Optional.empty();
  }

  private static Optional<Embed> telegram(String link, String[] parts) {
    int at = parts[0].equals("s") ? 1 : 0;
    String channel = part(parts, at);
    String post = part(parts, at + 1);
    if (channel.matches("[A-Za-z][A-Za-z0-9_]{3,31}") && DIGITS.matcher(post).matches()) {
      return Optional.of(
          new Embed(
              link,
              Provider.TELEGRAM,
              "https://t.me/" + channel + "/" + post + "?embed=1",
              Embed.Shape.POST));
    }
    return Optional.empty();
  }

  private static Optional<Embed> spotify(String link, String path) {
    Matcher m = SPOTIFY.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    boolean single = m.group(1).equals("track") || m.group(1).equals("episode");
    return Optional.of(
        new Embed(
            link,
            Provider.SPOTIFY,
            "https://open.spotify.com/embed/" + m.group(1) + "/" + m.group(2),
            single ? Embed.Shape.AUDIO : Embed.Shape.PLAYLIST));
  }

  private static Optional<Embed> soundcloud(String link, String[] parts) {
    if (parts.length < 2 || parts.length > 4 || SOUNDCLOUD_RESERVED.contains(parts[0])) {
      return Optional.empty();
    }
    StringBuilder canonical = new StringBuilder("https://soundcloud.com");
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      if (!SEGMENT.matcher(part).matches()) {
        return Optional.empty();
      }
      canonical.append('/').append(part);
    }
    boolean set = parts[1].equals("sets");
    if (set && parts.length < 3 || parts[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Embed(
            link,
            Provider.SOUNDCLOUD,
            "https://w.soundcloud.com/player/?visual=false&url="
                + URLEncoder.encode(canonical.toString(), StandardCharsets.UTF_8),
            set ? Embed.Shape.PLAYLIST : Embed.Shape.AUDIO));
  }

  private static Optional<Embed> googleMaps(
      String link, String path, String[] parts, Map<String, String> query) {
    String q = query.getOrDefault("q", query.getOrDefault("query", ""));
    String zoom = "";
    for (int i = 0; i + 1 < parts.length && q.isEmpty(); i++) {
      if ((parts[i].equals("place") || parts[i].equals("search"))
          && !parts[i + 1].startsWith("@")) {
        q = URLDecoder.decode(parts[i + 1].replace("+", "%20"), StandardCharsets.UTF_8);
      }
    }
    Matcher at = GOOGLE_AT.matcher(path);
    if (at.find()) {
      zoom = at.group(3).replaceAll("\\..*", "");
      if (q.isEmpty()) {
        q = at.group(1) + "," + at.group(2);
      }
    }
    q = q.strip();
    if (q.isEmpty() || q.length() > 200 || q.chars().anyMatch(Character::isISOControl)) {
      return Optional.empty();
    }
    String frame =
        "https://maps.google.com/maps?output=embed&q="
            + URLEncoder.encode(q, StandardCharsets.UTF_8)
            + (zoom.isEmpty() ? "" : "&z=" + zoom);
    return Optional.of(new Embed(link, Provider.GOOGLE_MAPS, frame, Embed.Shape.MAP));
  }

  private static Optional<Embed> openStreetMap(
      String link, Map<String, String> query, String fragment) {
    Matcher m = OSM_MAP.matcher(fragment);
    if (!m.find()) {
      return Optional.empty();
    }
    int zoom = Math.max(1, Math.min(19, Integer.parseInt(m.group(1))));
    double lat = Double.parseDouble(m.group(2));
    double lon = Double.parseDouble(m.group(3));
    if (Math.abs(lat) > 85 || Math.abs(lon) > 180) {
      return Optional.empty();
    }
    // The area the link shows at its zoom, for a frame about 700 × 525 px.
    double halfWidth = 360.0 / Math.pow(2, zoom) * 700 / 256 / 2;
    double halfHeight = halfWidth * 0.75 * Math.cos(Math.toRadians(lat));
    String frame =
        String.format(
            Locale.ROOT,
            "https://www.openstreetmap.org/export/embed.html?bbox=%.5f%%2C%.5f%%2C%.5f%%2C%.5f&layer=mapnik",
            lon - halfWidth,
            lat - halfHeight,
            lon + halfWidth,
            lat + halfHeight);
    String mlat = query.getOrDefault("mlat", "");
    String mlon = query.getOrDefault("mlon", "");
    if (mlat.matches("-?\\d{1,2}(\\.\\d+)?") && mlon.matches("-?\\d{1,3}(\\.\\d+)?")) {
      frame += "&marker=" + mlat + "%2C" + mlon;
    }
    return Optional.of(new Embed(link, Provider.OPENSTREETMAP, frame, Embed.Shape.MAP));
  }

  private static Optional<Embed> datawrapper(String link, String[] parts, int at) {
    String id = part(parts, at);
    if (!id.matches("[A-Za-z0-9]{5}")) {
      return Optional.empty();
    }
    String version = part(parts, at + 1);
    String frame =
        "https://datawrapper.dwcdn.net/"
            + id
            + "/"
            + (version.matches("\\d{1,4}") ? version + "/" : "");
    return Optional.of(new Embed(link, Provider.DATAWRAPPER, frame, Embed.Shape.CHART));
  }

  private static Optional<Embed> flourish(String link, String[] parts) {
    String kind = part(parts, 0);
    String id = part(parts, 1);
    if ((kind.equals("visualisation") || kind.equals("story")) && DIGITS.matcher(id).matches()) {
      return Optional.of(
          new Embed(
              link,
              Provider.FLOURISH,
              "https://flo.uri.sh/" + kind + "/" + id + "/embed",
              Embed.Shape.CHART));
    }
    return Optional.empty();
  }

  private static Optional<String> code(String[] parts, int index) {
    String value = part(parts, index);
    return CODE.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }

  private static String part(String[] parts, int index) {
    return index < parts.length ? parts[index] : "";
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        values.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // A malformed escape: not a value we would use.
      }
    }
    return values;
  }
}
