package org.broadsheet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.broadsheet.importer.WxrReader;

/**
 * A WordPress export file, whatever its bytes: read in full or refused with the documented {@link
 * WxrReader.WxrException} that says why; never an other fault, never an entity expanded.
 */
class WxrReaderFuzzTest {

  private static final Path FILE;

  static {
    try {
      FILE = Files.createTempFile("wxr-fuzz-", ".xml");
      FILE.toFile().deleteOnExit();
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "3s")
  void anyFileIsReadOrRefusedClearly(byte[] bytes) throws Exception {
    Files.write(FILE, bytes);
    try {
      new WxrReader(1 << 20).read(FILE, item -> {});
    } catch (WxrReader.WxrException refused) {
      // the documented refusal, with its message for the editor
    }
  }
}
