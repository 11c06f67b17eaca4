package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.broadsheet.app.Doctor.Finding;
import org.broadsheet.app.Doctor.Level;
import org.broadsheet.config.Config;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code broadsheet doctor}, one check at a time against real parts: the public address against the
 * port, a probe through the public address with forwarding headers from an untrusted and a trusted
 * proxy, an SMTP server with and without STARTTLS (and none), the DKIM record made from the key,
 * disk space, picture handling, the schema (empty, current, newer), the search index (missing,
 * whole, broken) and the age of the newest backup.
 */
class DoctorIT {

  private static Config config(Path dir, String... more) {
    Map<String, String> values = new java.util.HashMap<>();
    for (int i = 0; i + 1 < more.length; i += 2) {
      values.put(more[i], more[i + 1]);
    }
    return Backend.baseConfig(dir).with(values);
  }

  @Test
  void theBaseUrlMustMatchThePort(@TempDir Path dir) {
    Finding mismatch =
        Doctor.baseUrl(
            config(dir, "BROADSHEET_BASE_URL", "http://127.0.0.1:8080", "BROADSHEET_PORT", "9090"));
    assertThat(mismatch.level()).isEqualTo(Level.FAIL);
    assertThat(mismatch.message()).contains("port 8080", "listens on 9090");
    assertThat(
            Doctor.baseUrl(
                    config(
                        dir,
                        "BROADSHEET_BASE_URL",
                        "http://127.0.0.1:9090",
                        "BROADSHEET_PORT",
                        "9090"))
                .level())
        .isEqualTo(Level.OK);
    Finding proxied =
        Doctor.baseUrl(
            config(
                dir, "BROADSHEET_BASE_URL", "https://news.example.org", "BROADSHEET_PORT", "8080"));
    assertThat(proxied.level()).isEqualTo(Level.WARN);
    assertThat(proxied.message()).contains("BROADSHEET_TRUSTED_PROXIES");
    assertThat(
            Doctor.baseUrl(
                    config(
                        dir,
                        "BROADSHEET_BASE_URL",
                        "https://news.example.org",
                        "BROADSHEET_PORT",
                        "8080",
                        "BROADSHEET_TRUSTED_PROXIES",
                        "127.0.0.1"))
                .level())
        .isEqualTo(Level.OK);
  }

  /** The site's settings as the doctor reads them when its public address is the server itself. */
  private static Config reachedDirectly(TestApp site) {
    return site.app()
        .config()
        .with(
            Map.of(
                "BROADSHEET_BASE_URL",
                "http://127.0.0.1:" + site.app().port(),
                "BROADSHEET_PORT",
                Integer.toString(site.app().port())));
  }

