package org.broadsheet.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.broadsheet.captcha.HumanCheckKeys;
import org.broadsheet.captcha.HumanCheckMetrics;
import org.broadsheet.captcha.ProofOfWork;
import org.broadsheet.captcha.SpentChallenges;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the human check costs the server per request: issuing a challenge, and verifying an answer
 * (decode, signature, solution, expiry, form binding, and spending it in SQLite). Run by
 * bench/human-check.sh; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HumanCheckBenchmark {

  private static final int POOL = 150_000;

  private Path dataDir;
  private Database database;
  private ProofOfWork issuer;
  private ProofOfWork verifier;
  private String[] answers;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dataDir = Files.createTempDirectory("broadsheet-jmh-");
    database = Database.open(Backend.baseConfig(dataDir).with(Map.of()));
    database.migrate();
    Clock clock = Clock.systemUTC();
    HumanCheckKeys keys =
        new HumanCheckKeys(database.jdbi(), new SecureRandom(), clock, Duration.ofHours(2));
    SpentChallenges spent = new SpentChallenges(database.jdbi());
    HumanCheckMetrics metrics = new HumanCheckMetrics(new SimpleMeterRegistry());
    issuer = new ProofOfWork(keys, spent, metrics, clock, Duration.ofHours(2), 50_000);
    // Answers are pre-solved at a low difficulty: verifying costs one hash whatever the difficulty.
    ProofOfWork easy = new ProofOfWork(keys, spent, metrics, clock, Duration.ofHours(2), 1_000);
    verifier = issuer;
    answers = new String[POOL];
    for (int i = 0; i < POOL; i++) {
      answers[i] = ProofOfWork.solve(easy.issue("comment:1"), 100);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    database.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Object issueChallenge() {
    return issuer.issue("comment:1");
  }

  @Benchmark
  public Object verifyAndSpend() {
    String answer = answers[next++ % POOL];
    return verifier.verify(answer, "comment:1", "127.0.0.1");
  }
}
