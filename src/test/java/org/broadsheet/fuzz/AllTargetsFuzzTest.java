package org.broadsheet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * All fuzz targets behind one entry, so the build fuzzes them all in one JVM (Jazzer fuzzes one
 * test per JVM, and starting one costs more than a few seconds of fuzzing): the first byte picks
 * the target, the rest is its input. Its saved inputs are every target's, each with its byte in
 * front. {@code bench/fuzz.sh} runs the same entry for as long as asked.
 */
public class AllTargetsFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void everyTarget(byte[] input) throws Exception {
    run(input);
  }

  /** The entry for the command-line fuzzer (bench/fuzz.sh). */
  public static void fuzzerTestOneInput(byte[] input) throws Exception {
    run(input);
  }

  static void run(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    switch (Math.floorMod(input[0], 7)) {
      case 0 -> new MarkdownFuzzTest().markdownBecomesSafeHtml(rest);
      case 1 -> new CommentTextFuzzTest().commentTextIsCleanedAndShownSafely(rest);
      case 2 -> new PathsFuzzTest().pathsAndHeadersParseToSafeShapes(rest);
      case 3 -> new SearchQueryFuzzTest().anyQueryGetsAnAnswer(rest);
      case 4 -> new HumanCheckFuzzTest().anyAnswerGetsAVerdict(rest);
      case 5 -> new WxrReaderFuzzTest().anyFileIsReadOrRefusedClearly(rest);
      default -> new ArchiveFuzzTest().anyArchiveIsRestoredOrRefusedClearly(rest);
    }
  }
}
