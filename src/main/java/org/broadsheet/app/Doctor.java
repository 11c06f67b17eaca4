package org.broadsheet.app;

import static org.broadsheet.config.Settings.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.broadsheet.config.Config;
import org.broadsheet.storage.Database;

/**
 * {@code broadsheet doctor}: checks a running installation as an operator would, and says what to
 * change: the public address against where the server listens, the reverse proxy against the
 * headers that actually arrive (a probe sent through the public address), mail delivery (the SMTP
 * server answers, with TLS as configured) and the DNS records to publish, free disk space, picture
 * handling (the runtime can resize and write images), the database's schema, the search index and
 * the backups. Each check is a function of its inputs, so each can be tested on its own.
 */
public final class Doctor {

  public static final String TOKEN_HEADER = "X-Broadsheet-Doctor";
  private static final Duration TOKEN_LIFE = Duration.ofMinutes(10);

  /** How a check came out. */
  public enum Level {
    OK,
    INFO,
    WARN,
    FAIL
  }

  /** One check's finding: what was checked, how it came out, and what to do. */
  public record Finding(String check, Level level, String message) {}

  private Doctor() {}

  // ---- the probe's token

  static Path tokenFile(Config config) {
    return config.get(DATA_DIR).resolve("doctor-token");
  }

  /** The token the doctor wrote, if it is fresh; else null. */
  static String readToken(Path file) {
    try {
      if (!Files.isRegularFile(file)
          || Files.getLastModifiedTime(file)
              .toInstant()
              .isBefore(Instant.now().minus(TOKEN_LIFE))) {
        return null;
      }
      String token = Files.readString(file).strip();
      return token.length() >= 32 ? token : null;
    } catch (IOException e) {
      return null;
    }
  }

  // ---- the checks

  /** The public address against the listening port: links in pages and mail must work. */
  static Finding baseUrl(Config config) {
    URI base;
    try {
      base = URI.create(config.get(BASE_URL));
    } catch (IllegalArgumentException e) {
      return new Finding("base URL", Level.FAIL, "BROADSHEET_BASE_URL is not an address.");
    }
    int basePort =
        base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
    int port = config.get(PORT);
    String host = base.getHost() == null ? "" : base.getHost();
    boolean local =
        host.equals("localhost")
            || host.equals("127.0.0.1")
            || host.equals("[::1]")
            || host.equals("::1")
            || host.equals(config.get(HOST));
    if (local && basePort != port) {
      return new Finding(
          "base URL",
          Level.FAIL,
          "BROADSHEET_BASE_URL ("
              + base
              + ") says port "
              + basePort
              + ", but the server listens on "
              + port
              + ": every link in pages, feeds and mail points at a port nothing answers. Set"
              + " BROADSHEET_BASE_URL to http://"
              + host
              + ":"
              + port
              + " (or put a reverse proxy on "
              + basePort
              + ").");
    }
    if (!local && basePort != port && config.get(TRUSTED_PROXIES).isEmpty()) {
      return new Finding(
          "base URL",
          Level.WARN,
          "Readers reach "
              + base
              + " while the server listens on port "
              + port
              + ": a reverse proxy is in between, but BROADSHEET_TRUSTED_PROXIES is empty, so"
              + " every reader shares the proxy's address. List the proxy's address there.");
    }
    if ("http".equals(base.getScheme()) && !local) {
      return new Finding(
          "base URL",
          Level.WARN,
          base + " is plain http: sign-in cookies and forms travel unencrypted. Serve https.");
    }
    return new Finding("base URL", Level.OK, base + " matches the server (port " + port + ").");
  }

