package org.broadsheet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.broadsheet.config.Settings.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    Config config = Config.load(Map.of());
    assertThat(config.get(HOST)).isEqualTo("127.0.0.1");
    assertThat(config.get(PORT)).isEqualTo(8080);
    assertThat(config.get(DATA_DIR)).isEqualTo(Path.of("./data"));
    assertThat(config.get(TIME_ZONE)).isEqualTo(ZoneId.of("UTC"));
    assertThat(config.get(LANGUAGE).toLanguageTag()).isEqualTo("en");
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.effectiveDatabaseUrl()).isEqualTo("jdbc:sqlite:./data/broadsheet.db");
    assertThat(config.get(PAGE_CACHE)).isTrue();
    assertThat(config.get(COMMENTS_POLICY)).isEqualTo(CommentPolicy.FIRST_TIME);
    assertThat(config.get(HUMAN_CHECK)).isEqualTo(HumanCheckProvider.ALTCHA);
    assertThat(config.get(HUMAN_CHECK_EXPIRY)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void everyDeclaredDefaultParses() {
    Config config = Config.defaults();
    for (Setting<?> setting : Settings.ALL) {
      assertThat((Object) config.get(setting)).as(setting.env()).isNotNull();
      assertThat(config.text(setting)).as(setting.env()).isEqualTo(setting.defaultValue());
    }
  }

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.properties");
    Files.writeString(file, "port=9000\ntime-zone=Europe/Kyiv\nlanguage=uk\n");
    Config config =
        Config.load(Map.of("BROADSHEET_CONFIG", file.toString(), "BROADSHEET_PORT", "9100"));
    assertThat(config.get(PORT)).isEqualTo(9100);
    assertThat(config.get(TIME_ZONE)).isEqualTo(ZoneId.of("Europe/Kyiv"));
    assertThat(config.get(LANGUAGE).getLanguage()).isEqualTo("uk");
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
                        "BROADSHEET_BASE_URL", "news.example.org",
                        "BROADSHEET_COMMENTS_POLICY", "sometimes")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("BROADSHEET_PORT=eighty")
        .hasMessageContaining("BROADSHEET_TIME_ZONE=Mars/Olympus")
        .hasMessageContaining("BROADSHEET_DATABASE_URL=jdbc:mysql://x/y")
        .hasMessageContaining("BROADSHEET_PAGE_CACHE=maybe")
        .hasMessageContaining("BROADSHEET_BASE_URL=news.example.org")
        .hasMessageContaining(
            "BROADSHEET_COMMENTS_POLICY=sometimes: choose one of first-time, hold-all or none.");
  }

  @Test
  void portOutOfRangeIsRefused() {
    assertThatThrownBy(() -> Config.load(Map.of("BROADSHEET_PORT", "70000")))
        .hasMessageContaining("BROADSHEET_PORT=70000: must be between 0 and 65535");
  }

  @Test
  void aSecretIsNeverRepeatedInAProblem() {
    assertThatThrownBy(() -> Config.load(Map.of("BROADSHEET_BOUNCE_TOKEN", "short-secret")))
        .hasMessageContaining("BROADSHEET_BOUNCE_TOKEN: use at least 24 random characters.")
        .hasMessageNotContaining("short-secret");
  }

  @Test
  void aThirdPartyCheckNeedsItsKeys() {
    assertThatThrownBy(() -> Config.load(Map.of("BROADSHEET_HUMAN_CHECK", "turnstile")))
        .hasMessageContaining("BROADSHEET_HUMAN_CHECK=turnstile: also set");
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

  @Test
  void aCopyWithOverridesKeepsTheRest() {
    Config config = Config.defaults().with(Map.of("BROADSHEET_PORT", "0"));
    Config again = config.with(Map.of("BROADSHEET_BASE_URL", "https://news.example.org/"));
    assertThat(again.get(PORT)).isZero();
    assertThat(again.get(BASE_URL)).isEqualTo("https://news.example.org");
    assertThat(again.https()).isTrue();
  }

  @Test
  void withoutItsOwnBaseUrlASiteOnAnotherPortLinksToThatPort() {
    assertThat(Config.load(Map.of("BROADSHEET_PORT", "9090")).get(Settings.BASE_URL))
        .isEqualTo("http://127.0.0.1:9090");
    assertThat(
            Config.load(Map.of("BROADSHEET_PORT", "9090", "BROADSHEET_HOST", "0.0.0.0"))
                .get(Settings.BASE_URL))
        .isEqualTo("http://127.0.0.1:9090");
    assertThat(
            Config.load(
                    Map.of(
                        "BROADSHEET_PORT",
                        "9090",
                        "BROADSHEET_BASE_URL",
                        "https://news.example.org"))
                .get(Settings.BASE_URL))
        .as("a base URL of its own is kept")
        .isEqualTo("https://news.example.org");
    assertThat(Config.load(Map.of()).get(Settings.BASE_URL)).isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void aBaseUrlThatDisagreesWithWhereTheSiteListensIsNamed() {
    Config stale =
        Config.load(
            Map.of("BROADSHEET_PORT", "9090", "BROADSHEET_BASE_URL", "http://127.0.0.1:8080"));
    assertThat(stale.baseUrlProblem(9090)).contains("listens on port 9090", "BROADSHEET_BASE_URL");
    Config everywhere =
        Config.load(
            Map.of("BROADSHEET_HOST", "0.0.0.0", "BROADSHEET_BASE_URL", "http://localhost:8080"));
    assertThat(everywhere.baseUrlProblem(8080)).contains("other machines");
    Config proxied =
        Config.load(
            Map.of("BROADSHEET_PORT", "9090", "BROADSHEET_BASE_URL", "https://news.example.org"));
    assertThat(proxied.baseUrlProblem(9090)).as("a proxy in front: fine").isNull();
    assertThat(Config.load(Map.of("BROADSHEET_PORT", "9090")).baseUrlProblem(9090)).isNull();
  }
}
