package org.broadsheet.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.broadsheet.support.IpAddresses;

/**
 * Every setting Broadsheet reads, each declared once, in the order the README's table and {@code
 * --help} list them. Read values with {@link Config#get}. Immutable and thread-safe.
 */
public final class Settings {

  private Settings() {}

  // Filled while this class initialises, in declaration order; frozen into ALL below.
  private static final List<Setting<?>> DECLARED = new ArrayList<>();

  private static <T> Setting<T> declare(
      String env, String property, String defaultValue, String meaning, Setting.Parser<T> parser) {
    Setting<T> setting = new Setting<>(env, property, defaultValue, meaning, parser, false);
    DECLARED.add(setting);
    return setting;
  }

  private static <T> Setting<T> secret(
      String env, String property, String defaultValue, String meaning, Setting.Parser<T> parser) {
    Setting<T> setting = new Setting<>(env, property, defaultValue, meaning, parser, true);
    DECLARED.add(setting);
    return setting;
  }

  private static Setting.Parser<Duration> seconds(int min, int max) {
    Setting.Parser<Integer> number = Setting.integer(min, max);
    return text -> Duration.ofSeconds(number.parse(text));
  }

  private static Setting.Parser<Duration> days(int min, int max) {
    Setting.Parser<Integer> number = Setting.integer(min, max);
    return text -> Duration.ofDays(number.parse(text));
  }

  // ---- server and storage -------------------------------------------------------------------

  public static final Setting<String> CONFIG_FILE =
      declare(
          "BROADSHEET_CONFIG",
          "",
          "broadsheet.properties",
          "properties file read if it exists (keys as in the second column)",
          Setting.text());

  public static final Setting<String> HOST =
      declare(
          "BROADSHEET_HOST",
          "host",
          "127.0.0.1",
          "address to listen on; `0.0.0.0` for all interfaces",
          text -> {
            if (text.isBlank()) {
              throw new IllegalArgumentException("give an address such as 127.0.0.1.");
            }
            return text.strip();
          });

  public static final Setting<Integer> PORT =
      declare(
          "BROADSHEET_PORT",
          "port",
          "8080",
          "TCP port (1–65535, or 0 for any free port)",
          Setting.integer(0, 65535));

  public static final Setting<Path> DATA_DIR =
      declare(
          "BROADSHEET_DATA_DIR",
          "data-dir",
          "./data",
          "folder for the embedded database and local state; created if missing",
          text -> Path.of(text.strip()));

  public static final Setting<String> DATABASE_URL =
      declare(
          "BROADSHEET_DATABASE_URL",
          "database-url",
          "",
          "JDBC URL; empty means SQLite file `broadsheet.db` in the data dir; PostgreSQL:"
              + " `jdbc:postgresql://host:5432/db`",
          Setting.text(
              url -> url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"),
              "not a supported JDBC URL; use jdbc:postgresql://host:5432/database,"
                  + " jdbc:sqlite:/path/file.db, or leave it empty for the embedded database."));

  public static final Setting<String> DATABASE_USER =
      declare(
          "BROADSHEET_DATABASE_USER",
          "database-user",
          "",
          "database user (PostgreSQL)",
          Setting.text());

  public static final Setting<String> DATABASE_PASSWORD =
      secret(
          "BROADSHEET_DATABASE_PASSWORD",
          "database-password",
          "",
          "database password (PostgreSQL); prefer the environment to the file",
          Setting.text());

  public static final Setting<Integer> DATABASE_POOL_SIZE =
      declare(
          "BROADSHEET_DATABASE_POOL_SIZE",
          "database-pool-size",
          "8",
          "most open database connections (1–200)",
          Setting.integer(1, 200));

  public static final Setting<String> BASE_URL =
      declare(
          "BROADSHEET_BASE_URL",
          "base-url",
          "http://127.0.0.1:8080",
          "public URL of the site, used for canonical links and mail; `https://` also turns on"
              + " HSTS and secure cookies; unset, it follows the host and port",
          text -> {
            String url = text.strip();
            if (!url.matches("https?://[^/\\s?#]+(/[^\\s?#]*)?")) {
              throw new IllegalArgumentException(
                  "must be an absolute http or https URL such as https://news.example.org");
            }
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
          });

