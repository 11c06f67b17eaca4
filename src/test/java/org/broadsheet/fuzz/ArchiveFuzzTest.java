package org.broadsheet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.broadsheet.importer.Archive;

/**
 * Any file offered as a site archive: restored, or refused with the documented errors (a damaged or
 * hostile archive, a site that is not empty); never another fault, never a file outside the media
 * folder.
 */
class ArchiveFuzzTest {

  @FuzzTest(maxDuration = "3s")
  void anyArchiveIsRestoredOrRefusedClearly(byte[] bytes) throws Exception {
    Path zip = Files.createTempFile("archive-fuzz-", ".zip");
    try {
      Files.write(zip, bytes);
      Archive.importInto(FuzzSite.get().database(), FuzzSite.dataDir().resolve("media"), zip);
    } catch (IllegalArgumentException | IllegalStateException refused) {
      // the documented refusals, each with its reason
    } catch (UncheckedIOException e) {
      throw new AssertionError("an archive's contents must be refused, not fail to read", e);
    } finally {
      Files.deleteIfExists(zip);
    }
  }
}
