package org.broadsheet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's configuration table true: every setting the code reads is documented with its
 * default.
 */
class ReadmeTest {

  @Test
  void everySettingIsInTheConfigurationTableWithItsDefault() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Config.Setting setting : Config.SETTINGS) {
      String row =
          readme
              .lines()
              .filter(line -> line.startsWith("| `" + setting.env() + "`"))
              .findFirst()
              .orElse("");
      assertThat(row).as(setting.env() + " in the README").isNotEmpty();
      if (!setting.property().equals("-")) {
        assertThat(row).contains("`" + setting.property() + "`");
      }
      assertThat(row)
          .contains(
              setting.defaultValue().isEmpty() ? "*(empty)*" : "`" + setting.defaultValue() + "`");
    }
  }
}