  @Test
  void theProbeFindsAnUntrustedProxy() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      Config seen = reachedDirectly(site);
      Finding direct = Doctor.proxy(seen, http, Map.of());
      assertThat(direct.level()).as(direct.message()).isEqualTo(Level.OK);
      Finding untrusted = Doctor.proxy(seen, http, Map.of("X-Forwarded-For", "198.51.100.4"));
      assertThat(untrusted.level()).isEqualTo(Level.FAIL);
      assertThat(untrusted.message())
          .contains("198.51.100.4", "not in BROADSHEET_TRUSTED_PROXIES", "127.0.0.1");
      assertThat(site.get("/doctor/echo").statusCode()).as("no token, no answer").isEqualTo(404);
      assertThat(site.get("/doctor/echo", Doctor.TOKEN_HEADER, "x".repeat(48)).statusCode())
          .isEqualTo(404);
    }
    try (TestApp site =
        TestApp.start(Backend.SQLITE, false, Map.of("BROADSHEET_TRUSTED_PROXIES", "127.0.0.1"))) {
      Config seen = reachedDirectly(site);
      Finding trusted = Doctor.proxy(seen, http, Map.of("X-Forwarded-For", "198.51.100.4"));
      assertThat(trusted.level()).as(trusted.message()).isEqualTo(Level.OK);
      assertThat(trusted.message()).contains("trusted proxy");
    }
    Finding down =
        Doctor.proxy(
            config(
                Files.createTempDirectory("doctor"), "BROADSHEET_BASE_URL", "http://127.0.0.1:9"),
            http,
            Map.of());
    assertThat(down.level()).isEqualTo(Level.WARN);
    assertThat(down.message()).contains("Could not reach");
  }

  /** An SMTP server of one conversation, offering STARTTLS or not. */
  private static ServerSocket smtpServer(boolean startTls) throws Exception {
    ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              try (Socket s = server.accept()) {
                OutputStream out = s.getOutputStream();
                BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                out.write("220 mail.example.org ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.readLine();
                out.write(
                    ("250-mail.example.org\r\n"
                            + (startTls ? "250-STARTTLS\r\n" : "")
                            + "250 SIZE 1000\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.readLine();
              } catch (Exception ignored) {
                // the test is over
              }
            });
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void theMailServerAnswersAsConfigured(@TempDir Path dir) throws Exception {
    try (ServerSocket tls = smtpServer(true)) {
      Finding ok =
          Doctor.smtp(
              config(
                  dir,
                  "BROADSHEET_SMTP_HOST",
                  "127.0.0.1",
                  "BROADSHEET_SMTP_PORT",
                  Integer.toString(tls.getLocalPort()),
                  "BROADSHEET_SMTP_SECURITY",
                  "starttls"));
      assertThat(ok.level()).as(ok.message()).isEqualTo(Level.OK);
    }
    try (ServerSocket plain = smtpServer(false)) {
      Finding noTls =
          Doctor.smtp(
              config(
                  dir,
                  "BROADSHEET_SMTP_HOST",
                  "127.0.0.1",
                  "BROADSHEET_SMTP_PORT",
                  Integer.toString(plain.getLocalPort()),
                  "BROADSHEET_SMTP_SECURITY",
                  "starttls"));
      assertThat(noTls.level()).isEqualTo(Level.FAIL);
      assertThat(noTls.message()).contains("no STARTTLS");
    }
    Finding nobody =
        Doctor.smtp(config(dir, "BROADSHEET_SMTP_HOST", "127.0.0.1", "BROADSHEET_SMTP_PORT", "9"));
    assertThat(nobody.level()).isEqualTo(Level.FAIL);
    assertThat(Doctor.smtp(config(dir)).level()).isEqualTo(Level.WARN);

    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    var pair = rsa.generateKeyPair();
    Path key = dir.resolve("dkim.pem");
    Files.writeString(
        key,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    Finding records =
        Doctor.mailRecords(
            config(
                dir,
                "BROADSHEET_BASE_URL",
                "https://news.example.org",
                "BROADSHEET_DKIM_DOMAIN",
                "example.org",
                "BROADSHEET_DKIM_SELECTOR",
                "bs1",
                "BROADSHEET_DKIM_KEY_FILE",
                key.toString()));
    assertThat(records.message())
        .contains(
            "bs1._domainkey.example.org. TXT \"v=DKIM1; k=rsa; p="
                + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()))
        .contains("v=spf1", "_dmarc.example.org");
  }

  @Test
  void diskSchemaIndexAndBackups(@TempDir Path dir) throws Exception {
    Config config = config(dir);
    assertThat(Doctor.disk(config).level()).isIn(Level.OK, Level.WARN);
    assertThat(Doctor.images().level()).as(Doctor.images().message()).isEqualTo(Level.OK);
    try (Database db = Database.open(config)) {
      assertThat(Doctor.database(db).level()).isEqualTo(Level.INFO);
      db.migrate();
      assertThat(Doctor.database(db).level()).isEqualTo(Level.OK);
      assertThat(Doctor.backups(config, db, Instant.now()).level()).isEqualTo(Level.WARN);
      Path backups = dir.resolve("backups");
      Files.createDirectories(backups);
      Path file = backups.resolve("broadsheet-2026-12-06T033000.db");
      Files.writeString(file, "x");
      assertThat(Doctor.backups(config, db, Instant.now()).level()).isEqualTo(Level.OK);
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
      Finding stale = Doctor.backups(config, db, Instant.now());
      assertThat(stale.level()).isEqualTo(Level.FAIL);
      assertThat(stale.message()).contains("72 h old");
      db.jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO flyway_schema_history (installed_rank, version, description,"
                          + " type, script, checksum, installed_by, execution_time, success)"
                          + " VALUES (999, '999', 'future', 'SQL', 'V999__future.sql', 1, 't', 1, TRUE)"));
      assertThat(Doctor.database(db).level()).isEqualTo(Level.FAIL);
    }
    Path index = dir.resolve("index");
    assertThat(Doctor.searchIndex(config, index).level()).isEqualTo(Level.INFO);
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE, true, Map.of("BROADSHEET_SEARCH_INDEX_DIR", index.toString()))) {
      org.broadsheet.testing.Eventually.until("indexed", () -> site.app().searchIndex().size() > 0);
    }
    Finding whole = Doctor.searchIndex(config, index);
    assertThat(whole.level()).as(whole.message()).isEqualTo(Level.OK);
    assertThat(whole.message()).contains("documents");
    try (var files = Files.walk(index)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
        Files.writeString(f, "broken");
      }
    }
    assertThat(Doctor.searchIndex(config, index).level()).isEqualTo(Level.FAIL);
  }
}
