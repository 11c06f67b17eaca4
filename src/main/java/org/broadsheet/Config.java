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
    boolean demoContent,
    Path searchIndexDir,
    List<String> trustedProxies,
    HumanCheckConfig humanCheck,
    CommentConfig comments,
    MailConfig mail) {

  /**
   * The human check on reader forms.
   *
   * @param provider altcha (self-hosted, default), recaptcha-v2, recaptcha-v3, hcaptcha, turnstile
   * @param expiry how long a challenge stays valid
   * @param maxNumber proof-of-work difficulty (the search space of the puzzle)
   * @param withoutScript what happens to a form sent without the check (no JavaScript): hold or
   *     reject
   * @param siteKey public key of a third-party provider
   * @param secret secret of a third-party provider
   * @param verifyUrl siteverify URL override (empty: the provider's own)
   * @param minScore lowest reCAPTCHA v3 score accepted
   * @param failureMode when a third-party provider cannot answer: hold or reject
   */
  public record HumanCheckConfig(
      String provider,
      Duration expiry,
      long maxNumber,
      String withoutScript,
      String siteKey,
      String secret,
      String verifyUrl,
      double minScore,
      String failureMode) {}

  /**
   * Reader comments.
   *
   * @param policy hold-all, first-time (hold until a commenter has one approved comment) or none
   * @param emailRequired whether commenters must give an email address
   * @param maxDepth how deep replies nest (1 = no replies)
   * @param maxLinks more links than this holds a comment for moderation
   * @param closeAfterDays close comments this many days after publication (0 = never)
   * @param minFillSeconds a form sent faster than this after the page's challenge was fetched
   *     scores as a bot
   * @param perIpPerMinute comments allowed per minute from one IPv4 /24 or IPv6 /48
   * @param perEmailPerMinute comments allowed per minute from one email address
   * @param ipRetention how long commenters' IP addresses and browsers are kept
   * @param moderatorEmails who is told about held comments
   */
  public record CommentConfig(
      String policy,
      boolean emailRequired,
      int maxDepth,
      int maxLinks,
      int closeAfterDays,
      int minFillSeconds,
      int perIpPerMinute,
      int perEmailPerMinute,
      Duration ipRetention,
      List<String> moderatorEmails) {}

  /**
   * Outgoing mail. With no SMTP host, messages stay in the dev outbox (database and .eml files).
   *
   * @param smtpHost SMTP server; empty keeps mail in the dev outbox
   * @param smtpPort SMTP port
   * @param smtpUser SMTP user name
   * @param smtpPassword SMTP password
   * @param smtpSecurity none, starttls or tls
   * @param from the From address
   */
  public record MailConfig(
      String smtpHost,
      int smtpPort,
      String smtpUser,
      String smtpPassword,
      String smtpSecurity,
      String from,
      int concurrency,
      int ratePerSecond,
      String dkimDomain,
      String dkimSelector,
      String dkimKeyFile,
      String bounceToken) {

    public boolean smtpEnabled() {
      return !smtpHost.isBlank();
    }

    public boolean dkimEnabled() {
      return !dkimDomain.isBlank();
    }
  }

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
              "BROADSHEET_LANGUAGE",
              "language",
              "en",
              "Site language (BCP 47 tag); en, uk and ru get their own search stemming."),
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
              "Seed demo articles into an empty embedded database on first start (true/false)."),
          new Setting(
              "BROADSHEET_SEARCH_INDEX_DIR",
              "search-index-dir",
              "",
              "Folder of this node's search index; empty: index/ in the data dir. Rebuilt from the database if missing."),
          new Setting(
              "BROADSHEET_TRUSTED_PROXIES",
              "trusted-proxies",
              "",
              "Comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For is believed."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK",
              "human-check",
              "altcha",
              "Human check on reader forms: altcha (self-hosted), recaptcha-v2, recaptcha-v3, hcaptcha or turnstile."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_EXPIRY",
              "human-check-expiry",
              "600",
              "Seconds a challenge stays valid (1-86400); the widget renews expired ones by itself."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_DIFFICULTY",
              "human-check-difficulty",
              "50000",
              "Proof-of-work search space (1000-10000000); higher is slower for readers and bots."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_WITHOUT_SCRIPT",
              "human-check-without-script",
              "hold",
              "A comment sent without the check (no JavaScript): hold for moderation, or reject."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_SITE_KEY",
              "human-check-site-key",
              "",
              "Site key of a third-party provider."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_SECRET",
              "human-check-secret",
              "",
              "Secret of a third-party provider. Prefer the environment over the file."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_VERIFY_URL",
              "human-check-verify-url",
              "",
              "Override of the provider's siteverify URL (empty: the provider's own)."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_MIN_SCORE",
              "human-check-min-score",
              "0.5",
              "Lowest reCAPTCHA v3 score accepted (0-1)."),
          new Setting(
              "BROADSHEET_HUMAN_CHECK_FAILURE_MODE",
              "human-check-failure-mode",
              "hold",
              "When a third-party provider does not answer: hold for moderation, or reject."),
          new Setting(
              "BROADSHEET_COMMENTS_POLICY",
              "comments-policy",
              "first-time",
              "first-time (hold a commenter's first comment), hold-all, or none."),
          new Setting(
              "BROADSHEET_COMMENTS_EMAIL_REQUIRED",
              "comments-email-required",
              "true",
              "Commenters must give an email address (never shown)."),
          new Setting(
              "BROADSHEET_COMMENTS_MAX_DEPTH",
              "comments-max-depth",
              "3",
              "How deep replies nest (1-10; 1 means no replies)."),
          new Setting(
              "BROADSHEET_COMMENTS_MAX_LINKS",
              "comments-max-links",
              "2",
              "A comment with more links than this is held for moderation (0-100)."),
          new Setting(
              "BROADSHEET_COMMENTS_CLOSE_AFTER_DAYS",
              "comments-close-after-days",
              "0",
              "Close comments this many days after publication (0 = never)."),
          new Setting(
              "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
              "comments-min-fill-seconds",
              "3",
              "Forms sent faster than this after the check began score as automated (0-600)."),
          new Setting(
              "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE",
              "comments-per-ip-per-minute",
              "6",
              "Comments per minute from one IPv4 /24 or IPv6 /48 (1-100000)."),
          new Setting(
              "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE",
              "comments-per-email-per-minute",
              "3",
              "Comments per minute from one email address (1-100000)."),
          new Setting(
              "BROADSHEET_COMMENTS_IP_RETENTION_DAYS",
              "comments-ip-retention-days",
              "30",
              "Days commenters' IP addresses and browsers are kept for moderation (1-3650)."),
          new Setting(
              "BROADSHEET_MODERATOR_EMAILS",
              "moderator-emails",
              "",
              "Comma-separated addresses told about held comments."),
          new Setting(
              "BROADSHEET_SMTP_HOST",
              "smtp-host",
              "",
              "SMTP server for outgoing mail; empty keeps mail in the dev outbox (data dir/outbox/*.eml)."),
          new Setting("BROADSHEET_SMTP_PORT", "smtp-port", "587", "SMTP port."),
          new Setting("BROADSHEET_SMTP_USER", "smtp-user", "", "SMTP user name."),
          new Setting(
              "BROADSHEET_SMTP_PASSWORD",
              "smtp-password",
              "",
              "SMTP password. Prefer the environment over the file."),
          new Setting(
              "BROADSHEET_SMTP_SECURITY", "smtp-security", "starttls", "none, starttls or tls."),
          new Setting(
              "BROADSHEET_MAIL_FROM",
              "mail-from",
              "newsroom@localhost",
              "The From address of outgoing mail."),
          new Setting(
              "BROADSHEET_MAIL_CONCURRENCY",
              "mail-concurrency",
              "4",
              "SMTP connections used at once to deliver mail (each is kept open and reused)."),
          new Setting(
              "BROADSHEET_MAIL_RATE",
              "mail-rate",
              "0",
              "Most messages sent per second, as your provider allows; 0: no limit."),
          new Setting(
              "BROADSHEET_DKIM_DOMAIN",
              "dkim-domain",
              "",
              "Sign outgoing mail with DKIM for this domain (empty: do not sign)."),
          new Setting(
              "BROADSHEET_DKIM_SELECTOR", "dkim-selector", "broadsheet", "The DKIM selector."),
          new Setting(
              "BROADSHEET_DKIM_KEY_FILE",
              "dkim-key-file",
              "",
              "The DKIM private key: an RSA key in PKCS#8 DER or PEM."),
          new Setting(
              "BROADSHEET_BOUNCE_TOKEN",
              "bounce-token",
              "",
              "Bearer token for POST /api/newsletter/bounces (empty: the webhook is off)."));

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
    String indexDir = get.apply("BROADSHEET_SEARCH_INDEX_DIR");
    Path searchIndexDir = indexDir.isBlank() ? dataDir.resolve("index") : Path.of(indexDir);
    List<String> proxies = list(get.apply("BROADSHEET_TRUSTED_PROXIES"));
    for (String proxy : proxies) {
      if (!org.broadsheet.support.IpAddresses.isAddressOrRange(proxy)) {
        problems.add(
            "BROADSHEET_TRUSTED_PROXIES="
                + get.apply("BROADSHEET_TRUSTED_PROXIES")
                + ": '"
                + proxy
                + "' is not an IP address or CIDR range.");
      }
    }
    String provider = get.apply("BROADSHEET_HUMAN_CHECK");
    if (!List.of("altcha", "recaptcha-v2", "recaptcha-v3", "hcaptcha", "turnstile")
        .contains(provider)) {
      problems.add(
          "BROADSHEET_HUMAN_CHECK="
              + provider
              + ": choose altcha, recaptcha-v2, recaptcha-v3, hcaptcha or turnstile.");
    } else if (!provider.equals("altcha")
        && (get.apply("BROADSHEET_HUMAN_CHECK_SITE_KEY").isBlank()
            || get.apply("BROADSHEET_HUMAN_CHECK_SECRET").isBlank())) {
      problems.add(
          "BROADSHEET_HUMAN_CHECK="
              + provider
              + ": also set BROADSHEET_HUMAN_CHECK_SITE_KEY and BROADSHEET_HUMAN_CHECK_SECRET from the provider's console.");
    }
    String verifyUrl = get.apply("BROADSHEET_HUMAN_CHECK_VERIFY_URL");
    if (!verifyUrl.isEmpty() && !verifyUrl.matches("https?://\\S+")) {
      problems.add(
          "BROADSHEET_HUMAN_CHECK_VERIFY_URL=" + verifyUrl + ": must be an http or https URL.");
    }
    double minScore = 0.5;
    try {
      minScore = Double.parseDouble(get.apply("BROADSHEET_HUMAN_CHECK_MIN_SCORE"));
      if (minScore < 0 || minScore > 1) {
        problems.add("BROADSHEET_HUMAN_CHECK_MIN_SCORE=" + minScore + ": must be between 0 and 1.");
      }
    } catch (NumberFormatException e) {
      problems.add(
          "BROADSHEET_HUMAN_CHECK_MIN_SCORE="
              + get.apply("BROADSHEET_HUMAN_CHECK_MIN_SCORE")
              + ": must be a number between 0 and 1.");
    }
    HumanCheckConfig humanCheck =
        new HumanCheckConfig(
            provider,
            Duration.ofSeconds(integer(get, "BROADSHEET_HUMAN_CHECK_EXPIRY", 1, 86_400, problems)),
            integer(get, "BROADSHEET_HUMAN_CHECK_DIFFICULTY", 1_000, 10_000_000, problems),
            choice(
                get, "BROADSHEET_HUMAN_CHECK_WITHOUT_SCRIPT", List.of("hold", "reject"), problems),
            get.apply("BROADSHEET_HUMAN_CHECK_SITE_KEY"),
            get.apply("BROADSHEET_HUMAN_CHECK_SECRET"),
            verifyUrl,
            minScore,
            choice(
                get, "BROADSHEET_HUMAN_CHECK_FAILURE_MODE", List.of("hold", "reject"), problems));
    List<String> moderators = list(get.apply("BROADSHEET_MODERATOR_EMAILS"));
    for (String moderator : moderators) {
      if (!moderator.matches("[^@\\s]+@[^@\\s]+")) {
        problems.add("BROADSHEET_MODERATOR_EMAILS: '" + moderator + "' is not an email address.");
      }
    }
    CommentConfig comments =
        new CommentConfig(
            choice(
                get,
                "BROADSHEET_COMMENTS_POLICY",
                List.of("first-time", "hold-all", "none"),
                problems),
            bool(get, "BROADSHEET_COMMENTS_EMAIL_REQUIRED", problems),
            integer(get, "BROADSHEET_COMMENTS_MAX_DEPTH", 1, 10, problems),
            integer(get, "BROADSHEET_COMMENTS_MAX_LINKS", 0, 100, problems),
            integer(get, "BROADSHEET_COMMENTS_CLOSE_AFTER_DAYS", 0, 36_500, problems),
            integer(get, "BROADSHEET_COMMENTS_MIN_FILL_SECONDS", 0, 600, problems),
            integer(get, "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE", 1, 100_000, problems),
            integer(get, "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE", 1, 100_000, problems),
            Duration.ofDays(
                integer(get, "BROADSHEET_COMMENTS_IP_RETENTION_DAYS", 1, 3650, problems)),
            moderators);
    String from = get.apply("BROADSHEET_MAIL_FROM");
    if (!from.matches("[^@\\s<>]+@[^@\\s<>]+")) {
      problems.add(
          "BROADSHEET_MAIL_FROM="
              + from
              + ": must be a plain email address such as newsroom@example.org.");
    }
    MailConfig mail =
        new MailConfig(
            get.apply("BROADSHEET_SMTP_HOST"),
            integer(get, "BROADSHEET_SMTP_PORT", 1, 65535, problems),
            get.apply("BROADSHEET_SMTP_USER"),
            get.apply("BROADSHEET_SMTP_PASSWORD"),
            choice(get, "BROADSHEET_SMTP_SECURITY", List.of("none", "starttls", "tls"), problems),
            from,
            integer(get, "BROADSHEET_MAIL_CONCURRENCY", 1, 64, problems),
            integer(get, "BROADSHEET_MAIL_RATE", 0, 1_000_000, problems),
            get.apply("BROADSHEET_DKIM_DOMAIN"),
            get.apply("BROADSHEET_DKIM_SELECTOR"),
            get.apply("BROADSHEET_DKIM_KEY_FILE"),
            get.apply("BROADSHEET_BOUNCE_TOKEN"));
    if (!mail.dkimDomain().isBlank()) {
      if (mail.dkimKeyFile().isBlank()
          || !java.nio.file.Files.isReadable(java.nio.file.Path.of(mail.dkimKeyFile()))) {
        problems.add(
            "BROADSHEET_DKIM_KEY_FILE="
                + mail.dkimKeyFile()
                + ": DKIM signing needs a readable private key file.");
      }
      if (!mail.dkimSelector().matches("[A-Za-z0-9._-]+")) {
        problems.add("BROADSHEET_DKIM_SELECTOR=" + mail.dkimSelector() + ": not a valid selector.");
      }
    }
    if (!mail.bounceToken().isEmpty() && mail.bounceToken().length() < 24) {
      problems.add("BROADSHEET_BOUNCE_TOKEN: use at least 24 random characters.");
    }
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
        demo,
        searchIndexDir,
        proxies,
        humanCheck,
        comments,
        mail);
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

  private static List<String> list(String raw) {
    return java.util.Arrays.stream(raw.split(","))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  private static String choice(
      Function<String, String> get, String key, List<String> allowed, List<String> problems) {
    String raw = get.apply(key).toLowerCase(Locale.ROOT);
    if (!allowed.contains(raw)) {
      problems.add(key + "=" + raw + ": choose one of " + String.join(", ", allowed) + ".");
      return allowed.getFirst();
    }
    return raw;
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
    values.put(
        "BROADSHEET_SEARCH_INDEX_DIR",
        searchIndexDir.equals(dataDir.resolve("index")) ? "" : searchIndexDir.toString());
    values.put("BROADSHEET_TRUSTED_PROXIES", String.join(",", trustedProxies));
    values.put("BROADSHEET_HUMAN_CHECK", humanCheck.provider());
    values.put("BROADSHEET_HUMAN_CHECK_EXPIRY", Long.toString(humanCheck.expiry().toSeconds()));
    values.put("BROADSHEET_HUMAN_CHECK_DIFFICULTY", Long.toString(humanCheck.maxNumber()));
    values.put("BROADSHEET_HUMAN_CHECK_WITHOUT_SCRIPT", humanCheck.withoutScript());
    values.put("BROADSHEET_HUMAN_CHECK_SITE_KEY", humanCheck.siteKey());
    values.put("BROADSHEET_HUMAN_CHECK_SECRET", humanCheck.secret());
    values.put("BROADSHEET_HUMAN_CHECK_VERIFY_URL", humanCheck.verifyUrl());
    values.put("BROADSHEET_HUMAN_CHECK_MIN_SCORE", Double.toString(humanCheck.minScore()));
    values.put("BROADSHEET_HUMAN_CHECK_FAILURE_MODE", humanCheck.failureMode());
    values.put("BROADSHEET_COMMENTS_POLICY", comments.policy());
    values.put("BROADSHEET_COMMENTS_EMAIL_REQUIRED", Boolean.toString(comments.emailRequired()));
    values.put("BROADSHEET_COMMENTS_MAX_DEPTH", Integer.toString(comments.maxDepth()));
    values.put("BROADSHEET_COMMENTS_MAX_LINKS", Integer.toString(comments.maxLinks()));
    values.put("BROADSHEET_COMMENTS_CLOSE_AFTER_DAYS", Integer.toString(comments.closeAfterDays()));
    values.put("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", Integer.toString(comments.minFillSeconds()));
    values.put(
        "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE", Integer.toString(comments.perIpPerMinute()));
    values.put(
        "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE", Integer.toString(comments.perEmailPerMinute()));
    values.put(
        "BROADSHEET_COMMENTS_IP_RETENTION_DAYS", Long.toString(comments.ipRetention().toDays()));
    values.put("BROADSHEET_MODERATOR_EMAILS", String.join(",", comments.moderatorEmails()));
    values.put("BROADSHEET_SMTP_HOST", mail.smtpHost());
    values.put("BROADSHEET_SMTP_PORT", Integer.toString(mail.smtpPort()));
    values.put("BROADSHEET_SMTP_USER", mail.smtpUser());
    values.put("BROADSHEET_SMTP_PASSWORD", mail.smtpPassword());
    values.put("BROADSHEET_SMTP_SECURITY", mail.smtpSecurity());
    values.put("BROADSHEET_MAIL_FROM", mail.from());
    values.put("BROADSHEET_MAIL_CONCURRENCY", Integer.toString(mail.concurrency()));
    values.put("BROADSHEET_MAIL_RATE", Integer.toString(mail.ratePerSecond()));
    values.put("BROADSHEET_DKIM_DOMAIN", mail.dkimDomain());
    values.put("BROADSHEET_DKIM_SELECTOR", mail.dkimSelector());
    values.put("BROADSHEET_DKIM_KEY_FILE", mail.dkimKeyFile());
    values.put("BROADSHEET_BOUNCE_TOKEN", mail.bounceToken());
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
