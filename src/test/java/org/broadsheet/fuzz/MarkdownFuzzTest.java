package org.broadsheet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.broadsheet.support.Markdown;

/** The Markdown an editor writes becomes HTML with nothing script-capable, whatever it holds. */
class MarkdownFuzzTest {

  private static final Markdown MARKDOWN = new Markdown("https://news.example.org");

  @FuzzTest(maxDuration = "3s")
  void markdownBecomesSafeHtml(byte[] input) {
    String markdown = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    Safety.assertNoScript(MARKDOWN.toSafeHtml(markdown));
  }
}
