package org.broadsheet.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A campaign body's placeholders are filled with each reader's values, escaped in HTML. */
class OutboxFillTest {

  @Test
  void valuesAreEscapedInHtmlAndLeftAsTheyAreInText() {
    String body =
        "<p>You get this as part of "
            + Outbox.placeholder("newsletters")
            + ". <a href=\""
            + Outbox.placeholder("unsubscribe")
            + "\">Unsubscribe</a></p>";
    Map<String, String> vars =
        Map.of(
            "newsletters", "News & Views <b>",
            "unsubscribe", "https://news.example.org/newsletter/unsubscribe?token=a\"b");
    assertThat(Outbox.fill(body, vars, true))
        .isEqualTo(
            "<p>You get this as part of News &amp; Views &lt;b&gt;. <a href=\""
                + "https://news.example.org/newsletter/unsubscribe?token=a&quot;b\">Unsubscribe</a></p>");
    assertThat(Outbox.fill(Outbox.placeholder("newsletters") + "!", vars, false))
        .isEqualTo("News & Views <b>!");
  }

  @Test
  void unknownPlaceholdersAndOddBracesStayAsTheyAre() {
    assertThat(Outbox.fill("{{bs:other}} and {{bs:open", Map.of("x", "y"), true))
        .isEqualTo("{{bs:other}} and {{bs:open");
    assertThat(Outbox.fill("no placeholders", Map.of(), false)).isEqualTo("no placeholders");
  }
}
