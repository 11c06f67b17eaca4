package org.broadsheet.newsletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Mailbox;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sign-up, double opt-in and one-click unsubscribe through a real SMTP server (GreenMail). */
class NewsletterIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  private static final Pattern LINK =
      Pattern.compile(
          "https://news\\.example\\.org(/newsletter/[a-z]+\\?token=[A-Za-z0-9_.%=:-]+)");

  private static TestApp start(MutableClock clock) {
    return TestApp.start(Backend.SQLITE, true, TestApp.greenMail(), clock);
  }

  private static HttpResponse<String> subscribe(TestApp site, String email) {
    return site.postForm(
        "/subscribe",
        Map.of(
            "email",
            email,
            "name",
            "Ola",
            "frequency",
            "daily",
            "section",
            "",
            "altcha",
            site.solvedCheck("subscribe")),
        "Origin",
        site.url(""));
  }

  private static MimeMessage waitForMail(TestApp site, int count) throws Exception {
    return Mailbox.nth(site, SMTP, count);
  }

  private static String link(MimeMessage mail) {
    Matcher m = LINK.matcher(GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "="));
    assertThat(m.find()).as(GreenMailUtil.getBody(mail)).isTrue();
    return m.group(1);
  }

  private static String status(TestApp site, String email) {
    String sql =
        email == null
            ? "SELECT status FROM subscribers ORDER BY id LIMIT 1"
            : "SELECT status FROM subscribers WHERE email = '" + email.replace("'", "") + "'";
    return site.app()
        .database()
        .jdbi()
        .withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
  }

  private static String token(String path) {
    return URLDecoder.decode(path.substring(path.indexOf("token=") + 6), StandardCharsets.UTF_8);
  }

  @Test
  void doubleOptInWelcomeAndOneClickUnsubscribe() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestApp site = start(clock)) {
      HttpResponse<String> answer = subscribe(site, "Ola@Example.org");
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("Check your inbox");
      assertThat(answer.headers().firstValue("Cache-Control")).contains("private, no-store");

      MimeMessage confirmation = waitForMail(site, 1);
      assertThat(confirmation.getSubject()).contains("Confirm your subscription");
      String confirmPath = link(confirmation);
      // Following the link (as a mail scanner would) confirms nobody.
      HttpResponse<String> page = site.get(confirmPath);
      assertThat(page.body()).contains("Confirm my subscription");
      assertThat(status(site, null)).isEqualTo("pending");
      HttpResponse<String> confirmed =
          site.postForm(
              "/newsletter/confirm", Map.of("token", token(confirmPath)), "Origin", site.url(""));
      assertThat(confirmed.body()).contains("You are subscribed");

      MimeMessage welcome = waitForMail(site, 2);
      assertThat(welcome.getSubject()).contains("Welcome to");
      String listUnsubscribe = welcome.getHeader("List-Unsubscribe")[0];
      assertThat(welcome.getHeader("List-Unsubscribe-Post")[0])
          .isEqualTo("List-Unsubscribe=One-Click");
      assertThat(listUnsubscribe)
          .startsWith("<https://news.example.org/newsletter/unsubscribe?token=");
      String unsubscribePath =
          listUnsubscribe.substring(
              "<https://news.example.org".length(), listUnsubscribe.length() - 1);

      // RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click to that address, without a
      // browser.
      HttpResponse<String> oneClick =
          site.postForm(unsubscribePath, Map.of("List-Unsubscribe", "One-Click"));
      assertThat(oneClick.statusCode()).isEqualTo(200);
      assertThat(oneClick.body()).contains("You are unsubscribed");
      assertThat(
              site.postForm(unsubscribePath, Map.of("List-Unsubscribe", "One-Click")).statusCode())
          .as("repeating is harmless")
          .isEqualTo(200);
      assertThat(site.get(unsubscribePath).body()).contains("You are unsubscribed");
      assertThat(status(site, null)).isEqualTo("unsubscribed");
    }
  }

  @Test
  void badInputGetsClearErrorsAndNothingGoesToUnconfirmedAddresses() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestApp site = start(clock)) {
      for (String bad :
          new String[] {
            "not an address",
            "a@b.c\r\nBcc: victim@example.org",
            "one@example.org, two@example.org",
            "<a@example.org>",
            "ünï@example.org"
          }) {
        HttpResponse<String> r = subscribe(site, bad);
        assertThat(r.statusCode()).as(bad).isEqualTo(422);
        assertThat(r.body()).contains("Enter one email address");
      }
      HttpResponse<String> noCheck =
          site.postForm("/subscribe", Map.of("email", "x@example.org"), "Origin", site.url(""));
      assertThat(noCheck.statusCode()).isEqualTo(422);
      assertThat(noCheck.body()).contains("automatic check");

      // The same answer for a known, confirmed address; at most three confirmation mails a day.
      for (int i = 0; i < 5; i++) {
        assertThat(subscribe(site, "repeat@example.org").body()).contains("Check your inbox");
      }
      assertThat(Mailbox.settled(site, SMTP)).hasSize(3);

      String path = link(SMTP.getReceivedMessages()[0]);
      assertThat(site.get(path.replace("token=", "token=forged")).statusCode()).isEqualTo(400);
      clock.advance(Duration.ofDays(3));
      HttpResponse<String> expired = site.get(path);
      assertThat(expired.statusCode()).isEqualTo(410);
      assertThat(expired.body()).contains("expired", "Sign up again");
      assertThat(
              site.postForm(
                      "/newsletter/confirm", Map.of("token", token(path)), "Origin", site.url(""))
                  .body())
          .contains("expired");
      assertThat(status(site, "repeat@example.org")).isEqualTo("pending");
      assertThat(site.get("/newsletter/unsubscribe?token=nonsense").statusCode()).isEqualTo(400);

      // One network signing up thousands of addresses is stopped after 20 an hour.
      int refused = 0;
      for (int i = 0; i < 30; i++) {
        if (subscribe(site, "bulk" + i + "@example.org").statusCode() == 429) {
          refused++;
        }
      }
      assertThat(refused).isGreaterThanOrEqualTo(10);
    }
  }
}
