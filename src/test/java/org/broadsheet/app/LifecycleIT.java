package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.broadsheet.article.Article;
import org.broadsheet.cli.Cli;
import org.broadsheet.comment.CommentSubmission;
import org.broadsheet.support.Managed;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Everything that owns a thread is started and stopped by the lifecycle: after {@code close()}
 * nothing the application started is left running, and a command that needs no threads starts none.
 */
class LifecycleIT {

  /**
   * Threads alive now that were not before, leaving out the test's own HTTP client and the JDK's
   * own pools (the carriers of virtual threads, the common pool, its pollers and reapers), which
   * the JDK keeps for the life of the process.
   */
  private static Set<Thread> startedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .filter(t -> !t.getName().startsWith("HttpClient-"))
        .filter(t -> !jdk(t))
        .collect(Collectors.toSet());
  }

  private static boolean jdk(Thread t) {
    return t.isDaemon()
        && (t.getName().startsWith("ForkJoinPool")
            || t.getClass().getName().startsWith("jdk.internal.")
            || Set.of("MasterPoller", "Read-Poller", "Write-Poller", "Common-Cleaner")
                .contains(t.getName()));
  }

  private static String names(Set<Thread> threads) {
    return threads.stream()
        .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
        .sorted()
        .collect(Collectors.joining(", "));
  }

  @Test
  void closingStopsEveryThreadTheSiteStarted() {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    TestApp site =
        TestApp.start(Backend.SQLITE, true, Map.of("BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0"));
    Set<Thread> running;
    try {
      Article article = site.article("Harbour crane returns");
      site.app()
          .comments()
          .submit(
              new CommentSubmission(
                  article.id(),
                  null,
                  "Rosa",
                  "rosa@example.org",
                  "",
                  "Good to see it back.",
                  false,
                  site.solvedCheck("comment:" + article.id()),
                  "",
                  "203.0.113.9",
                  "test",
                  Instant.now()));
      site.get(site.path(article));
      site.app().outbox().nudge();
      running = startedSince(before);
      assertThat(names(running))
          .as("what a serving site runs")
          .contains("write-batcher", "change-feed", "jobs", "mail-outbox", "article-mailings");
    } finally {
      site.close();
    }
    Eventually.until(
        "every thread the site started to end (left: " + names(startedSince(before)) + ")",
        () -> startedSince(before).isEmpty());
    assertThat(running).allMatch(t -> !t.isAlive());
  }

  @Test
  void aCommandThatNeedsNoThreadsStartsNone() {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    StringWriter out = new StringWriter();
    assertThat(Cli.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "version"))
        .isZero();
    assertThat(out.toString()).startsWith("broadsheet ");
    assertThat(startedSince(before)).as("threads left by 'version'").isEmpty();
  }

  @Test
  void aCommandOnTheDatabaseLeavesNoThreadBehind() {
    try (Backend.TestDatabase db = Backend.SQLITE.create()) {
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
      int code =
          Cli.run(
              new PrintWriter(new StringWriter()),
              new PrintWriter(new StringWriter()),
              "migrate",
              "--data-dir",
              db.dataDir().toString());
      assertThat(code).isZero();
      Eventually.until(
          "the database pool's threads to end (left: " + names(startedSince(before)) + ")",
          () -> startedSince(before).isEmpty());
    }
  }

  /** A part that records what happened to it. */
  private record Part(String name, List<String> log, boolean failsToStart) implements Managed {
    @Override
    public void start() {
      if (failsToStart) {
        throw new IllegalStateException(name + " cannot start");
      }
      log.add("start " + name);
    }

    @Override
    public void stop() {
      log.add("stop " + name);
    }
  }

  @Test
  void partsStartInOrderAndStopInReverseOnceEach() {
    List<String> log = new ArrayList<>();
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.manage(new Part("database", log, false));
    lifecycle.close("index", () -> log.add("close index"));
    lifecycle.manage(new Part("web", log, false));
    lifecycle.start();
    lifecycle.close();
    lifecycle.close();
    assertThat(log)
        .containsExactly("start database", "start web", "stop web", "close index", "stop database");
  }

  @Test
  void aPartThatCannotStartStopsThoseThatDid() {
    List<String> log = new ArrayList<>();
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.manage(new Part("feed", log, false));
    lifecycle.manage(new Part("web", log, true));
    assertThatThrownBy(lifecycle::start).hasMessage("web cannot start");
    assertThat(log).containsExactly("start feed", "stop web", "stop feed");
  }
}