  public static final Setting<ZoneId> TIME_ZONE =
      declare(
          "BROADSHEET_TIME_ZONE",
          "time-zone",
          "UTC",
          "site time zone (IANA name, e.g. `Europe/Kyiv`): shown times and the dates in article"
              + " URLs",
          text -> {
            try {
              return ZoneId.of(text.strip());
            } catch (DateTimeException e) {
              throw new IllegalArgumentException(
                  "not a time zone; use an IANA name such as UTC or Europe/Kyiv.");
            }
          });

  public static final Setting<Locale> LANGUAGE =
      declare(
          "BROADSHEET_LANGUAGE",
          "language",
          "en",
          "site language (BCP 47 tag); `en`, `uk` and `ru` get their own search stemming",
          text -> {
            Locale language = Locale.forLanguageTag(text.strip());
            if (text.isBlank() || language.getLanguage().isEmpty()) {
              throw new IllegalArgumentException("not a language tag; use one such as en or uk.");
            }
            return language;
          });

  public static final Setting<Boolean> PAGE_CACHE =
      declare(
          "BROADSHEET_PAGE_CACHE",
          "page-cache",
          "true",
          "keep rendered pages in memory; turn off only to measure or debug",
          Setting.bool());

  public static final Setting<Integer> PAGE_CACHE_ENTRIES =
      declare(
          "BROADSHEET_PAGE_CACHE_ENTRIES",
          "page-cache-entries",
          "10000",
          "most pages the page cache keeps (1–10000000)",
          Setting.integer(1, 10_000_000));

  public static final Setting<Duration> CACHE_MAX_AGE =
      declare(
          "BROADSHEET_CACHE_MAX_AGE",
          "cache-max-age",
          "60",
          "seconds browsers and proxies may reuse a page before revalidating (0–86400)",
          seconds(0, 86_400));

  public static final Setting<Boolean> DEMO_CONTENT =
      declare(
          "BROADSHEET_DEMO_CONTENT",
          "demo-content",
          "true",
          "seed the demo paper into an empty embedded database on first start",
          Setting.bool());

  public static final Setting<String> SEARCH_INDEX_DIR =
      declare(
          "BROADSHEET_SEARCH_INDEX_DIR",
          "search-index-dir",
          "",
          "folder of this node's search index; empty: `index/` in the data dir; rebuilt from the"
              + " database if missing",
          Setting.text());

  public static final Setting<String> BACKUP_AT =
      declare(
          "BROADSHEET_BACKUP_AT",
          "backup-at",
          "03:30",
          "when the daily backup of the embedded database and media runs (site time, `HH:MM`);"
              + " `off`: none (on PostgreSQL, use the `pg_dump` timer)",
          Setting.text(
              t -> t.equals("off") || t.matches("([01][0-9]|2[0-3]):[0-5][0-9]"),
              "use HH:MM (24-hour clock) or off."));

  public static final Setting<String> BACKUP_DIR =
      declare(
          "BROADSHEET_BACKUP_DIR",
          "backup-dir",
          "",
          "folder for the daily backups; empty: `backups/` in the data dir (better: another disk)",
          Setting.text());

  public static final Setting<Integer> BACKUP_KEEP_DAILY =
      declare(
          "BROADSHEET_BACKUP_KEEP_DAILY",
          "backup-keep-daily",
          "7",
          "daily backups kept (the newest of each of the last N days with one)",
          Setting.integer(1, 365));

  public static final Setting<Integer> BACKUP_KEEP_WEEKLY =
      declare(
          "BROADSHEET_BACKUP_KEEP_WEEKLY",
          "backup-keep-weekly",
          "4",
          "weekly backups kept besides (the newest of each of the last N weeks with one)",
          Setting.integer(0, 520));

  public static final Setting<String> MEDIA_DIR =
      declare(
          "BROADSHEET_MEDIA_DIR",
          "media-dir",
          "",
          "folder of uploaded images; empty: `media/` in the data dir; several nodes share one"
              + " (a network file system mounted on each)",
          Setting.text());

  public static final Setting<Boolean> EMBED_FETCH =
      declare(
          "BROADSHEET_EMBED_FETCH",
          "embed-fetch",
          "false",
          "when a story is saved, ask the providers of its embeds (YouTube, Vimeo, X, Spotify,"
              + " SoundCloud, TikTok, Datawrapper, Flourish) for a title and a thumbnail, stored"
              + " locally; only their own hosts, never a private address. Off: plain cards",
          Setting.bool());

