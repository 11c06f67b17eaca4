package org.broadsheet.config;

import java.util.List;

/**
 * The settings as people read them: the README's configuration table and the {@code --help} list,
 * both made from the declarations in {@link Settings}. Stateless.
 */
public final class SettingsTable {

  private SettingsTable() {}

  /** The README's Markdown table, header included, one row per setting. */
  public static String markdown() {
    StringBuilder table = new StringBuilder();
    table.append("| environment variable | file key | default | meaning |\n");
    table.append("|---|---|---|---|\n");
    for (Setting<?> s : Settings.ALL) {
      table
          .append("| `")
          .append(s.env())
          .append("` | ")
          .append(s.property().isEmpty() ? "–" : "`" + s.property() + "`")
          .append(" | ")
          .append(s.defaultValue().isEmpty() ? "*(empty)*" : "`" + s.defaultValue() + "`")
          .append(" | ")
          .append(s.meaning().replace("|", "\\|"))
          .append(" |\n");
    }
    return table.toString();
  }

  /** Plain lines for the command line's help: variable, default and meaning. */
  public static List<String> plain() {
    return Settings.ALL.stream()
        .map(
            s ->
                String.format(
                    "  %-42s %s%s",
                    s.env(),
                    s.meaning().replace("`", ""),
                    s.defaultValue().isEmpty() ? "" : " [" + s.defaultValue() + "]"))
        .toList();
  }
}
