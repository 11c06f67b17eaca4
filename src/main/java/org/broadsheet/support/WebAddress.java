package org.broadsheet.support;

import java.util.regex.Pattern;

/**
 * A link a reader gave (a commenter's website): kept only when it is a plain {@code http://} or
 * {@code https://} address of sensible length, so a {@code javascript:} or {@code data:} address
 * never becomes a link, whatever path it came by (the form, an import, an old row). Stateless.
 */
public final class WebAddress {

  public static final int MAX = 500;

  private static final Pattern WEB =
      Pattern.compile(
          "https?://[^\\s<>\"'`\\p{Cntrl}]{1," + (MAX - 10) + "}", Pattern.CASE_INSENSITIVE);

  private WebAddress() {}

  public static boolean isWeb(String url) {
    return url != null && url.length() <= MAX && WEB.matcher(url).matches();
  }

  /** The address when it is a web address, else the empty string. */
  public static String orEmpty(String url) {
    String clean = url == null ? "" : url.strip();
    return isWeb(clean) ? clean : "";
  }
}