  public static final Setting<ApiReads> API_READS =
      declare(
          "BROADSHEET_API_READS",
          "api-reads",
          "public",
          "the Content API (`/api/v1/…` reads): `public` (it shows only what the site shows),"
              + " `keyed` (an API key from Integrations is needed), `off`",
          Setting.choice(ApiReads.class));

  public static final Setting<Integer> API_RATE =
      declare(
          "BROADSHEET_API_RATE",
          "api-rate",
          "300",
          "API requests a minute per key (or per network without a key) that reach the"
              + " application; answers served from the page cache are not counted",
          Setting.integer(1, 1_000_000));

  public static final Setting<Integer> WEBHOOK_ATTEMPTS =
      declare(
          "BROADSHEET_WEBHOOK_ATTEMPTS",
          "webhook-attempts",
          "8",
          "tries per webhook delivery (waits grow from `webhook-retry-seconds`, fourfold, up to"
              + " 6 h); an endpoint whose delivery fails every try is turned off with a notice",
          Setting.integer(1, 30));

  public static final Setting<Integer> WEBHOOK_RETRY_SECONDS =
      declare(
          "BROADSHEET_WEBHOOK_RETRY_SECONDS",
          "webhook-retry-seconds",
          "30",
          "the first wait before a failed webhook delivery is tried again",
          Setting.integer(1, 86_400));

  public static final Setting<Boolean> WEBHOOK_PRIVATE_TARGETS =
      declare(
          "BROADSHEET_WEBHOOK_PRIVATE_TARGETS",
          "webhook-private-targets",
          "false",
          "allow webhooks to private, loopback and link-local addresses (a receiver on the same"
              + " machine or network); off: public addresses over https only",
          Setting.bool());

  public static final Setting<List<String>> TRUSTED_PROXIES =
      declare(
          "BROADSHEET_TRUSTED_PROXIES",
          "trusted-proxies",
          "",
          "comma-separated addresses or CIDR ranges of your reverse proxies, whose `X-Forwarded-For`"
              + " or `Forwarded` is believed; behind a proxy not listed, every reader shares its"
              + " address (the dashboard says so)",
          Setting.list(
              item ->
                  IpAddresses.isAddressOrRange(item)
                      ? null
                      : "is not an IP address or CIDR range."));

  // ---- the human check ----------------------------------------------------------------------

  public static final Setting<HumanCheckProvider> HUMAN_CHECK =
      declare(
          "BROADSHEET_HUMAN_CHECK",
          "human-check",
          "altcha",
          "human check on reader forms: "
              + Setting.ids(HumanCheckProvider.class)
              + " (altcha is self-hosted; the others need a site key and secret)",
          Setting.choice(HumanCheckProvider.class));

  public static final Setting<Duration> HUMAN_CHECK_EXPIRY =
      declare(
          "BROADSHEET_HUMAN_CHECK_EXPIRY",
          "human-check-expiry",
          "600",
          "seconds a challenge stays valid (1–86400); the widget renews expired ones by itself",
          seconds(1, 86_400));

  public static final Setting<Integer> HUMAN_CHECK_DIFFICULTY =
      declare(
          "BROADSHEET_HUMAN_CHECK_DIFFICULTY",
          "human-check-difficulty",
          "50000",
          "proof-of-work search space (1000–10000000); higher is slower for readers and bots",
          Setting.integer(1_000, 10_000_000));

  public static final Setting<Fallback> HUMAN_CHECK_WITHOUT_SCRIPT =
      declare(
          "BROADSHEET_HUMAN_CHECK_WITHOUT_SCRIPT",
          "human-check-without-script",
          "hold",
          "a comment sent without the check (no JavaScript): `hold` for moderation, or `reject`",
          Setting.choice(Fallback.class));

  public static final Setting<String> HUMAN_CHECK_SITE_KEY =
      declare(
          "BROADSHEET_HUMAN_CHECK_SITE_KEY",
          "human-check-site-key",
          "",
          "site key of a third-party provider",
          Setting.text());

  public static final Setting<String> HUMAN_CHECK_SECRET =
      secret(
          "BROADSHEET_HUMAN_CHECK_SECRET",
          "human-check-secret",
          "",
          "secret of a third-party provider; prefer the environment to the file",
          Setting.text());

