package org.broadsheet.comment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Comment text is plain text: this turns it into safe HTML (everything escaped, blank lines into
 * paragraphs, line breaks kept, http(s) links made clickable with {@code rel="nofollow ugc
 * noopener"}), cleans what readers send (control and bidi-override characters), and makes the
 * initials for avatars. Stateless and thread-safe.
 */
public final class CommentText {

  static final Pattern LINK =
      Pattern.compile("\\bhttps?://[^\\s<>\"'`]+[^\\s<>\"'`.,;:!?)\\]}]", Pattern.CASE_INSENSITIVE);
  private static final Pattern BIDI_AND_CONTROL =
      Pattern.compile(
          "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF\\uFFFD]");

  private CommentText() {}

  /** Removes control characters and bidirectional overrides; normalises line endings. */
  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    return BIDI_AND_CONTROL.matcher(text.replace("\r\n", "\n").replace('\r', '\n')).replaceAll("");
  }

  /**
   * A single-line value (name, email, URL): cleaned, line breaks and tabs become spaces, trimmed.
   */
  public static String oneLine(String text) {
    return clean(text).replaceAll("[\\n\\t]+", " ").strip();
  }

  /** The pattern that finds links in comment text. */
  public static Pattern linkPattern() {
    return LINK;
  }

  public static int countLinks(String text) {
    Matcher m = LINK.matcher(text);
    int count = 0;
    while (m.find()) {
      count++;
    }
    return count;
  }

  /** Safe HTML for a comment body. */
  public static String toHtml(String body) {
    StringBuilder html = new StringBuilder(body.length() + 64);
    for (String paragraph : body.strip().split("\\n\\s*\\n")) {
      if (paragraph.isBlank()) {
        continue;
      }
      html.append("<p>");
      String[] lines = paragraph.strip().split("\\n");
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          html.append("<br>");
        }
        appendLinked(html, lines[i]);
      }
      html.append("</p>");
    }
    return html.toString();
  }

  private static void appendLinked(StringBuilder html, String line) {
    Matcher m = LINK.matcher(line);
    int last = 0;
    while (m.find()) {
      escape(html, line.substring(last, m.start()));
      String url = m.group();
      html.append("<a href=\"");
      escape(html, url);
      html.append("\" rel=\"nofollow ugc noopener\">");
      escape(html, url);
      html.append("</a>");
      last = m.end();
    }
    escape(html, line.substring(last));
  }

  static void escape(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&#34;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }

  /** Up to two initials for the avatar, e.g. "Ada Lind" gives "AL". */
  public static String initials(String name) {
    StringBuilder initials = new StringBuilder();
    for (String word : name.strip().split("\\s+")) {
      if (!word.isEmpty() && initials.length() < 2) {
        initials.appendCodePoint(Character.toUpperCase(word.codePointAt(0)));
      }
    }
    return initials.isEmpty() ? "?" : initials.toString();
  }

  /** One of eight avatar colours, stable for a name. */
  public static int colour(String name) {
    return Math.floorMod(name.strip().toLowerCase(java.util.Locale.ROOT).hashCode(), 8);
  }
}
