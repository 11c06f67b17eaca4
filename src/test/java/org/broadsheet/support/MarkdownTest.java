package org.broadsheet.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownTest {

  private final Markdown markdown = new Markdown("https://news.example.org");

  @Test
  void rendersTheUsualNewsFormatting() {
    String html =
        markdown.toSafeHtml(
            "A *first* paragraph.\n\n## Subhead\n\n> A quote\n\n- one\n- two\n\n[link](https://example.org/x)");
    assertThat(html)
        .contains(
            "<em>first</em>",
            "<h2>Subhead</h2>",
            "<blockquote>",
            "<li>one</li>",
            "<a href=\"https://example.org/x\" rel=\"noopener\">link</a>");
  }

  @Test
  void readersGetTypographersQuotesAndDashesButCodeStaysAsTyped() {
    String html =
        markdown.toSafeHtml(
            "\"We're back,\" she said -- it's 'official' --- at last.\n\nRun `echo \"hi\" --x`.");
    assertThat(html)
        .contains("“We’re back,” she said – it’s ‘official’ — at last.")
        .contains("<code>echo \"hi\" --x</code>");
  }

  @Test
  void aQuotationMarkedPullIsAPullQuote() {
    String html =
        markdown.toSafeHtml("> [!pull]\n> The harbour is ours again.\n\n> An ordinary quote.");
    assertThat(html)
        .contains("<blockquote class=\"pull-quote\">")
        .contains("The harbour is ours again.")
        .doesNotContain("[!pull]")
        .contains("<blockquote>\n<p>An ordinary quote.</p>");
  }

  @Test
  void removesScriptsHandlersAndDangerousLinks() {
    String html =
        markdown.toSafeHtml(
            """
        <script>alert(1)</script>
        <img src=x onerror="alert(2)">
        <p onclick="alert(3)">hi</p>

        [click](javascript:alert(4)) and [also](JaVaScRiPt:alert(6))

        <iframe src="https://evil.example"></iframe>
        <a href="data:text/html,<script>alert(5)</script>">data</a>
        """);
    assertThat(html)
        .doesNotContainIgnoringCase("<script")
        .doesNotContainIgnoringCase("onerror")
        .doesNotContainIgnoringCase("onclick")
        .doesNotContainIgnoringCase("href=\"javascript:")
        .doesNotContainIgnoringCase("<iframe")
        .doesNotContainIgnoringCase("data:text")
        .doesNotContainIgnoringCase("<img");
  }

  @Test
  void keepsNonLatinTextIntact() {
    assertThat(markdown.toSafeHtml("Зима близько — «Київ»")).contains("Зима близько — «Київ»");
  }
}
