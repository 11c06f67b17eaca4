package org.broadsheet.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's configuration table true: it must be exactly the table made from the
 * declarations in {@link Settings}. When it is not, the expected table is written to {@code
 * target/settings-table.md} to paste in.
 */
class ReadmeTest {

  @Test
  void theConfigurationTableIsTheOneMadeFromTheDeclarations() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String expected = SettingsTable.markdown();
    int start = readme.indexOf("| environment variable |");
    int end = readme.indexOf("\n\n", start);
    String actual = start < 0 ? "" : readme.substring(start, end < 0 ? readme.length() : end + 1);
    if (!actual.equals(expected)) {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/settings-table.md"), expected);
    }
    assertThat(actual)
        .as("README's configuration table (the expected one is in target/settings-table.md)")
        .isEqualTo(expected);
  }
}
