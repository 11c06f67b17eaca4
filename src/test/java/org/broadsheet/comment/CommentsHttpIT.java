package org.broadsheet.comment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The comment form and API over real HTTP: what readers, bots and proxies see. */
class CommentsHttpIT {

  private static TestApp site;

  @BeforeAll
  static void start() {
    site =
        TestApp.start(
            Backend.SQLITE,
            false,
            Map.of(
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                "0",
                "BROADSHEET_TRUSTED_PROXIES",
                "127.0.0.1",
                "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE",
                "1000"));
  }

  @AfterAll
  static void stop() {
    site.close();
  }

  private Map<String, String> form(Article article, String name, String email, String body) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("article", Long.toString(article.id()));
    form.put("comment", body);
    form.put("name", name);
    form.put("email", email);
    form.put("url", "");
    form.put("altcha", site.solvedCheck("comment:" + article.id()));
    return form;
  }

  private static String cookie(HttpResponse<?> response) {
    return response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  @Test
  void emptyFormShowsBothMessagesAndKeepsWhatWasTyped() {
    Article article = site.article("Empty form");
    Map<String, String> form = form(article, "", "kept@example.org", "");
    form.put("url", "https://kept.example/page");
    HttpResponse<String> page = site.postForm("/comments", form);
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body())
        .contains(
            "Please enter your comment!",
            "Please enter your name here",
            "value=\"kept@example.org\"",
            "value=\"https://kept.example/page\"",
            "aria-invalid=\"true\"");
    assertThat(page.headers().firstValue("Cache-Control")).contains("private, no-store");
  }

  @Test
  void aPendingCommentIsShownToItsAuthorOnlyUntilApproved() {
    Article article = site.article("Pending visibility");
    HttpResponse<String> posted =
        site.postForm(
            "/comments",
            form(article, "Ada Lind", "ada.pending@example.org", "My first comment here."));
    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(posted.headers().firstValue("Location").orElseThrow())
        .contains(site.path(article))
        .contains("#comment-");
    String mine = cookie(posted);
    assertThat(posted.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly", "SameSite=Lax");

    HttpResponse<String> own = site.get(site.path(article), "Cookie", mine);
    assertThat(own.body())
        .contains("My first comment here.", "Your comment is awaiting moderation.");
    assertThat(own.headers().firstValue("Cache-Control")).contains("private, no-store");
    HttpResponse<String> anyone = site.get(site.path(article));
    assertThat(anyone.body()).doesNotContain("My first comment here.");
    assertThat(anyone.headers().allValues("Set-Cookie")).isEmpty();

    Comment pending =
        site.app().comments().queue(CommentStatus.PENDING, 50).stream()
            .filter(c -> c.body().equals("My first comment here."))
            .findFirst()
            .orElseThrow();
    site.app().comments().approve(pending.id());
    HttpResponse<String> after = site.get(site.path(article));
    assertThat(after.body())
        .contains("My first comment here.", "1 comment")
        .doesNotContain("awaiting moderation");
    assertThat(site.get("/section/news").body())
        .contains(site.path(article) + "#comments\">1 comment</a>");
  }

  @Test
  void payloadsInEveryFieldAreStoredAsTextAndRenderedEscaped() {
    Article article = site.article("Payloads");
    site.app().comments().block("word", "zzz-never", null);
    Map<String, String> form =
        form(
            article,
            "<script>alert(1)</script>\r\nBcc: victim@example.org",
            "payload@example.org",
            "<img src=x onerror=alert(2)> and javascript:alert(3) \u202Eevil\u202C https://ok.example/x?a=1&b=<2>");
    form.put("url", "javascript:alert(4)");
    HttpResponse<String> refused = site.postForm("/comments", form);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("must start with http:// or https://")
        .doesNotContain("<script>alert(1)</script>")
        .doesNotContain("<img src=x");
    form.put("url", "https://example.org/\"onmouseover=alert(5)");
    assertThat(site.postForm("/comments", form).statusCode())
        .as("quotes in a website address")
        .isEqualTo(400);
    form.put("url", "https://example.org/page?a=1&b=2");
    form.put("altcha", site.solvedCheck("comment:" + article.id()));
    HttpResponse<String> posted = site.postForm("/comments", form);
    assertThat(posted.statusCode()).isEqualTo(303);
    Comment stored =
        site.app().comments().queue(CommentStatus.PENDING, 50).stream()
            .filter(c -> c.authorEmail().equals("payload@example.org"))
            .findFirst()
            .orElseThrow();
    assertThat(stored.authorName()).doesNotContain("\r").doesNotContain("\n");
    assertThat(stored.body()).doesNotContain("\u202E");
    site.app().comments().approve(stored.id());
    String html = site.get(site.path(article)).body();
    assertThat(html)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; Bcc: victim@example.org")
        .contains("&lt;img src=x onerror=alert(2)&gt;")
        .doesNotContain("<img src=x")
        .doesNotContain("<script>alert")
        .contains("rel=\"nofollow ugc noopener\"")
        .doesNotContain("href=\"javascript:");
  }

  @Test
  void theJsonApiFollowsTheSameRules() {
    Article article = site.article("JSON API");
    Map<String, String> form = form(article, "", "json@example.org", "");
    HttpResponse<String> invalid =
        site.postForm(
            "/api/articles/" + article.id() + "/comments", form, "Accept", "application/json");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body())
        .contains(
            "Please enter your comment!", "Please enter your name here", "\"code\":\"invalid\"");
    Map<String, String> good = form(article, "Jay", "json@example.org", "Posted through the API.");
    HttpResponse<String> created =
        site.postForm("/api/articles/" + article.id() + "/comments", good);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body())
        .contains("\"status\":\"pending\"", "awaiting moderation", "comment-pending");
    HttpResponse<String> replay =
        site.postForm(
            "/api/articles/" + article.id() + "/comments",
            Map.of(
                "comment",
                "Another",
                "name",
                "Jay",
                "email",
                "json2@example.org",
                "altcha",
                good.get("altcha")));
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).contains("already-used", "already used");
    HttpResponse<String> mine =
        site.get("/api/articles/" + article.id() + "/comments/mine", "Cookie", cookie(created));
    assertThat(mine.body()).contains("Posted through the API.");
    assertThat(site.get("/api/articles/" + article.id() + "/comments/mine").body())
        .doesNotContain("Posted through");
    HttpResponse<String> list = site.get("/api/articles/" + article.id() + "/comments");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("\"comments\":[]");
    assertThat(site.postForm("/api/articles/999999/comments", good).statusCode()).isEqualTo(404);
  }

  @Test
  void aBotWithoutTheCheckIsHeldAndAForeignOriginIsRefused() {
    Article article = site.article("Bots");
    Map<String, String> bot = form(article, "Bot", "bot@example.org", "Buy things");
    bot.remove("altcha");
    HttpResponse<String> held = site.postForm("/api/articles/" + article.id() + "/comments", bot);
    assertThat(held.statusCode()).isEqualTo(201);
    assertThat(held.body()).contains("\"status\":\"pending\"");
    Map<String, String> forged = form(article, "Bot", "bot2@example.org", "Forged check");
    forged.put("altcha", "eyJmYWtlIjp0cnVlfQ==");
    HttpResponse<String> refused =
        site.postForm("/api/articles/" + article.id() + "/comments", forged);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("malformed");
    HttpResponse<String> crossSite =
        site.postForm(
            "/comments",
            form(article, "X", "x@example.org", "From elsewhere"),
            "Origin",
            "https://evil.example");
    assertThat(crossSite.statusCode()).isEqualTo(403);
  }

  @Test
  void closedThreadsAndUnknownArticlesAnswerClearly() {
    Article article = site.article("Closed thread");
    site.app().comments().closeComments(article.id(), true);
    HttpResponse<String> closed =
        site.postForm("/comments", form(article, "Cl", "closed@example.org", "Too late"));
    assertThat(closed.statusCode()).isEqualTo(403);
    assertThat(closed.body())
        .contains("Comments are closed on this article.", "Too late</textarea>");
    assertThat(site.get(site.path(article)).body())
        .contains("Comments are closed on this article.")
        .doesNotContain("id=\"respond\"");
    Map<String, String> unknown = form(article, "U", "u@example.org", "Where?");
    unknown.put("article", "987654");
    assertThat(site.postForm("/comments", unknown).statusCode()).isEqualTo(404);
    unknown.put("article", "abc");
    assertThat(site.postForm("/comments", unknown).statusCode()).isEqualTo(404);
  }

  @Test
  void hugeBodiesAreRefusedWithoutAStackTrace() {
    Article article = site.article("Huge");
    Map<String, String> form = form(article, "Big", "big@example.org", "x".repeat(1_100_000));
    HttpResponse<String> response = site.postForm("/comments", form);
    assertThat(response.statusCode()).isIn(400, 413);
    assertThat(response.body()).doesNotContain("Exception", "at org.");
    Map<String, String> long11k = form(article, "Long", "long@example.org", "y".repeat(10_001));
    HttpResponse<String> tooLong = site.postForm("/comments", long11k);
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("the limit is 10000");
  }

  @Test
  void rateLimitsUseTheForwardedAddressOnlyFromTrustedProxies() {
    assertThat(
            org.broadsheet.support.IpAddresses.clientAddress(
                "127.0.0.1",
                "198.51.100.7, 127.0.0.1",
                java.util.List.of(
                    org.broadsheet.support.IpAddresses.range("127.0.0.1").orElseThrow())))
        .isEqualTo("198.51.100.7");
    assertThat(
            org.broadsheet.support.IpAddresses.clientAddress(
                "203.0.113.9",
                "198.51.100.7",
                java.util.List.of(
                    org.broadsheet.support.IpAddresses.range("127.0.0.1").orElseThrow())))
        .isEqualTo("203.0.113.9");
    Article article = site.article("Forwarded");
    HttpResponse<String> posted =
        site.postForm(
            "/comments",
            form(article, "Fw", "fw@example.org", "Through a proxy"),
            "X-Forwarded-For",
            "198.51.100.23");
    assertThat(posted.statusCode()).isEqualTo(303);
    Comment stored = site.app().comments().exportByEmail("fw@example.org").getFirst();
    assertThat(stored.ip()).isEqualTo("198.51.100.23");
  }

  @Test
  void invalidUtf8IsCleanedNotStoredAsGarbage() throws Exception {
    Article article = site.article("Invalid UTF-8");
    String answer =
        java.net.URLEncoder.encode(
            site.solvedCheck("comment:" + article.id()), java.nio.charset.StandardCharsets.UTF_8);
    byte[] prefix =
        ("article="
                + article.id()
                + "&name=Bytes&email=bytes%40example.org&altcha="
                + answer
                + "&comment=")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] broken = {
      'o', 'k', ' ', (byte) 0xFF, (byte) 0xFE, ' ', 'e', 'n', 'd', ' ', '%', 'C', '3', '%', '2', '8'
    };
    byte[] body = new byte[prefix.length + broken.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    System.arraycopy(broken, 0, body, prefix.length, broken.length);
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(site.url("/comments")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isIn(303, 400);
    if (response.statusCode() == 303) {
      Comment stored = site.app().comments().exportByEmail("bytes@example.org").getFirst();
      assertThat(stored.body()).startsWith("ok").endsWith("(").doesNotContain("\uFFFD");
    } else {
      assertThat(response.body()).doesNotContain("Exception");
    }
  }
}
