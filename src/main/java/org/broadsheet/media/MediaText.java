package org.broadsheet.media;

import java.util.Map;

/**
 * The checks and clean-up for what people type about an image (alt text, credit) and for the name
 * its file was uploaded with. Stateless.
 */
final class MediaText {

  static final int MAX_ALT = 300;
  static final int MAX_CREDIT = 200;
  static final int MAX_FILE_NAME = 120;

  private MediaText() {}

  /** The stripped alt text; adds a message under {@code alt} to {@code errors} if unusable. */
  static String alt(String raw, Map<String, String> errors) {
    String alt = raw == null ? "" : raw.strip();
    if (alt.isEmpty()) {
      errors.put(
          "alt",
          "Describe the image in the alt text, for readers who cannot see it (for example"
              + " \"The mayor opens the new bridge\").");
    } else if (alt.codePointCount(0, alt.length()) > MAX_ALT) {
      errors.put(
          "alt",
          "The alt text has "
              + alt.codePointCount(0, alt.length())
              + " characters; shorten it to at most "
              + MAX_ALT
              + ".");
    } else if (hasControl(alt)) {
      errors.put(
          "alt", "The alt text contains line breaks or control characters; write it as one line.");
    }
    return alt;
  }

  /** The stripped credit (empty if none); adds a message under {@code credit} if unusable. */
  static String credit(String raw, Map<String, String> errors) {
    String credit = raw == null ? "" : raw.strip();
    if (credit.codePointCount(0, credit.length()) > MAX_CREDIT) {
      errors.put(
          "credit",
          "The credit has "
              + credit.codePointCount(0, credit.length())
              + " characters; shorten it to at most "
              + MAX_CREDIT
              + ".");
    } else if (hasControl(credit)) {
      errors.put(
          "credit", "The credit contains line breaks or control characters; write it as one line.");
    }
    return credit;
  }

  /**
   * The uploaded file's name for display: without any folder part (after the last {@code /} or
   * {@code \}), without control and invisible formatting characters (NUL, bidi overrides), stripped
   * and at most {@value #MAX_FILE_NAME} characters. Empty when nothing usable is left. It never
   * decides where a file is stored.
   */
  static String fileName(String raw) {
    if (raw == null) {
      return "";
    }
    String base = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
    StringBuilder kept = new StringBuilder(base.length());
    base.codePoints()
        .filter(
            c ->
                !Character.isISOControl(c)
                    && Character.getType(c) != Character.FORMAT
                    && Character.getType(c) != Character.SURROGATE
                    && Character.getType(c) != Character.UNASSIGNED
                    && Character.getType(c) != Character.PRIVATE_USE)
        .forEach(kept::appendCodePoint);
    String name = kept.toString().strip();
    if (name.chars().allMatch(c -> c == '.')) {
      return "";
    }
    if (name.codePointCount(0, name.length()) > MAX_FILE_NAME) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_FILE_NAME)).strip();
    }
    return name;
  }

  private static boolean hasControl(String text) {
    return text.codePoints().anyMatch(Character::isISOControl);
  }
}