  /**
   * Sends a probe through the public address and reads what the server saw: forwarding headers from
   * an untrusted peer (a proxy not listed), none at all behind a proxy, or https lost on the way.
   * {@code extra} headers are added to the probe (tests stand in for a proxy with them).
   */
  static Finding proxy(Config config, HttpClient http, Map<String, String> extra) {
    Path file = tokenFile(config);
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, token);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(config.get(BASE_URL) + "/doctor/echo"))
              .timeout(Duration.ofSeconds(10))
              .header(TOKEN_HEADER, token);
      extra.forEach(request::header);
      HttpResponse<String> answer =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 404) {
        return new Finding(
            "reverse proxy",
            Level.WARN,
            config.get(BASE_URL)
                + " answered, but not as this server (another node, or a proxy in front of"
                + " another site); run the doctor on the node that answers.");
      }
      var echo = org.broadsheet.web.Api.JSON.readTree(answer.body());
      String peer = echo.path("peer").asText();
      String forwarded =
          echo.path("forwardedFor").isNull() ? null : echo.path("forwardedFor").asText(null);
      boolean trusted = echo.path("peerTrusted").asBoolean();
      if (forwarded != null && !trusted) {
        return new Finding(
            "reverse proxy",
            Level.FAIL,
            "Requests through "
                + config.get(BASE_URL)
                + " arrive from "
                + peer
                + " with X-Forwarded-For ("
                + forwarded
                + "), but "
                + peer
                + " is not in BROADSHEET_TRUSTED_PROXIES: the headers are ignored and every reader"
                + " counts as "
                + peer
                + ". Add "
                + peer
                + " to BROADSHEET_TRUSTED_PROXIES.");
      }
      URI base = URI.create(config.get(BASE_URL));
      int basePort =
          base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
      if (forwarded == null && basePort != config.get(PORT)) {
        return new Finding(
            "reverse proxy",
            Level.WARN,
            "Requests through "
                + base
                + " come from "
                + peer
                + " without X-Forwarded-For: add proxy_set_header X-Forwarded-For"
                + " $proxy_add_x_forwarded_for (nginx); Caddy sends it by itself.");
      }
      if (config.get(BASE_URL).startsWith("https:")
          && !"https".equals(echo.path("forwardedProto").asText(""))) {
        return new Finding(
            "reverse proxy",
            Level.WARN,
            "The site is https, but requests arrive without X-Forwarded-Proto: https; set it in"
                + " the proxy so redirects and secure cookies stay on https.");
      }
      return new Finding(
          "reverse proxy",
          Level.OK,
          forwarded == null
              ? "Requests arrive straight from readers (no proxy in between)."
              : "Requests arrive through the trusted proxy "
                  + peer
                  + " with the reader's address.");
    } catch (IOException e) {
      return new Finding(
          "reverse proxy",
          Level.WARN,
          "Could not reach "
              + config.get(BASE_URL)
              + " ("
              + e.getMessage()
              + "); is the server running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Finding("reverse proxy", Level.WARN, "Interrupted.");
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // it expires by itself
      }
    }
  }

  /** The SMTP server answers, and offers STARTTLS when it should. */
  static Finding smtp(Config config) {
    String host = config.get(SMTP_HOST);
    if (host.isEmpty()) {
      return new Finding(
          "mail",
          Level.WARN,
          "No SMTP server is set (BROADSHEET_SMTP_HOST): mail stays in the data folder's outbox/.");
    }
    int port = config.get(SMTP_PORT);
    String security = config.get(SMTP_SECURITY).name();
    if (security.equals("TLS")) {
      try (var socket = javax.net.ssl.SSLSocketFactory.getDefault().createSocket()) {
        socket.connect(new InetSocketAddress(host, port), 5_000);
        ((javax.net.ssl.SSLSocket) socket).startHandshake();
        return new Finding("mail", Level.OK, host + ":" + port + " answers over TLS.");
      } catch (IOException e) {
        return new Finding(
            "mail", Level.FAIL, host + ":" + port + " does not answer over TLS: " + e.getMessage());
      }
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(5_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      String greeting = in.readLine();
      if (greeting == null || !greeting.startsWith("220")) {
        return new Finding(
            "mail", Level.FAIL, host + ":" + port + " is not an SMTP server (" + greeting + ").");
      }
      out.write("EHLO broadsheet-doctor\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      boolean startTls = false;
      for (String line; (line = in.readLine()) != null; ) {
        startTls |= line.toUpperCase(java.util.Locale.ROOT).contains("STARTTLS");
        if (line.length() < 4 || line.charAt(3) != '-') {
          break;
        }
      }
      out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (security.equals("STARTTLS") && !startTls) {
        return new Finding(
            "mail",
            Level.FAIL,
            host
                + ":"
                + port
                + " answers but offers no STARTTLS, which BROADSHEET_SMTP_SECURITY asks for.");
      }
      return new Finding(
          "mail",
          security.equals("NONE") ? Level.WARN : Level.OK,
          host
              + ":"
              + port
              + " answers"
              + (security.equals("NONE")
                  ? " without encryption (BROADSHEET_SMTP_SECURITY=none): use it only on a private network."
                  : " and offers STARTTLS."));
    } catch (IOException e) {
      return new Finding(
          "mail", Level.FAIL, host + ":" + port + " does not answer: " + e.getMessage());
    }
  }

  /** The DNS records that let the site's mail arrive, ready to copy. */
  static Finding mailRecords(Config config) {
    String domain =
        config.get(DKIM_DOMAIN).isEmpty()
            ? URI.create(config.get(BASE_URL)).getHost()
            : config.get(DKIM_DOMAIN);
    StringBuilder text = new StringBuilder("Publish for ").append(domain).append(":\n");
    text.append("  ")
        .append(domain)
        .append(". TXT \"v=spf1 a mx include:<your mail provider> ~all\"\n");
    text.append("  _dmarc.")
        .append(domain)
        .append(". TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@")
        .append(domain)
        .append("\"\n");
    String keyFile = config.get(DKIM_KEY_FILE);
    if (keyFile.isEmpty()) {
      text.append(
          "  (no DKIM key: set BROADSHEET_DKIM_KEY_FILE and run the doctor again for its record)");
      return new Finding("mail DNS", Level.INFO, text.toString());
    }
    try {
      String publicKey = org.broadsheet.mail.DkimRecords.publicKeyOf(Path.of(keyFile));
      text.append("  ")
          .append(config.get(DKIM_SELECTOR))
          .append("._domainkey.")
          .append(domain)
          .append(". TXT \"v=DKIM1; k=rsa; p=")
          .append(publicKey)
          .append("\"");
      return new Finding("mail DNS", Level.INFO, text.toString());
    } catch (IOException | RuntimeException e) {
      return new Finding(
          "mail DNS", Level.FAIL, "The DKIM key " + keyFile + " cannot be read: " + e.getMessage());
    }
  }

  /** Free space where the database, media and backups live. */
  static Finding disk(Config config) {
    Path dir = config.get(DATA_DIR);
    try {
      Files.createDirectories(dir);
      long free = Files.getFileStore(dir).getUsableSpace();
      long mb = free / (1024 * 1024);
      if (mb < 500) {
        return new Finding(
            "disk",
            Level.FAIL,
            "Only "
                + mb
                + " MB free in "
                + dir
                + ": writes and backups will fail soon. Free space.");
      }
      if (mb < 2048) {
        return new Finding("disk", Level.WARN, mb + " MB free in " + dir + ": plan for more.");
      }
      return new Finding("disk", Level.OK, String.format("%,d MB free in %s.", mb, dir));
    } catch (IOException e) {
      return new Finding("disk", Level.FAIL, dir + " cannot be read: " + e.getMessage());
    }
  }

  /** Pictures: this runtime resizes, writes and reads back JPEG and PNG, as uploads need. */
  static Finding images() {
    return org.broadsheet.media.MediaLibrary.imageHandlingProblem()
        .map(
            problem ->
                new Finding(
                    "images",
                    Level.FAIL,
                    "Pictures cannot be handled here ("
                        + problem
                        + "): uploads and their resized copies will fail."))
        .orElseGet(
            () ->
                new Finding(
                    "images", Level.OK, "Pictures can be resized, written and read (JPEG, PNG)."));
  }

  /** The schema: up to date, pending migrations (the next start applies them), or too new. */
  static Finding database(Database database) {
    Database.SchemaStatus s = database.schemaStatus();
    if (s.newer() != null) {
      return new Finding(
          "database",
          Level.FAIL,
          "Migrated by a newer version (V"
              + s.newer()
              + "; this one knows V"
              + s.known()
              + "): this version will not start on it.");
    }
    if (s.applied() == null) {
      return new Finding(
          "database",
          Level.INFO,
          "Empty: the first start creates the schema (V" + s.known() + ").");
    }
    if (s.pending() > 0) {
      return new Finding(
          "database",
          Level.INFO,
          "At V"
              + s.applied()
              + "; the next start applies "
              + s.pending()
              + " migration(s) up to V"
              + s.known()
              + (database.sqliteFile() != null ? ", after a copy to backups/" : "")
              + ".");
    }
    return new Finding(
        "database",
        Level.OK,
        "Schema V" + s.applied() + ", up to date (" + database.dialect() + ").");
  }

  /** The search index's folder opens and holds documents. */
  static Finding searchIndex(Config config, Path root) {
    Path dir;
    try {
      var generations = new org.broadsheet.search.IndexGenerations(root);
      dir = generations.dir(generations.current());
    } catch (RuntimeException e) {
      return new Finding("search index", Level.FAIL, e.getMessage());
    }
    if (!Files.isDirectory(dir)) {
      return new Finding(
          "search index", Level.INFO, dir + " does not exist yet: the next start builds it.");
    }
    try (var index =
        org.apache.lucene.index.DirectoryReader.open(
            org.apache.lucene.store.FSDirectory.open(dir))) {
      return new Finding("search index", Level.OK, index.numDocs() + " documents in " + dir + ".");
    } catch (IOException e) {
      return new Finding(
          "search index",
          Level.FAIL,
          dir
              + " cannot be read ("
              + e.getMessage()
              + "): stop the server, delete the folder, start again to rebuild it.");
    }
  }

  /** The newest backup is from the last day and a half. */
  static Finding backups(Config config, Database database, Instant now) {
    if (database.sqliteFile() == null) {
      return new Finding(
          "backups", Level.INFO, "PostgreSQL: back it up with pg_dump (see the README).");
    }
    if (config.get(BACKUP_AT).equals("off")) {
      return new Finding(
          "backups", Level.WARN, "Daily backups are off (BROADSHEET_BACKUP_AT=off).");
    }
    Path folder =
        config.get(BACKUP_DIR).isEmpty()
            ? config.get(DATA_DIR).resolve("backups")
            : Path.of(config.get(BACKUP_DIR));
    try (var files = Files.list(folder)) {
      var newest =
          files
              .filter(p -> p.getFileName().toString().matches("broadsheet-.*\\.db"))
              .map(
                  p -> {
                    try {
                      return Files.getLastModifiedTime(p).toInstant();
                    } catch (IOException e) {
                      return Instant.EPOCH;
                    }
                  })
              .max(Instant::compareTo);
      if (newest.isEmpty()) {
        return new Finding(
            "backups",
            Level.WARN,
            "No backup in " + folder + " yet (the first runs at " + config.get(BACKUP_AT) + ").");
      }
      Duration age = Duration.between(newest.get(), now);
      return age.compareTo(Duration.ofHours(36)) > 0
          ? new Finding(
              "backups",
              Level.FAIL,
              "The newest backup in "
                  + folder
                  + " is "
                  + age.toHours()
                  + " h old: check the log for why backups fail.")
          : new Finding(
              "backups",
              Level.OK,
              "The newest backup in " + folder + " is " + age.toHours() + " h old.");
    } catch (IOException e) {
      return new Finding(
          "backups",
          Level.WARN,
          "No backup folder " + folder + " yet (the first runs at " + config.get(BACKUP_AT) + ").");
    }
  }

  /** Every check, in the order an operator reads them. */
  public static List<Finding> run(Config config) {
    List<Finding> findings = new ArrayList<>();
    Finding base = baseUrl(config);
    Finding proxy =
        proxy(
            config,
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
            Map.of());
    if (base.level() == Level.FAIL
        && !proxy.message().startsWith("Could not reach")
        && !proxy.message().contains("not as this server")
        && base.message().contains("listens on")) {
      // The probe reached this server through the public address: a proxy is there after all.
      base =
          new Finding(
              "base URL",
              Level.OK,
              config.get(BASE_URL) + " reaches this server through a reverse proxy.");
    }
    findings.add(base);
    findings.add(proxy);
    findings.add(smtp(config));
    findings.add(mailRecords(config));
    findings.add(disk(config));
    findings.add(images());
    try (Database database = Database.open(config)) {
      findings.add(database(database));
      findings.add(backups(config, database, Instant.now()));
    } catch (RuntimeException e) {
      findings.add(new Finding("database", Level.FAIL, e.getMessage()));
    }
    findings.add(searchIndex(config, config.searchIndexDir()));
    return findings;
  }
}
