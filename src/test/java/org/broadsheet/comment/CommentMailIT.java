package org.broadsheet.comment;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Comment notifications through the outbox to a real SMTP server (GreenMail). */
class CommentMailIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  private TestApp site;

  @BeforeEach
  void start() {
    site =
        TestApp.start(
            Backend.SQLITE,
            false,
            Map.of(
                "BROADSHEET_SMTP_HOST", "127.0.0.1",
                "BROADSHEET_SMTP_PORT", Integer.toString(ServerSetupTest.SMTP.getPort()),
                "BROADSHEET_SMTP_SECURITY", "none",
                "BROADSHEET_MAIL_FROM", "newsroom@halden.example",
                "BROADSHEET_MODERATOR_EMAILS", "moderator@halden.example",
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"));
  }

  @AfterEach
  void stop() {
    site.close();
  }

  private Comment post(
      Article article, Long parent, String name, String email, String body, boolean notify) {
    CommentSubmission submission =
        new CommentSubmission(
            article.id(),
            parent,
            name,
            email,
            "",
            body,
            notify,
            site.solvedCheck("comment:" + article.id()),
            "",
            "192.0.2.5",
            "JUnit",
            java.time.Instant.now().plusSeconds(30));
    return site.app().comments().submit(submission);
  }

  private static List<String> headerNames(MimeMessage message) throws Exception {
    return Collections.list(message.getAllHeaders()).stream().map(h -> h.getName()).toList();
  }

  @Test
  void moderatorsAuthorsAndRepliedCommentersAreToldWithoutHeaderInjection() throws Exception {
    Article article = site.article("Mail about comments");
    site.app()
        .database()
        .jdbi()
        .useHandle(h -> h.execute("UPDATE authors SET email = 'rita@halden.example'"));

    Comment held =
        post(
            article,
            null,
            "Eve\r\nBcc: victim@example.org",
            "eve@example.org",
            "Held for moderation.\r\nTo: another@example.org",
            true);
    assertThat(held.status()).isEqualTo(CommentStatus.PENDING);
    assertThat(held.notifyReplies()).as("not before the address confirms").isFalse();
    site.app().outbox().deliverDue();
    MimeMessage[] received = SMTP.getReceivedMessages();
    assertThat(received).hasSize(2);
    MimeMessage toModerator = to(received, "moderator@halden.example");
    MimeMessage confirm = to(received, "eve@example.org");
    assertThat(confirm.getSubject())
        .isEqualTo("Confirm emails about replies on Mail about comments");
    String confirmLink =
        ((String) confirm.getContent())
            .lines()
            .filter(l -> l.contains("/comments/notify?token="))
            .findFirst()
            .orElseThrow()
            .strip();
    String confirmPath = confirmLink.substring(confirmLink.indexOf("/comments/notify"));
    assertThat(site.get(confirmPath).body()).contains("Email me about replies?");
    assertThat(site.app().comments().find(held.id()).orElseThrow().notifyReplies())
        .as("a GET changes nothing")
        .isFalse();
    String confirmToken =
        java.net.URLDecoder.decode(
            confirmPath.substring(confirmPath.indexOf("token=") + 6),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(site.postForm("/comments/notify", Map.of("token", confirmToken)).statusCode())
        .isEqualTo(200);
    assertThat(site.app().comments().find(held.id()).orElseThrow().notifyReplies()).isTrue();
    assertThat(site.postForm("/comments/notify", Map.of("token", confirmToken + "x")).statusCode())
        .isEqualTo(400);
    assertThat(toModerator.getAllRecipients())
        .extracting(Object::toString)
        .containsExactly("moderator@halden.example");
    assertThat(toModerator.getSubject())
        .isEqualTo("Comment awaiting moderation: Mail about comments");
    assertThat(headerNames(toModerator))
        .doesNotContain("Bcc")
        .filteredOn(n -> n.equals("To"))
        .hasSize(1);
    String text = (String) toModerator.getContent();
    assertThat(text)
        .contains(
            "Eve Bcc: victim@example.org",
            "first comment from this commenter",
            "Held for moderation.");
    assertThat(toModerator.getHeader("Message-ID")[0]).endsWith("@127.0.0.1>");

    site.app().comments().approve(held.id());
    site.app().outbox().deliverDue();
    received = SMTP.getReceivedMessages();
    assertThat(received).hasSize(3);
    assertThat(to(received, "rita@halden.example").getSubject())
        .isEqualTo("New comment on Mail about comments");

    Comment reply =
        post(article, held.id(), "Бо Відповідь", "bo@example.org", "Відповідь українською.", false);
    site.app().comments().approve(reply.id());
    site.app().outbox().deliverDue();
    received = SMTP.getReceivedMessages();
    MimeMessage toEve =
        Arrays.stream(received)
            .filter(m -> recipient(m).equals("eve@example.org"))
            .filter(m -> !m.equals(confirm))
            .findFirst()
            .orElseThrow();
    assertThat(toEve.getSubject())
        .isEqualTo("Бо Відповідь replied to your comment on Mail about comments");
    assertThat(toEve.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
    String unsubscribe = toEve.getHeader("List-Unsubscribe")[0].replaceAll("[<>]", "");
    assertThat((String) toEve.getContent()).contains("Відповідь українською.", unsubscribe);

    String path = unsubscribe.substring(unsubscribe.indexOf("/comments/unsubscribe"));
    HttpResponse<String> page = site.get(path);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<form method=\"post\"");
    assertThat(site.app().comments().find(held.id()).orElseThrow().notifyReplies())
        .as("a GET changes nothing")
        .isTrue();
    String token =
        java.net.URLDecoder.decode(
            path.substring(path.indexOf("token=") + 6), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(site.postForm("/comments/unsubscribe", Map.of("token", token)).statusCode())
        .isEqualTo(200);
    assertThat(site.postForm("/comments/unsubscribe", Map.of("token", token)).statusCode())
        .as("repeating is harmless")
        .isEqualTo(200);
    assertThat(site.app().comments().find(held.id()).orElseThrow().notifyReplies()).isFalse();
    assertThat(site.postForm("/comments/unsubscribe", Map.of("token", token + "x")).statusCode())
        .isEqualTo(400);
  }

  private static String recipient(MimeMessage m) {
    try {
      return m.getRecipients(Message.RecipientType.TO)[0].toString();
    } catch (Exception e) {
      return "";
    }
  }

  private static MimeMessage to(MimeMessage[] received, String address) {
    return Arrays.stream(received)
        .filter(m -> recipient(m).equals(address))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mail to " + address));
  }
}