  public static final Setting<String> HUMAN_CHECK_VERIFY_URL =
      declare(
          "BROADSHEET_HUMAN_CHECK_VERIFY_URL",
          "human-check-verify-url",
          "",
          "override of the provider's siteverify URL (empty: the provider's own)",
          Setting.text(url -> url.matches("https?://\\S+"), "must be an http or https URL."));

  public static final Setting<Double> HUMAN_CHECK_MIN_SCORE =
      declare(
          "BROADSHEET_HUMAN_CHECK_MIN_SCORE",
          "human-check-min-score",
          "0.5",
          "lowest reCAPTCHA v3 score accepted (0–1)",
          Setting.decimal(0, 1));

  public static final Setting<Fallback> HUMAN_CHECK_FAILURE_MODE =
      declare(
          "BROADSHEET_HUMAN_CHECK_FAILURE_MODE",
          "human-check-failure-mode",
          "hold",
          "when a third-party provider does not answer: `hold` for moderation, or `reject`",
          Setting.choice(Fallback.class));

  // ---- comments -----------------------------------------------------------------------------

  public static final Setting<CommentPolicy> COMMENTS_POLICY =
      declare(
          "BROADSHEET_COMMENTS_POLICY",
          "comments-policy",
          "first-time",
          "`first-time` (hold a commenter's first comment), `hold-all`, or `none`",
          Setting.choice(CommentPolicy.class));

  public static final Setting<Boolean> COMMENTS_EMAIL_REQUIRED =
      declare(
          "BROADSHEET_COMMENTS_EMAIL_REQUIRED",
          "comments-email-required",
          "true",
          "commenters must give an email address (never shown)",
          Setting.bool());

  public static final Setting<Integer> COMMENTS_MAX_DEPTH =
      declare(
          "BROADSHEET_COMMENTS_MAX_DEPTH",
          "comments-max-depth",
          "3",
          "how deep replies nest (1–10; 1 means no replies)",
          Setting.integer(1, 10));

  public static final Setting<Integer> COMMENTS_MAX_LINKS =
      declare(
          "BROADSHEET_COMMENTS_MAX_LINKS",
          "comments-max-links",
          "2",
          "a comment with more links than this is held for moderation (0–100)",
          Setting.integer(0, 100));

  public static final Setting<Integer> COMMENTS_CLOSE_AFTER_DAYS =
      declare(
          "BROADSHEET_COMMENTS_CLOSE_AFTER_DAYS",
          "comments-close-after-days",
          "0",
          "close comments this many days after publication (0 = never)",
          Setting.integer(0, 36_500));

  public static final Setting<Integer> COMMENTS_MIN_FILL_SECONDS =
      declare(
          "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
          "comments-min-fill-seconds",
          "3",
          "forms sent faster than this after the check began score as automated (0–600)",
          Setting.integer(0, 600));

  public static final Setting<Integer> COMMENTS_PER_IP_PER_MINUTE =
      declare(
          "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE",
          "comments-per-ip-per-minute",
          "6",
          "comments per minute from one IPv4 /24 or IPv6 /48 (1–100000)",
          Setting.integer(1, 100_000));

  public static final Setting<Integer> COMMENTS_PER_EMAIL_PER_MINUTE =
      declare(
          "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE",
          "comments-per-email-per-minute",
          "3",
          "comments per minute from one email address (1–100000)",
          Setting.integer(1, 100_000));

  public static final Setting<Duration> COMMENTS_IP_RETENTION =
      declare(
          "BROADSHEET_COMMENTS_IP_RETENTION_DAYS",
          "comments-ip-retention-days",
          "30",
          "days commenters' IP addresses and browsers are kept for moderation (1–3650)",
          days(1, 3650));

  public static final Setting<List<String>> MODERATOR_EMAILS =
      declare(
          "BROADSHEET_MODERATOR_EMAILS",
          "moderator-emails",
          "",
          "comma-separated addresses told about held comments",
          Setting.list(
              item -> item.matches("[^@\\s]+@[^@\\s]+") ? null : "is not an email address."));

  // ---- mail ---------------------------------------------------------------------------------

  public static final Setting<String> SMTP_HOST =
      declare(
          "BROADSHEET_SMTP_HOST",
          "smtp-host",
          "",
          "SMTP server for outgoing mail; empty keeps mail in the dev outbox (`outbox/*.eml` in"
              + " the data dir)",
          Setting.text());

  public static final Setting<Integer> SMTP_PORT =
      declare("BROADSHEET_SMTP_PORT", "smtp-port", "587", "SMTP port", Setting.integer(1, 65535));

