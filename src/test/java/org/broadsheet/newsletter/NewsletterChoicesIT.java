package org.broadsheet.newsletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.broadsheet.account.Actor;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.Mailbox;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several newsletters, the preferences page, the editable welcome mail and the per-network limit
 * under a flood, through a real SMTP server (GreenMail).
 */
class NewsletterChoicesIT {

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

  private static final Pattern LINK =
      Pattern.compile(
          "https://news\\.example\\.org(/newsletter/[a-z]+\\?token=[A-Za-z0-9_.%=:-]+)");

  private static TestApp start() {
    return TestApp.start(Backend.SQLITE, true, TestApp.greenMail());
  }

  private static List<MimeMessage> mails(TestApp site, int count) throws Exception {
    return Mailbox.atLeast(site, SMTP, count);
  }

  private static String link(MimeMessage mail, String kind) {
    Matcher m = LINK.matcher(GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "="));
    while (m.find()) {
      if (m.group(1).startsWith("/newsletter/" + kind)) {
        return m.group(1);
      }
    }
    throw new AssertionError("no " + kind + " link in " + GreenMailUtil.getBody(mail));
  }

  private static String token(String path) {
    return URLDecoder.decode(path.substring(path.indexOf("token=") + 6), StandardCharsets.UTF_8);
  }

  /** Signs up through the form and confirms through the mailed link; returns the welcome mail. */
  private static MimeMessage signUpAndConfirm(
      TestApp site, String email, List<String> newsletters, String frequency, List<String> sections)
      throws Exception {
    int before = SMTP.getReceivedMessages().length;
    Browserless reader = new Browserless(site.url(""));
    java.util.LinkedHashMap<String, Object> form = new java.util.LinkedHashMap<>();
    form.put("email", email);
    form.put("name", "Reader");
    form.put("frequency", frequency);
    form.put("newsletter", newsletters);
    form.put("section", sections);
    form.put("altcha", site.solvedCheck("subscribe"));
    HttpResponse<String> answer = reader.post("/subscribe", form);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    MimeMessage confirmation = mails(site, before + 1).get(before);
    String confirm = link(confirmation, "confirm");
    assertThat(reader.post("/newsletter/confirm", Map.of("token", token(confirm))).statusCode())
        .isEqualTo(200);
    return mails(site, before + 2).get(before + 1);
  }

  private static Article publish(TestApp site, String section, String headline, List<String> tags) {
    return site.app()
        .articles()
        .create(
            new ArticleDraft(
                "",
                section,
                headline,
                "A deck for " + headline,
                "Body.",
                ArticleStatus.PUBLISHED,
                null,
                List.of("ines-varga"),
                tags,
                null));
  }

  private static List<String> recipientsOf(List<MimeMessage> mails, String subject)
      throws Exception {
    List<String> to = new ArrayList<>();
    for (MimeMessage m : mails) {
      if (m.getSubject().equals(subject)) {
        to.add(m.getAllRecipients()[0].toString());
      }
    }
    Collections.sort(to);
    return to;
  }

  @Test
  void readersChooseNewslettersFrequencyAndSectionsAndChangeThemLater() throws Exception {
    try (TestApp site = start()) {
      Newsletters newsletters = site.app().subscriptions().newsletters();
      Newsletter breaking =
          newsletters.create(
              "Breaking", "", "Big news at once.", "breaking", "each", Actor.system("test"));
      Newsletter morning =
          newsletters.create("Morning briefing", "", "", "", "daily", Actor.system("test"));
      long news = newsletters.all().getFirst().id();
      assertThat(site.get("/subscribe").body())
          .contains("Breaking", "Morning briefing", "a daily digest", "name=\"section\"");

      signUpAndConfirm(
          site, "breaking@example.org", List.of("" + breaking.id()), "weekly", List.of());
      MimeMessage welcome =
          signUpAndConfirm(
              site, "everything@example.org", List.of("" + news), "each", List.of("city"));
      signUpAndConfirm(site, "briefing@example.org", List.of("" + morning.id()), "each", List.of());
      SMTP.purgeEmailFromAllMailboxes();

      publish(site, "sport", "Cup final decided on penalties", List.of("breaking"));
      publish(site, "city", "Library opens on Sundays", List.of());
      List<MimeMessage> got = Mailbox.settled(site, SMTP);
      assertThat(recipientsOf(got, "Cup final decided on penalties"))
          .as("Breaking carries tagged articles at once, whatever the reader's own pace")
          .containsExactly("breaking@example.org");
      assertThat(recipientsOf(got, "Library opens on Sundays"))
          .as("the city reader of The news; the daily briefing waits for its digest")
          .containsExactly("everything@example.org");
      MimeMessage cup =
          got.stream().filter(m -> subject(m).startsWith("Cup")).findFirst().orElseThrow();
      assertThat(GreenMailUtil.getBody(cup)).contains("Breaking", "/newsletter/preferences?token=");

      // The city reader changes their mind: Breaking too, every section.
      String prefs = link(welcome, "preferences");
      Browserless reader = new Browserless(site.url(""));
      HttpResponse<String> page = reader.get(prefs);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("everything@example.org", "Save my choices");
      HttpResponse<String> none =
          reader.post(
              "/newsletter/preferences",
              Map.of("token", token(prefs), "frequency", "each", "newsletter", List.of()));
      assertThat(none.statusCode()).isEqualTo(422);
      assertThat(none.body()).contains("Choose at least one newsletter");
      HttpResponse<String> saved =
          reader.post(
              "/newsletter/preferences",
              Map.of(
                  "token",
                  token(prefs),
                  "frequency",
                  "daily",
                  "newsletter",
                  List.of("" + news, "" + breaking.id())));
      assertThat(saved.statusCode()).isEqualTo(200);
      assertThat(saved.body()).contains("Your choices are saved");
      Subscriber s = site.app().subscriptions().byEmail("everything@example.org").orElseThrow();
      Subscriptions.Choices choices = site.app().subscriptions().choicesOf(s.id());
      assertThat(choices.newsletters()).containsExactlyInAnyOrder(news, breaking.id());
      assertThat(choices.frequency()).isEqualTo("daily");
      assertThat(choices.sections()).isEmpty();

      SMTP.purgeEmailFromAllMailboxes();
      publish(site, "culture", "Festival adds a second stage", List.of("breaking"));
      publish(site, "culture", "Quiet week at the galleries", List.of());
      got = Mailbox.settled(site, SMTP);
      assertThat(recipientsOf(got, "Festival adds a second stage"))
          .containsExactly("breaking@example.org", "everything@example.org");
      assertThat(recipientsOf(got, "Quiet week at the galleries"))
          .as("The news now comes daily to that reader")
          .isEmpty();

      // Forged and mangled preference links.
      assertThat(reader.get("/newsletter/preferences?token=prefs%3A1.forged").statusCode())
          .isEqualTo(400);
      assertThat(
              reader
                  .post("/newsletter/preferences", Map.of("token", "x", "newsletter", "" + news))
                  .statusCode())
          .isEqualTo(400);
      // After unsubscribing, the preferences page says so instead of offering choices.
      reader.post(link(welcome, "unsubscribe"), Map.of("List-Unsubscribe", "One-Click"));
      assertThat(reader.get(prefs).body()).contains("You are not subscribed");
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theWelcomeMailIsTheNewsroomsOwnText() throws Exception {
    try (TestApp site = start()) {
      // As saved by the newsroom's form (NewsletterAdminIT covers the form itself).
      site.app().settings().put(Subscriptions.WELCOME_SUBJECT, "Вітаємо у {site}");
      site.app()
          .settings()
          .put(
              Subscriptions.WELCOME_BODY,
              "Привіт, {name}!\n\nДякуємо за підписку на {site}.\n\nЗ повагою, редакція.");
      MimeMessage welcome =
          signUpAndConfirm(site, "olena@example.org", List.of(), "each", List.of());
      String title = site.app().settings().get("site.title", "");
      assertThat(welcome.getSubject()).isEqualTo("Вітаємо у " + title);
      String body = GreenMailUtil.getBody(welcome);
      assertThat(welcome.getContentType()).startsWith("multipart/alternative");
      var text =
          ((jakarta.mail.internet.MimeMultipart) welcome.getContent()).getBodyPart(0).getContent();
      assertThat(text.toString())
          .contains("Привіт, Reader!", "Дякуємо за підписку на " + title)
          .contains("/newsletter/preferences?token=", "/newsletter/unsubscribe?token=");
      assertThat(body).doesNotContain("{site}");
    }
  }

  @Test
  void tenThousandSignUpsFromOneNetworkSendAtMostTheLimit() throws Exception {
    try (TestApp site = start()) {
      Subscriptions subscriptions = site.app().subscriptions();
      int accepted = 0;
      int limited = 0;
      for (int i = 0; i < 10_000; i++) {
        try {
          subscriptions.subscribe(
              "flood" + i + "@example.org",
              "",
              new Subscriptions.Choices(List.of(), "each", List.of()),
              "203.0.113.0/24");
          accepted++;
        } catch (Subscriptions.RateLimited e) {
          limited++;
        }
      }
      assertThat(accepted).isEqualTo(Subscriptions.SIGNUPS_PER_NETWORK_PER_HOUR);
      assertThat(limited).isEqualTo(10_000 - Subscriptions.SIGNUPS_PER_NETWORK_PER_HOUR);
      Integer rows =
          site.app()
              .database()
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT COUNT(*) FROM subscribers").mapTo(Integer.class).one());
      assertThat(rows).isEqualTo(Subscriptions.SIGNUPS_PER_NETWORK_PER_HOUR);
      // Another network is not affected.
      subscriptions.subscribe(
          "neighbour@example.org",
          "",
          new Subscriptions.Choices(List.of(), "each", List.of()),
          "198.51.100.0/24");
      assertThatThrownBy(
              () ->
                  subscriptions.subscribe(
                      "x@example.org",
                      "",
                      new Subscriptions.Choices(List.of(999L), "each", List.of()),
                      "198.51.100.0/24"))
          .hasMessageContaining("no longer offered");
    }
  }
}
