package org.broadsheet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Broadsheet's whole configuration as one immutable value. Values come from environment variables
 * ({@code BROADSHEET_*}), then an optional properties file, then defaults; {@link #load} validates
 * every value and reports problems naming the setting and the value. Immutable and thread-safe.
 *
 * @param host address to listen on
 * @param port TCP port to listen on (0 picks a free port)
 * @param dataDir folder for the embedded database and other local state
 * @param databaseUrl JDBC URL; empty means the embedded SQLite file in the data dir
 * @param databaseUser database user for PostgreSQL
 * @param databasePassword database password for PostgreSQL
 * @param databasePoolSize maximum database connections
 * @param baseUrl public URL of the site, used for absolute links
 * @param timeZone the site's time zone, used to show times and build article URLs
 * @param language the site's language (BCP 47 tag)
 * @param pageCache whether rendered pages are kept in memory
 * @param pageCacheEntries how many rendered pages the cache keeps at most
 * @param cacheMaxAge how long browsers and proxies may reuse a page before revalidating
 * @param demoContent whether an empty embedded database gets demo content on first start
 */
public record Config(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    int databasePoolSize,
    String baseUrl,
    ZoneId timeZone,
    Locale language,
    boolean pageCache,
    int pageCacheEntries,
    Duration cacheMaxAge,
    boolean demoContent) {

  /** One setting: its environment variable, its key in the properties file, default and meaning. */
  public record Setting(String env, String property, String defaultValue, String meaning) {}

  /** Every setting Broadsheet reads, in the order the README's table lists them. */
  public static final List<Setting> SETTINGS =
      List.of(
          new Setting(
              "BROADSHEET_CONFIG",
              "-",
              "broadsheet.properties",
              "Properties file read if it exists (keys as in the second column)."),
          new Setting(
              "BROADSHEET_HOST",
              "host",
              "127.0.0.1",
              "Address to listen on; 0.0.0.0 for all interfaces."),
          new Setting(
              "BROADSHEET_PORT", "port", "8080", "TCP port (1-65535, or 0 for any free port)."),
          new Setting(
              "BROADSHEET_DATA_DIR",
              "data-dir",
              "./data",
              "Folder for the embedded database and local state; created if missing."),
          new Setting(
              "BROADSHEET_DATABASE_URL",
              "database-url",
              "",
              "JDBC URL. Empty: SQLite file broadsheet.db in the data dir. PostgreSQL: jdbc:postgresql://host:5432/db"),
          new Setting(
              "BROADSHEET_DATABASE_USER", "database-user", "", "Database user (PostgreSQL)."),
          new Setting(
              "BROADSHEET_DATABASE_PASSWORD",
              "database-password",
              "",
              "Database password (PostgreSQL). Prefer the environment over the file."),
          new Setting(
              "BROADSHEET_DATABASE_POOL_SIZE",
              "database-pool-size",
              "8",
              "Maximum open database connections (1-200)."),
          new Setting(
              "BROADSHEET_BASE_URL",
              "base-url",
              "http://127.0.0.1:8080",
              "Public URL of the site, for absolute links (canonical URLs, mail)."),
          new Setting(
              "BROADSHEET_TIME_ZONE",
              "time-zone",
              "UTC",
              "Site time zone (IANA name, e.g. Europe/Kyiv): shown times and article URL dates."),
          new Setting(
              "BROADSHEET_LANGUAGE", "language", "en", "Site language (BCP 47 tag, e.g. en, uk)."),
          new Setting(
              "BROADSHEET_PAGE_CACHE",
              "page-cache",
              "true",
              "Keep rendered pages in memory (true/false). Turn off only to measure or debug."),
          new Setting(
              "BROADSHEET_PAGE_CACHE_ENTRIES",
              "page-cache-entries",
              "10000",
              "Most pages the page cache keeps (1-10000000)."),
          new Setting(
              "BROADSHEET_CACHE_MAX_AGE",
              "cache-max-age",
              "60",
              "Seconds browsers and proxies may reuse a page before revalidating (0-86400)."),
          new Setting(
              "BROADSHEET_DEMO_CONTENT",
              "demo-content",
              "true",
              "Seed demo articles into an empty embedded database on first start (true/false)."));

  /** A configuration problem that names the setting and the offending value. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }

  /** Defaults only, as a new install gets them. */
  public static Config defaults() {
    return load(Map.of());
  }

  /** Loads from the given environment (usually {@code System.getenv()}) and the properties file. */
  public static Config load(Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Setting setting : SETTINGS) {
      values.put(setting.env(), setting.defaultValue());
    }
    String file = environment.getOrDefault("BROADSHEET_CONFIG", "broadsheet.properties");
    Path configFile = Path.of(file);
    boolean fileNamed = environment.containsKey("BROADSHEET_CONFIG");
    if (Files.isRegularFile(configFile)) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(configFile)) {
        properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ConfigException(
            "BROADSHEET_CONFIG=" + file + ": cannot read the file: " + e.getMessage());
      }
      for (String key : properties.stringPropertyNames()) {
        Setting setting =
            SETTINGS.stream()
                .filter(s -> s.property().equals(key))
                .findFirst()
                .orElseThrow(
                    () ->
                        new ConfigException(
                            "BROADSHEET_CONFIG="
                                + file
                                + ": unknown key '"
                                + key
                                + "'. Known keys: "
                                + knownProperties()));
        values.put(setting.env(), properties.getProperty(key).strip());
      }
    } else if (fileNamed) {
      throw new ConfigException("BROADSHEET_CONFIG=" + file + ": no such file.");
    }
    for (Setting setting : SETTINGS) {
      String value = environment.get(setting.env());
      if (value != null) {
        values.put(setting.env(), value.strip());
      }
    }
    return fromValues(values);
  }

  private static String knownProperties() {
    return String.join(
        ", ", SETTINGS.stream().map(Setting::property).filter(p -> !p.equals("-")).toList());
  }

  /** Builds and validates a configuration from setting values keyed by environment name. */
  public static Config fromValues(Map<String, String> values) {
    List<String> problems = new ArrayList<>();
    Function<String, String> get = key -> values.getOrDefault(key, defaultOf(key));
    String host = get.apply("BROADSHEET_HOST");
    if (host.isBlank()) {
      problems.add("BROADSHEET_HOST is empty: give an address such as 127.0.0.1.");
    }
    int port = integer(get, "BROADSHEET_PORT", 0, 65535, problems);
    Path dataDir = Path.of(get.apply("BROADSHEET_DATA_DIR"));
    String databaseUrl = get.apply("BROADSHEET_DATABASE_URL");
    if (!databaseUrl.isEmpty()
        && !databaseUrl.startsWith("jdbc:sqlite:")
        && !databaseUrl.startsWith("jdbc:postgresql:")) {
      problems.add(
          "BROADSHEET_DATABASE_URL="
              + databaseUrl
              + ": not a supported JDBC URL; use jdbc:postgresql://host:5432/database, jdbc:sqlite:/path/file.db, or leave it empty for the embedded database.");
    }
    int poolSize = integer(get, "BROADSHEET_DATABASE_POOL_SIZE", 1, 200, problems);
    String baseUrl = get.apply("BROADSHEET_BASE_URL");
    if (!baseUrl.matches("https?://[^/\\s?#]+(/[^\\s?#]*)?")) {
      problems.add(
          "BROADSHEET_BASE_URL="
              + baseUrl
              + ": must be an absolute http or https URL such as https://news.example.org");
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    ZoneId zone = ZoneId.of("UTC");
    try {
      zone = ZoneId.of(get.apply("BROADSHEET_TIME_ZONE"));
    } catch (DateTimeException e) {
      problems.add(
          "BROADSHEET_TIME_ZONE="
              + get.apply("BROADSHEET_TIME_ZONE")
              + ": not a time zone; use an IANA name such as UTC or Europe/Kyiv.");
    }
    String languageTag = get.apply("BROADSHEET_LANGUAGE");
    Locale language = Locale.forLanguageTag(languageTag);
    if (languageTag.isBlank() || language.getLanguage().isEmpty()) {
      problems.add(
          "BROADSHEET_LANGUAGE=" + languageTag + ": not a language tag; use one such as en or uk.");
    }
    boolean pageCache = bool(get, "BROADSHEET_PAGE_CACHE", problems);
    int cacheEntries = integer(get, "BROADSHEET_PAGE_CACHE_ENTRIES", 1, 10_000_000, problems);
    int maxAge = integer(get, "BROADSHEET_CACHE_MAX_AGE", 0, 86_400, problems);
    boolean demo = bool(get, "BROADSHEET_DEMO_CONTENT", problems);
    if (!problems.isEmpty()) {
      throw new ConfigException("Invalid configuration:\n  " + String.join("\n  ", problems));
    }
    return new Config(
        host,
        port,
        dataDir,
        databaseUrl,
        get.apply("BROADSHEET_DATABASE_USER"),
        get.apply("BROADSHEET_DATABASE_PASSWORD"),
        poolSize,
        baseUrl,
        zone,
        language,
        pageCache,
        cacheEntries,
        Duration.ofSeconds(maxAge),
        demo);
  }

  private static String defaultOf(String env) {
    return SETTINGS.stream()
        .filter(s -> s.env().equals(env))
        .findFirst()
        .map(Setting::defaultValue)
        .orElseThrow();
  }

  private static int integer(
      Function<String, String> get, String key, int min, int max, List<String> problems) {
    String raw = get.apply(key);
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        problems.add(key + "=" + raw + ": must be between " + min + " and " + max + ".");
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(
          key + "=" + raw + ": not a whole number; must be between " + min + " and " + max + ".");
      return min;
    }
  }

  private static boolean bool(Function<String, String> get, String key, List<String> problems) {
    String raw = get.apply(key).toLowerCase(Locale.ROOT);
    return switch (raw) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> {
        problems.add(key + "=" + raw + ": must be true or false.");
        yield false;
      }
    };
  }

  /** Whether this configuration uses the embedded SQLite database. */
  public boolean embeddedDatabase() {
    return databaseUrl.isEmpty() || databaseUrl.startsWith("jdbc:sqlite:");
  }

  /** The JDBC URL actually used: the configured one or the SQLite file in the data dir. */
  public String effectiveDatabaseUrl() {
    return databaseUrl.isEmpty() ? "jdbc:sqlite:" + dataDir.resolve("broadsheet.db") : databaseUrl;
  }

  /** A copy with other settings changed, for tests and the CLI. */
  public Config with(Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>(asValues());
    values.putAll(overrides);
    return fromValues(values);
  }

  /** This configuration as setting values keyed by environment name. */
  public Map<String, String> asValues() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("BROADSHEET_HOST", host);
    values.put("BROADSHEET_PORT", Integer.toString(port));
    values.put("BROADSHEET_DATA_DIR", dataDir.toString());
    values.put("BROADSHEET_DATABASE_URL", databaseUrl);
    values.put("BROADSHEET_DATABASE_USER", databaseUser);
    values.put("BROADSHEET_DATABASE_PASSWORD", databasePassword);
    values.put("BROADSHEET_DATABASE_POOL_SIZE", Integer.toString(databasePoolSize));
    values.put("BROADSHEET_BASE_URL", baseUrl);
    values.put("BROADSHEET_TIME_ZONE", timeZone.getId());
    values.put("BROADSHEET_LANGUAGE", language.toLanguageTag());
    values.put("BROADSHEET_PAGE_CACHE", Boolean.toString(pageCache));
    values.put("BROADSHEET_PAGE_CACHE_ENTRIES", Integer.toString(pageCacheEntries));
    values.put("BROADSHEET_CACHE_MAX_AGE", Long.toString(cacheMaxAge.toSeconds()));
    values.put("BROADSHEET_DEMO_CONTENT", Boolean.toString(demoContent));
    return values;
  }

  @Override
  public String toString() {
    return "Config[host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", database="
        + (databaseUrl.isEmpty()
            ? "embedded"
            : databaseUrl.replaceAll("password=[^&]*", "password=***"))
        + "]";
  }
}
