package org.broadsheet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The previous release's jar, built from its commit (named in {@code packaging/previous-release})
 * with its own Maven Wrapper, once per build folder: {@code target/previous-release/}. A clone
 * without that commit in its history (a shallow one) cannot build it, and says so.
 */
public final class PreviousRelease {

  private PreviousRelease() {}

  /** The commit the file names. */
  public static String commit() throws IOException {
    return Files.readAllLines(Path.of("packaging/previous-release")).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("packaging/previous-release names no commit"));
  }

  public static synchronized Path jar() throws IOException, InterruptedException {
    String commit = commit();
    Path folder = Path.of("target", "previous-release").toAbsolutePath();
    Path jar = folder.resolve("broadsheet-" + commit.substring(0, 12) + ".jar");
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    Assumptions.assumeTrue(
        run(Path.of("."), 30, "git", "cat-file", "-e", commit + "^{commit}") == 0,
        "the previous release (" + commit + ") is not in this clone's history (a shallow clone?)");
    Path source = folder.resolve("source");
    Backend.deleteTree(source);
    Files.createDirectories(source);
    Path archive = folder.resolve("source.tar");
    check(
        run(Path.of("."), 60, "git", "archive", "--format=tar", "-o", archive.toString(), commit));
    check(run(source, 60, "tar", "-xf", archive.toString()));
    Files.delete(archive);
    check(
        run(
            source,
            900,
            "./mvnw",
            "-q",
            "-B",
            "package",
            "-DskipTests",
            "-Dspotless.check.skip=true",
            "-Djacoco.skip=true",
            "-DskipFuzz=true"));
    Path part = folder.resolve(jar.getFileName() + ".part");
    Files.copy(source.resolve("target/broadsheet.jar"), part, StandardCopyOption.REPLACE_EXISTING);
    Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE);
    Backend.deleteTree(source);
    return jar;
  }

  private static void check(int exit) {
    if (exit != 0) {
      throw new IllegalStateException("building the previous release failed (exit " + exit + ")");
    }
  }

  /** Runs a command in {@code dir} with this JDK; its output goes to target/previous-release. */
  private static int run(Path dir, int seconds, String... command)
      throws IOException, InterruptedException {
    Path log = Path.of("target", "previous-release", "build.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // The outer build's Maven settings must not leak into the inner one.
    builder.environment().keySet().removeIf(k -> k.startsWith("MAVEN_"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      Files.writeString(
          log,
          "timed out: " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
      return -1;
    }
    return process.exitValue();
  }
}
