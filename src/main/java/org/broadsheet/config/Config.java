package org.broadsheet.config;

import static org.broadsheet.config.Settings.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Broadsheet's whole configuration: every {@link Settings setting}'s value, checked. Values come
 * from environment variables ({@code BROADSHEET_*}), then an optional properties file, then the
 * defaults; {@link #load} reports every problem at once, each naming the setting and the value.
 * Read a value with {@link #get}. Immutable and thread-safe.
 */
public final class Config {

  /** A configuration problem that names the setting and the offending value. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }

  private final Map<String, String> texts;
  private final Map<Setting<?>, Object> values;

  private Config(Map<String, String> texts, Map<Setting<?>, Object> values) {
    this.texts = texts;
    this.values = values;
  }

  /** The checked value of a setting. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /** Defaults only, as a new install gets them. */
  public static Config defaults() {
    return load(Map.of());
  }

  /** Loads from the given environment (usually {@code System.getenv()}) and the properties file. */
  public static Config load(Map<String, String> environment) {
    Map<String, String> texts = new LinkedHashMap<>();
    String file = environment.getOrDefault(CONFIG_FILE.env(), CONFIG_FILE.defaultValue());
    Path configFile = Path.of(file);
    if (Files.isRegularFile(configFile)) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(configFile)) {
        properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ConfigException(
            CONFIG_FILE.env() + "=" + file + ": cannot read the file: " + e.getMessage());
      }
      for (String key : properties.stringPropertyNames()) {
        Setting<?> setting =
            Settings.ALL.stream()
                .filter(s -> !s.property().isEmpty() && s.property().equals(key))
                .findFirst()
                .orElseThrow(
                    () ->
                        new ConfigException(
                            CONFIG_FILE.env()
                                + "="
                                + file
                                + ": unknown key '"
                                + key
                                + "'. Known keys: "
                                + knownProperties()));
        texts.put(setting.env(), properties.getProperty(key).strip());
      }
    } else if (environment.containsKey(CONFIG_FILE.env())) {
      throw new ConfigException(CONFIG_FILE.env() + "=" + file + ": no such file.");
    }
    for (Setting<?> setting : Settings.ALL) {
      String value = environment.get(setting.env());
      if (value != null) {
        texts.put(setting.env(), value.strip());
      }
    }
    return fromValues(texts);
  }

  private static String knownProperties() {
    return String.join(
        ", ", Settings.ALL.stream().map(Setting::property).filter(p -> !p.isEmpty()).toList());
  }

  /** Builds and checks a configuration from setting texts keyed by environment variable. */
  public static Config fromValues(Map<String, String> given) {
    given = withDerivedBaseUrl(given);
    List<String> problems = new ArrayList<>();
    Map<String, String> texts = new LinkedHashMap<>();
    Map<Setting<?>, Object> values = new HashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      String text = given.getOrDefault(setting.env(), setting.defaultValue());
      texts.put(setting.env(), text);
      Object value = setting.parse(text, problems);
      if (value != null) {
        values.put(setting, value);
      }
    }
    Config config = new Config(Map.copyOf(texts), values);
    if (problems.isEmpty()) {
      config.checkTogether(problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException("Invalid configuration:\n  " + String.join("\n  ", problems));
    }
    return config;
  }

  /**
   * Without a base URL of its own, a site moved to another port or address gets links to where it
   * listens, not to the default's port 8080 (mailed links, feeds and canonical addresses would all
   * be wrong). Any free port (0) keeps the default: it is only known once listening.
   */
  private static Map<String, String> withDerivedBaseUrl(Map<String, String> given) {
    if (given.containsKey(BASE_URL.env())
        || (!given.containsKey(PORT.env()) && !given.containsKey(HOST.env()))) {
      return given;
    }
    String port = given.getOrDefault(PORT.env(), PORT.defaultValue()).strip();
    String host = given.getOrDefault(HOST.env(), HOST.defaultValue()).strip();
    if (!port.matches("[1-9][0-9]{0,4}")) {
      return given;
    }
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1"; // all interfaces: this machine's own address is the one that surely works
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    Map<String, String> derived = new LinkedHashMap<>(given);
    derived.put(BASE_URL.env(), "http://" + host + ":" + port);
    return derived;
  }

  /**
   * What is wrong with the base URL for a site listening on this port, or null: when the base URL
   * names this machine, its port must be the one the site listens on; when the site listens on
   * every interface, a base URL naming only this machine gives others links they cannot follow.
   */
  public String baseUrlProblem(int listeningPort) {
    java.net.URI base = java.net.URI.create(get(BASE_URL));
    int basePort =
        base.getPort() > 0 ? base.getPort() : base.getScheme().equals("https") ? 443 : 80;
    boolean baseIsThisMachine = isLoopback(base.getHost());
    if (baseIsThisMachine && basePort != listeningPort) {
      return BASE_URL.env()
          + " is "
          + get(BASE_URL)
          + " but the site listens on port "
          + listeningPort
          + ": links in mail, feeds and canonical addresses point at the wrong port. Set "
          + BASE_URL.env()
          + " to the address readers use.";
    }
    if (baseIsThisMachine && !isLoopback(get(HOST).strip())) {
      return "The site listens on "
          + get(HOST)
          + " but "
          + BASE_URL.env()
          + " is "
          + get(BASE_URL)
          + ": readers on other machines get links to their own computer. Set "
          + BASE_URL.env()
          + " to the address readers use.";
    }
    return null;
  }

  /** Rules that involve more than one setting. */
  private void checkTogether(List<String> problems) {
    HumanCheckProvider provider = get(HUMAN_CHECK);
    if (!provider.selfHosted()
        && (get(HUMAN_CHECK_SITE_KEY).isBlank() || get(HUMAN_CHECK_SECRET).isBlank())) {
      problems.add(
          HUMAN_CHECK.env()
              + "="
              + provider.id()
              + ": also set "
              + HUMAN_CHECK_SITE_KEY.env()
              + " and "
              + HUMAN_CHECK_SECRET.env()
              + " from the provider's console.");
    }
    if (dkimEnabled()
        && (get(DKIM_KEY_FILE).isBlank() || !Files.isReadable(Path.of(get(DKIM_KEY_FILE))))) {
      problems.add(
          DKIM_KEY_FILE.env()
              + "="
              + get(DKIM_KEY_FILE)
              + ": DKIM signing needs a readable private key file.");
    }
  }

  /** A copy with other settings changed, for tests and the command line. */
  public Config with(Map<String, String> overrides) {
    Map<String, String> changed = new LinkedHashMap<>(texts);
    changed.putAll(overrides);
    return fromValues(changed);
  }

  /** This configuration as setting texts keyed by environment variable. */
  public Map<String, String> asValues() {
    return texts;
  }

  /** The text a setting was given (its default when it was not). */
  public String text(Setting<?> setting) {
    return texts.get(setting.env());
  }

  // ---- values derived from several settings -----------------------------------------------

  /** Whether this configuration uses the embedded SQLite database. */
  public boolean embeddedDatabase() {
    String url = get(DATABASE_URL);
    return url.isEmpty() || url.startsWith("jdbc:sqlite:");
  }

  /** The JDBC URL actually used: the configured one or the SQLite file in the data dir. */
  public String effectiveDatabaseUrl() {
    String url = get(DATABASE_URL);
    return url.isEmpty() ? "jdbc:sqlite:" + get(DATA_DIR).resolve("broadsheet.db") : url;
  }

  /** The folder of this node's search index. */
  public Path searchIndexDir() {
    String dir = get(SEARCH_INDEX_DIR);
    return dir.isBlank() ? get(DATA_DIR).resolve("index") : Path.of(dir);
  }

  /** The folder of uploaded media, shared by every node. */
  public Path mediaDir() {
    String dir = get(MEDIA_DIR);
    return dir.isBlank() ? get(DATA_DIR).resolve("media") : Path.of(dir);
  }

  /** Whether the site is served over HTTPS (secure cookies, HSTS). */
  public boolean https() {
    return get(BASE_URL).startsWith("https://");
  }

  /**
   * Whether people on other machines can reach the site: it listens on more than the loopback
   * address, or its public URL names another host (a reverse proxy forwards to it).
   */
  public boolean reachableFromOtherMachines() {
    String host = get(HOST).strip();
    String publicHost = java.net.URI.create(get(BASE_URL)).getHost();
    return !isLoopback(host) || !isLoopback(publicHost);
  }

  private static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    return org.broadsheet.support.IpAddresses.parse(h)
        .map(java.net.InetAddress::isLoopbackAddress)
        .orElse(false);
  }

  /** Whether mail leaves through an SMTP server (otherwise it stays in the dev outbox). */
  public boolean smtpEnabled() {
    return !get(SMTP_HOST).isBlank();
  }

  public boolean dkimEnabled() {
    return !get(DKIM_DOMAIN).isBlank();
  }

  @Override
  public String toString() {
    String url = get(DATABASE_URL);
    return "Config[host="
        + get(HOST)
        + ", port="
        + get(PORT)
        + ", dataDir="
        + get(DATA_DIR)
        + ", database="
        + (url.isEmpty() ? "embedded" : url.replaceAll("password=[^&]*", "password=***"))
        + "]";
  }
}
