package org.broadsheet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.broadsheet.comment.CommentText;
import org.broadsheet.support.WebAddress;

/**
 * A reader's comment text: cleaned, one-line fields have no line breaks or control characters, the
 * HTML shown has nothing script-capable, and a website is a link only when it is a web address.
 */
class CommentTextFuzzTest {

  @FuzzTest(maxDuration = "3s")
  void commentTextIsCleanedAndShownSafely(byte[] input) {
    String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    String line = CommentText.oneLine(text);
    assertThat(line).doesNotContain("\n", "\r", "\u0000");
    String clean = CommentText.clean(text);
    Safety.assertNoScript(CommentText.toHtml(clean));
    assertThat(CommentText.countLinks(clean)).isNotNegative();
    CommentText.initials(text);
    CommentText.colour(text);
    String web = WebAddress.orEmpty(text);
    assertThat(web.isEmpty() || web.matches("(?i)https?://\\S+")).as(web).isTrue();
  }
}
