package org.broadsheet.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code broadsheet serve} in its own JVM, as an operator starts it: this build (from the test's
 * class path) or another release's jar, configured through the environment. Waits until it says
 * where it listens and keeps everything it logs; {@link #stop()} sends SIGTERM.
 */
public final class ServeProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+)");

  /** Settings every test server shares: comments published at once, no limits, a quick check. */
  public static final Map<String, String> OPEN_COMMENTS =
      Map.of(
          "BROADSHEET_PORT", "0",
          "BROADSHEET_HOST", "127.0.0.1",
          "BROADSHEET_COMMENTS_POLICY", "none",
          "BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0",
          "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE", "100000",
          "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE", "100000",
          "BROADSHEET_HUMAN_CHECK_DIFFICULTY", "1000");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final int port;
  private final Thread drain;

  private ServeProcess(List<String> command, Map<String, String> environment) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(OPEN_COMMENTS);
    builder.environment().putAll(environment);
    process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    int found = -1;
    for (String line; (line = out.readLine()) != null; ) {
      output.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        found = Integer.parseInt(m.group(1));
        break;
      }
    }
    port = found;
    if (port < 0) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + String.join("\n", output));
    }
    drain =
        new Thread(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  output.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    drain.setDaemon(true);
    drain.start();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This build, with its data in {@code dataDir}. */
  public static ServeProcess thisBuild(Path dataDir, Map<String, String> environment)
      throws IOException {
    return new ServeProcess(
        List.of(
            java(), "-cp", System.getProperty("java.class.path"), "org.broadsheet.Main", "serve"),
        with(dataDir, environment));
  }

  /** Another release's jar, with its data in {@code dataDir}. */
  public static ServeProcess jar(Path jar, Path dataDir, Map<String, String> environment)
      throws IOException {
    return new ServeProcess(
        List.of(java(), "-jar", jar.toString(), "serve"), with(dataDir, environment));
  }

  /** Runs one command of another release's jar to its end; returns what it printed. */
  public static String run(Path jar, Path dataDir, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(with(dataDir, environment));
    Process process = builder.start();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed: " + printed);
    }
    return printed;
  }

  private static Map<String, String> with(Path dataDir, Map<String, String> environment) {
    Map<String, String> all = new java.util.HashMap<>(environment);
    all.put("BROADSHEET_DATA_DIR", dataDir.toString());
    return all;
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  /** Everything logged so far. */
  public List<String> output() {
    return new ArrayList<>(output);
  }

  public Process process() {
    return process;
  }

  /** SIGTERM, then waits up to a minute; true when it stopped in time (its log read to the end). */
  public boolean stop() throws InterruptedException {
    // Through the handle: Process.destroy() also closes our end of its output, so what the server
    // logs while it stops would be lost.
    process.toHandle().destroy();
    boolean stopped = process.waitFor(60, TimeUnit.SECONDS);
    if (stopped) {
      drain.join(5_000);
    }
    return stopped;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive() && !stop()) {
      process.destroyForcibly();
    }
  }
}
