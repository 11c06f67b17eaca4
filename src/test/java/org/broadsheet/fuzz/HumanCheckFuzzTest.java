package org.broadsheet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.broadsheet.captcha.HumanCheckResult;

/** Whatever a form sends as the human check's answer: a verdict, never a fault, never a pass. */
class HumanCheckFuzzTest {

  @FuzzTest(maxDuration = "3s")
  void anyAnswerGetsAVerdict(byte[] input) {
    String answer = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    HumanCheckResult result = FuzzSite.get().proofOfWork().verify(answer, "comment:1", "192.0.2.1");
    assertThat(result.isPassed()).as("a forged answer passed: %s", answer).isFalse();
  }
}
