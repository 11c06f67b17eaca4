package org.broadsheet.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One setting, declared once in {@link Settings}: its environment variable, its key in the
 * properties file, its default, what it means, and how its text becomes a checked value. Parsing,
 * range checks, the {@code --help} text, the newsroom's settings page and the README's table all
 * come from this declaration. Immutable and thread-safe.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {

  /** Turns a setting's text into its value, or says what is wrong with it. */
  @FunctionalInterface
  interface Parser<T> {
    /** The value, or throws {@link IllegalArgumentException} with what a person should fix. */
    T parse(String text);
  }

  private final String env;
  private final String property;
  private final String defaultValue;
  private final String meaning;
  private final Parser<T> parser;
  private final boolean secret;

  Setting(
      String env,
      String property,
      String defaultValue,
      String meaning,
      Parser<T> parser,
      boolean secret) {
    this.env = env;
    this.property = property;
    this.defaultValue = defaultValue;
    this.meaning = meaning;
    this.parser = parser;
    this.secret = secret;
  }

  /** The environment variable, e.g. {@code BROADSHEET_PORT}. */
  public String env() {
    return env;
  }

  /** The key in the properties file, e.g. {@code port}; empty when the file cannot set it. */
  public String property() {
    return property;
  }

  /** The default as text, as the README shows it. */
  public String defaultValue() {
    return defaultValue;
  }

  /** What the setting does, in one sentence for people. */
  public String meaning() {
    return meaning;
  }

  /** Whether the value must never be shown (passwords, secrets, tokens). */
  public boolean secret() {
    return secret;
  }

  /** The parsed value, or null after adding a problem naming the setting and the value. */
  T parse(String text, List<String> problems) {
    try {
      return parser.parse(text);
    } catch (IllegalArgumentException e) {
      // A secret's value never appears in a message, even a wrong one.
      problems.add((secret ? env : env + "=" + text) + ": " + e.getMessage());
      return null;
    }
  }

  @Override
  public String toString() {
    return env;
  }

  // ---- parsers ------------------------------------------------------------------------------

  static Parser<Integer> integer(int min, int max) {
    return text -> {
      int value;
      try {
        value = Integer.parseInt(text.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "not a whole number; must be between " + min + " and " + max + ".");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max + ".");
      }
      return value;
    };
  }

  static Parser<Double> decimal(double min, double max) {
    return text -> {
      double value;
      try {
        value = Double.parseDouble(text.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "must be a number between " + format(min) + " and " + format(max) + ".");
      }
      if (!(value >= min && value <= max)) {
        throw new IllegalArgumentException(
            "must be between " + format(min) + " and " + format(max) + ".");
      }
      return value;
    };
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  static Parser<Boolean> bool() {
    return text ->
        switch (text.strip().toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on", "1" -> true;
          case "false", "no", "off", "0" -> false;
          default -> throw new IllegalArgumentException("must be true or false.");
        };
  }

  static Parser<String> text() {
    return String::strip;
  }

  /** Text that is either empty or matches the check; otherwise the message. */
  static Parser<String> text(java.util.function.Predicate<String> valid, String message) {
    return raw -> {
      String text = raw.strip();
      if (!text.isEmpty() && !valid.test(text)) {
        throw new IllegalArgumentException(message);
      }
      return text;
    };
  }

  static <E extends Enum<E>> Parser<E> choice(Class<E> type) {
    return text -> {
      String wanted = text.strip().toLowerCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (id(constant).equals(wanted)) {
          return constant;
        }
      }
      throw new IllegalArgumentException("choose one of " + ids(type) + ".");
    };
  }

  /** How a choice is written in settings: {@code HOLD_ALL} as {@code hold-all}. */
  public static String id(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> String ids(Class<E> type) {
    List<String> ids = java.util.Arrays.stream(type.getEnumConstants()).map(Setting::id).toList();
    return ids.size() == 1
        ? ids.getFirst()
        : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.getLast();
  }

  /** A comma-separated list, each item checked. */
  static Parser<List<String>> list(Function<String, String> problemOf) {
    return text -> {
      List<String> items =
          java.util.Arrays.stream(text.split(","))
              .map(String::strip)
              .filter(v -> !v.isEmpty())
              .toList();
      for (String item : items) {
        String problem = problemOf.apply(item);
        if (problem != null) {
          throw new IllegalArgumentException("'" + item + "' " + problem);
        }
      }
      return items;
    };
  }
}
