package org.broadsheet.support;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * URL slugs: lowercase ASCII words joined by hyphens. Makes them from any text (Latin diacritics
 * folded, Ukrainian and Russian Cyrillic transliterated) and checks the ones that arrive in URLs.
 * Stateless and thread-safe.
 */
public final class Slugs {

  public static final int MAX_LENGTH = 120;
  private static final Pattern VALID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
  private static final Map<Character, String> CYRILLIC =
      Map.ofEntries(
          Map.entry('а', "a"),
          Map.entry('б', "b"),
          Map.entry('в', "v"),
          Map.entry('г', "h"),
          Map.entry('ґ', "g"),
          Map.entry('д', "d"),
          Map.entry('е', "e"),
          Map.entry('є', "ie"),
          Map.entry('ж', "zh"),
          Map.entry('з', "z"),
          Map.entry('и', "y"),
          Map.entry('і', "i"),
          Map.entry('ї', "i"),
          Map.entry('й', "i"),
          Map.entry('к', "k"),
          Map.entry('л', "l"),
          Map.entry('м', "m"),
          Map.entry('н', "n"),
          Map.entry('о', "o"),
          Map.entry('п', "p"),
          Map.entry('р', "r"),
          Map.entry('с', "s"),
          Map.entry('т', "t"),
          Map.entry('у', "u"),
          Map.entry('ф', "f"),
          Map.entry('х', "kh"),
          Map.entry('ц', "ts"),
          Map.entry('ч', "ch"),
          Map.entry('ш', "sh"),
          Map.entry('щ', "shch"),
          Map.entry('ь', ""),
          Map.entry('ю', "iu"),
          Map.entry('я', "ia"),
          Map.entry('ё', "e"),
          Map.entry('ы', "y"),
          Map.entry('э', "e"),
          Map.entry('ъ', ""),
          Map.entry('\'', ""),
          Map.entry('’', ""));

  private Slugs() {}

  /** True when the text is a well-formed slug of acceptable length. */
  public static boolean isValid(String candidate) {
    return candidate != null
        && candidate.length() <= MAX_LENGTH
        && VALID.matcher(candidate).matches();
  }

  /** Makes a slug from free text; returns an empty string when nothing usable is left. */
  public static String slugify(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder transliterated = new StringBuilder(text.length());
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      String replacement = CYRILLIC.get(c);
      transliterated.append(replacement != null ? replacement : String.valueOf(c));
    }
    String folded =
        Normalizer.normalize(transliterated, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    folded =
        folded
            .replace("ß", "ss")
            .replace("æ", "ae")
            .replace("ø", "o")
            .replace("ł", "l")
            .replace("đ", "d");
    String slug = folded.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > MAX_LENGTH) {
      slug = slug.substring(0, MAX_LENGTH);
      int cut = slug.lastIndexOf('-');
      slug = cut > MAX_LENGTH / 2 ? slug.substring(0, cut) : slug.replaceAll("-+$", "");
    }
    return slug;
  }
}
