package org.broadsheet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    Config config = Config.load(Map.of());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(config.language().toLanguageTag()).isEqualTo("en");
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.effectiveDatabaseUrl()).isEqualTo("jdbc:sqlite:./data/broadsheet.db");
    assertThat(config.pageCache()).isTrue();
  }

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.properties");
    Files.writeString(file, "port=9000\ntime-zone=Europe/Kyiv\nlanguage=uk\n");
    Config config =
        Config.load(Map.of("BROADSHEET_CONFIG", file.toString(), "BROADSHEET_PORT", "9100"));
    assertThat(config.port()).isEqualTo(9100);
    assertThat(config.timeZone()).isEqualTo(ZoneId.of("Europe/Kyiv"));
    assertThat(config.language().getLanguage()).isEqualTo("uk");
  }

  @Test
  void everyBadValueIsReportedWithItsSettingAndValue() {
    assertThatThrownBy(
            () ->
                Config.load(
                    Map.of(
                        "BROADSHEET_PORT", "eighty",
                        "BROADSHEET_TIME_ZONE", "Mars/Olympus",
                        "BROADSHEET_DATABASE_URL", "jdbc:mysql://x/y",
                        "BROADSHEET_PAGE_CACHE", "maybe",
                        "BROADSHEET_BASE_URL", "news.example.org")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("BROADSHEET_PORT=eighty")
        .hasMessageContaining("BROADSHEET_TIME_ZONE=Mars/Olympus")
        .hasMessageContaining("BROADSHEET_DATABASE_URL=jdbc:mysql://x/y")
        .hasMessageContaining("BROADSHEET_PAGE_CACHE=maybe")
        .hasMessageContaining("BROADSHEET_BASE_URL=news.example.org");
  }

  @Test
  void portOutOfRangeIsRefused() {
    assertThatThrownBy(() -> Config.load(Map.of("BROADSHEET_PORT", "70000")))
        .hasMessageContaining("BROADSHEET_PORT=70000: must be between 0 and 65535");
  }

  @Test
  void unknownKeysInTheFileAreRefusedWithTheKnownOnes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.properties");
    Files.writeString(file, "prot=9000\n");
    assertThatThrownBy(() -> Config.load(Map.of("BROADSHEET_CONFIG", file.toString())))
        .hasMessageContaining("unknown key 'prot'")
        .hasMessageContaining("port");
  }

  @Test
  void aNamedConfigFileMustExist() {
    assertThatThrownBy(
            () -> Config.load(Map.of("BROADSHEET_CONFIG", "/nonexistent/broadsheet.properties")))
        .hasMessageContaining("BROADSHEET_CONFIG=/nonexistent/broadsheet.properties: no such file");
  }

  @Test
  void thePasswordNeverAppearsInToString() {
    Config config =
        Config.load(
            Map.of(
                "BROADSHEET_DATABASE_URL",
                "jdbc:postgresql://db/news?password=hunter2",
                "BROADSHEET_DATABASE_PASSWORD",
                "hunter2"));
    assertThat(config.toString()).doesNotContain("hunter2");
  }
}
