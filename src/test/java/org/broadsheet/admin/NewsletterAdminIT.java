package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.cli.Cli;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newsroom's newsletter pages as an editor uses them, with the embedded default (no SMTP: the
 * dev outbox): newsletters, CSV import and export, search, test send, mailings with counts, the
 * bounce webhook and command, delete and erase.
 */
class NewsletterAdminIT {

  private static final String PASSWORD = NewsroomIT.PASSWORD;
  private static final String TOKEN = "bounce-token-0123456789abcdef";

  private static TestApp start() {
    return TestApp.start(Backend.SQLITE, true, Map.of("BROADSHEET_BOUNCE_TOKEN", TOKEN));
  }

  private static Browserless editor(TestApp site) {
    site.app().accounts().create("ed@example.org", "Ed", PASSWORD, Role.EDITOR, null);
    Browserless ed = NewsroomIT.client(site);
    assertThat(ed.signIn("ed@example.org", PASSWORD).statusCode()).isEqualTo(303);
    ed.get("/admin/newsletters");
    return ed;
  }

  private static HttpResponse<String> importCsv(Browserless ed, String csv, boolean dryRun) {
    return ed.postFile(
        "/admin/subscribers/import",
        dryRun ? Map.of("dryRun", "1") : Map.of(),
        "file",
        "subscribers.csv",
        csv.getBytes(StandardCharsets.UTF_8));
  }