  public static final Setting<String> SMTP_USER =
      declare("BROADSHEET_SMTP_USER", "smtp-user", "", "SMTP user name", Setting.text());

  public static final Setting<String> SMTP_PASSWORD =
      secret(
          "BROADSHEET_SMTP_PASSWORD",
          "smtp-password",
          "",
          "SMTP password; prefer the environment to the file",
          Setting.text());

  public static final Setting<SmtpSecurity> SMTP_SECURITY =
      declare(
          "BROADSHEET_SMTP_SECURITY",
          "smtp-security",
          "starttls",
          "how the SMTP connection is protected: " + Setting.ids(SmtpSecurity.class),
          Setting.choice(SmtpSecurity.class));

  public static final Setting<String> MAIL_FROM =
      declare(
          "BROADSHEET_MAIL_FROM",
          "mail-from",
          "newsroom@localhost",
          "the From address of outgoing mail",
          text -> {
            if (!text.strip().matches("[^@\\s<>]+@[^@\\s<>]+")) {
              throw new IllegalArgumentException(
                  "must be a plain email address such as newsroom@example.org.");
            }
            return text.strip();
          });

  public static final Setting<Integer> MAIL_CONCURRENCY =
      declare(
          "BROADSHEET_MAIL_CONCURRENCY",
          "mail-concurrency",
          "4",
          "SMTP connections used at once (each kept open and reused), 1–64",
          Setting.integer(1, 64));

  public static final Setting<Integer> MAIL_RATE =
      declare(
          "BROADSHEET_MAIL_RATE",
          "mail-rate",
          "0",
          "most messages per second, as your provider allows; `0`: no limit",
          Setting.integer(0, 1_000_000));

  public static final Setting<Integer> MAIL_LEASE_SECONDS =
      declare(
          "BROADSHEET_MAIL_LEASE_SECONDS",
          "mail-lease-seconds",
          "60",
          "how long a node holds the few messages it is about to send (renewed while it sends);"
              + " after a node dies, another sends them once this has passed, 5–3600",
          Setting.integer(5, 3600));

  public static final Setting<String> DKIM_DOMAIN =
      declare(
          "BROADSHEET_DKIM_DOMAIN",
          "dkim-domain",
          "",
          "sign outgoing mail with DKIM for this domain; empty: no signature",
          Setting.text());

  public static final Setting<String> DKIM_SELECTOR =
      declare(
          "BROADSHEET_DKIM_SELECTOR",
          "dkim-selector",
          "broadsheet",
          "DKIM selector (publish the key at `selector._domainkey.domain`)",
          Setting.text(s -> s.matches("[A-Za-z0-9._-]+"), "not a valid selector."));

  public static final Setting<String> DKIM_KEY_FILE =
      declare(
          "BROADSHEET_DKIM_KEY_FILE",
          "dkim-key-file",
          "",
          "DKIM private key: RSA, PKCS#8, DER or PEM",
          Setting.text());

  public static final Setting<String> BOUNCE_TOKEN =
      secret(
          "BROADSHEET_BOUNCE_TOKEN",
          "bounce-token",
          "",
          "bearer token for `POST /api/newsletter/bounces` (24+ characters); empty: webhook off",
          Setting.text(t -> t.length() >= 24, "use at least 24 random characters."));

  public static final Setting<String> METRICS_TOKEN =
      secret(
          "BROADSHEET_METRICS_TOKEN",
          "metrics-token",
          "",
          "bearer token for `GET /metrics` (Prometheus; 24+ characters); empty: metrics off",
          Setting.text(t -> t.length() >= 24, "use at least 24 random characters."));

  public static final Setting<String> LOG_FORMAT =
      declare(
          "BROADSHEET_LOG_FORMAT",
          "",
          "text",
          "log lines as `text`, or `json` (one object per line with level, logger, message and"
              + " the request id, for a log collector)",
          Setting.text(t -> t.equals("text") || t.equals("json"), "use text or json."));

  public static final Setting<LogLevel> LOG_LEVEL =
      declare(
          "BROADSHEET_LOG_LEVEL",
          "",
          "INFO",
          "log level (`DEBUG`, `INFO`, `WARN`, `ERROR`)",
          Setting.choice(LogLevel.class));

  /** Every setting, in declaration order. */
  public static final List<Setting<?>> ALL = List.copyOf(DECLARED);
}