  private static int count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  private static HttpResponse<String> webhook(TestApp site, String auth, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + site.app().port() + "/api/newsletter/bounces"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void anEditorRunsTheListFromImportToErasure() throws Exception {
    try (TestApp site = start()) {
      Jdbi jdbi = site.app().database().jdbi();
      Browserless ed = editor(site);

      // Newsletters: a clear error, then a new one.
      HttpResponse<String> bad =
          ed.post("/admin/newsletters", Map.of("name", "Breaking", "slug", "Not A Slug!"));
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("lower-case letters");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'newsletter.%'"))
          .as("a refused create leaves no audit line")
          .isZero();
      assertThat(
              ed.post(
                      "/admin/newsletters",
                      Map.of("name", "Breaking", "tag", "breaking", "cadence", "each"))
                  .statusCode())
          .isEqualTo(303);
      assertThat(ed.get("/admin/newsletters").body()).contains("Breaking", "Welcome mail");
      assertThat(
              count(
                  jdbi,
                  "SELECT COUNT(*) FROM audit_log WHERE action = 'newsletter.create'"
                      + " AND target = 'newsletter:breaking' AND user_email = 'ed@example.org'"))
          .isEqualTo(1);

      // Import: a broken file changes nothing and says which lines are wrong.
      HttpResponse<String> noStatus = importCsv(ed, "email,name\nanna@example.org,Anna\n", false);
      assertThat(noStatus.statusCode()).isEqualTo(422);
      assertThat(noStatus.body()).contains("at least email and status");
      HttpResponse<String> unreadable =
          importCsv(
              ed,
              "email,status\nanna@example.org,confirmed\n\"bo@example.org\"x,confirmed\n",
              false);
      assertThat(unreadable.statusCode()).isEqualTo(422);
      assertThat(unreadable.body())
          .contains("not readable as CSV after line 2")
          .doesNotContain("IOException", "invalid char", "org.apache");
      HttpResponse<String> broken =
          importCsv(
              ed,
              "email,name,status\nanna@example.org,Anna,confirmed\nnot-an-address,X,confirmed\n"
                  + "c@example.org,C,maybe\n",
              false);
      assertThat(broken.statusCode()).isEqualTo(422);
      assertThat(broken.body()).contains("Line 3", "Line 4", "Nothing was imported");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM subscribers")).isZero();
      assertThat(count(jdbi, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'subscribers.%'"))
          .as("a refused import leaves no audit line")
          .isZero();

      jdbi.useHandle(
          h ->
              h.execute(
                  "INSERT INTO subscribers (email, status, frequency, created_at) VALUES ('left@example.org', 'unsubscribed', 'each', 0)"));
      String csv =
          "\uFEFFemail,name,status,frequency,newsletters,sections\n"
              + "anna@example.org,Anna,confirmed,each,news;breaking,city\n"
              + "bo@example.org,\"Bo, Jr.\",pending,daily,,\n"
              + "formula@example.org,=HYPERLINK(\"http://evil.example\"),confirmed,,,\n"
              + "left@example.org,Left,confirmed,,,\n";
      HttpResponse<String> dry = importCsv(ed, csv, true);
      assertThat(dry.statusCode()).isEqualTo(200);
      assertThat(dry.body()).contains("What the import would do", "3 added", "1 kept");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM subscribers")).isEqualTo(1);
      assertThat(
              count(
                  jdbi,
                  "SELECT COUNT(*) FROM audit_log WHERE action = 'subscribers.import-dry-run'"
                      + " AND target = 'subscribers.csv' AND detail = '3 added, 0 updated, 1 kept'"))
          .isEqualTo(1);
      HttpResponse<String> real = importCsv(ed, csv, false);
      assertThat(real.body()).contains("What was imported", "3 added", "1 kept");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'"))
          .as("left@ unsubscribed: an import cannot renew consent")
          .isEqualTo(2);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM mail_outbox"))
          .as("imports mail nobody")
          .isZero();

      // Search and export.
      String found = ed.get("/admin/subscribers?q=ANNA").body();
      assertThat(found)
          .contains("anna@example.org", "The news, Breaking", "City")
          .doesNotContain("bo@example.org");
      assertThat(ed.get("/admin/subscribers?status=pending").body())
          .contains("bo@example.org")
          .doesNotContain("anna@example.org");
      HttpResponse<String> export = ed.get("/admin/subscribers/export.csv");
      assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      assertThat(export.body())
          .startsWith(
              "email,name,status,frequency,newsletters,sections,created_at,confirmed_at,consent_ip")
          .contains("anna@example.org,Anna,confirmed,each,news;breaking,city,")
          .contains("\"Bo, Jr.\"")
          .contains("'=HYPERLINK");

      // A test send and a real mailing land in the dev outbox and in the history.
      Article article =
          site.app()
              .articles()
              .create(
                  new ArticleDraft(
                      "",
                      "city",
                      "Tram line reopens after repairs",
                      "Two weeks early.",
                      "Body.",
                      ArticleStatus.PUBLISHED,
                      null,
                      List.of("ines-varga"),
                      List.of(),
                      null));
      assertThat(
              ed.post(
                      "/admin/newsletters/test",
                      Map.of("article", "" + article.id(), "to", "proof@example.org"))
                  .statusCode())
          .isEqualTo(303);
      org.broadsheet.testing.Eventually.until(
          "the article's campaign to queue a copy for anna",
          () ->
              count(jdbi, "SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'anna@example.org'")
                  > 0);
      site.app().outbox().deliverDue();
      String outbox = ed.get("/admin/outbox").body();
      assertThat(outbox)
          .contains("Dev outbox", "[Test] Tram line reopens after repairs", "proof@example.org")
          .contains("anna@example.org");
      long testRow =
          jdbi.withHandle(
              h ->
                  h.createQuery("SELECT id FROM mail_outbox WHERE recipient = 'proof@example.org'")
                      .mapTo(Long.class)
                      .one());
      assertThat(ed.get("/admin/outbox/" + testRow).body())
          .contains("Plain text", "Two weeks early.", "sandbox");
      // Account mail (password resets, invitations) is not for editors' eyes.
      jdbi.useTransaction(
          h ->
              site.app()
                  .outbox()
                  .enqueue(
                      h,
                      new org.broadsheet.mail.MailMessage(
                          "admin@example.org",
                          "Reset your password",
                          "Secret link",
                          null,
                          null,
                          "reset:admin")));
      long reset =
          jdbi.withHandle(
              h ->
                  h.createQuery("SELECT id FROM mail_outbox WHERE idempotency_key = 'reset:admin'")
                      .mapTo(Long.class)
                      .one());
      assertThat(ed.get("/admin/outbox").body()).doesNotContain("Reset your password");
      assertThat(ed.get("/admin/outbox/" + reset).statusCode()).isEqualTo(404);
      String campaigns = ed.get("/admin/campaigns").body();
      assertThat(campaigns)
          .contains("Test: Tram line reopens after repairs", "Tram line reopens after repairs");

      // The bounce webhook: authenticated, all-or-nothing, then suppresses.
      assertThat(webhook(site, null, "{}").statusCode()).isEqualTo(401);
      assertThat(webhook(site, "Bearer wrong-token-wrong-token", "{}").statusCode()).isEqualTo(401);
      assertThat(webhook(site, "Bearer " + TOKEN, "not json").statusCode()).isEqualTo(400);
      HttpResponse<String> badType =
          webhook(
              site,
              "Bearer " + TOKEN,
              "[{\"email\":\"anna@example.org\",\"type\":\"hard\"},{\"email\":\"bo@example.org\",\"type\":\"lost\"}]");
      assertThat(badType.statusCode()).isEqualTo(400);
      assertThat(badType.body()).contains("Report 2");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM mail_bounces")).isZero();
      String messageId =
          "<"
              + jdbi.withHandle(
                  h ->
                      h.createQuery(
                              "SELECT id FROM mail_outbox WHERE recipient = 'anna@example.org'")
                          .mapTo(Long.class)
                          .one())
              + ".abc@127.0.0.1>";
      HttpResponse<String> ok =
          webhook(
              site,
              "Bearer " + TOKEN,
              "{\"email\":\"anna@example.org\",\"type\":\"hard\",\"messageId\":\""
                  + messageId
                  + "\",\"detail\":\"550 5.1.1 unknown\"}");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.body()).contains("\"suppressed\":true");
      assertThat(ed.get("/admin/subscribers?q=anna").body()).contains("bounced");
      assertThat(ed.get("/admin/campaigns").body()).containsPattern("<td>1</td>\\s*</tr>");

      // Delete keeps the history; erase keeps nothing.
      long bo = idOf(jdbi, "bo@example.org");
      long anna = idOf(jdbi, "anna@example.org");
      assertThat(ed.post("/admin/subscribers/" + bo + "/delete", Map.of()).statusCode())
          .isEqualTo(303);
      assertThat(ed.post("/admin/subscribers/" + anna + "/erase", Map.of()).statusCode())
          .isEqualTo(303);
      assertThat(
              count(
                  jdbi,
                  "SELECT COUNT(*) FROM subscribers WHERE email IN ('anna@example.org', 'bo@example.org')"))
          .isZero();
      assertThat(
              count(jdbi, "SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'anna@example.org'"))
          .isZero();
      assertThat(
              count(
                  jdbi, "SELECT COUNT(*) FROM mail_suppressions WHERE email = 'anna@example.org'"))
          .isZero();
      assertThat(ed.post("/admin/subscribers/" + anna + "/erase", Map.of()).statusCode())
          .isEqualTo(404);
      assertThat(
              count(
                  jdbi,
                  "SELECT COUNT(*) FROM audit_log WHERE action = 'subscriber.erase'"
                      + " AND target = 'subscriber:"
                      + anna
                      + "' AND detail = ''"))
          .isEqualTo(1);
      assertThat(
              count(
                  jdbi,
                  "SELECT COUNT(*) FROM audit_log WHERE action = 'subscriber.delete'"
                      + " AND detail = 'bo@example.org'"))
          .isEqualTo(1);
    }
  }

  private static long idOf(Jdbi jdbi, String email) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id FROM subscribers WHERE email = :e")
                .bind("e", email)
                .mapTo(Long.class)
                .one());
  }

  @Test
  void theBounceCommandSuppressesAndLifts(@TempDir Path dir) throws Exception {
    String data = dir.resolve("data").toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(cli(out, err, "migrate", "--data-dir", data)).isZero();
    int code =
        cli(out, err, "bounce", "--data-dir", data, "--type", "complaint", "reader@example.org");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("reader@example.org: complaint recorded; no more mail");
    int bad = cli(out, err, "bounce", "--data-dir", data, "--type", "lost", "reader@example.org");
    assertThat(bad).isEqualTo(2);
    assertThat(err.toString()).contains("hard, soft or complaint");
    cli(out, err, "bounce", "--data-dir", data, "--lift", "reader@example.org");
    assertThat(out.toString()).contains("reader@example.org may be mailed again");
  }

  private static int cli(StringWriter out, StringWriter err, String... args) {
    return Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }
}
