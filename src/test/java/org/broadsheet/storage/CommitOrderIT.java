package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL two transactions can commit in the opposite order to the one they recorded their
 * changes in. The feed must deliver both, in commit order, to every follower, whenever it is read
 * in between; and a second node's feed must be woken by the commit, not wait for its poll.
 */
class CommitOrderIT {

  private Backend.TestDatabase testDatabase;
  private Database database;
  private Database otherNode;

  @BeforeEach
  void open() {
    testDatabase = Backend.POSTGRESQL.create();
    database = Database.open(testDatabase.config());
    database.migrate();
    otherNode = Database.open(testDatabase.config());
  }

  @AfterEach
  void close() {
    otherNode.close();
    database.close();
    testDatabase.close();
  }

  @Test
  void aTransactionThatRecordedFirstButCommitsLastIsDeliveredAfterTheOtherAndNeverSkipped()
      throws Exception {
    ChangeFeed feed = new ChangeFeed(database.jdbi(), Clock.systemUTC(), Duration.ofHours(1));
    List<Long> first = new CopyOnWriteArrayList<>();
    List<Long> second = new CopyOnWriteArrayList<>();
    feed.follow("first follower", c -> first.add(c.entityId()));
    feed.follow("second follower", c -> second.add(c.entityId()));

    CountDownLatch slowRecorded = new CountDownLatch(1);
    CountDownLatch mayCommit = new CountDownLatch(1);
    CompletableFuture<Void> slow =
        CompletableFuture.runAsync(
            () ->
                database
                    .jdbi()
                    .useTransaction(
                        h -> {
                          feed.record(h, Change.Entity.ARTICLE, 1, Change.Kind.UPDATED);
                          h.execute("SELECT pg_current_xact_id()"); // has its own xid by now
                          slowRecorded.countDown();
                          try {
                            mayCommit.await(10, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }));
    assertThat(slowRecorded.await(10, TimeUnit.SECONDS)).isTrue();

    // A second transaction records after the first, and commits while the first is still open.
    database
        .jdbi()
        .useTransaction(h -> feed.record(h, Change.Entity.ARTICLE, 2, Change.Kind.UPDATED));
    feed.pump();
    assertThat(first).containsExactly(2L);

    mayCommit.countDown();
    slow.get(10, TimeUnit.SECONDS);
    feed.pump();

    assertThat(first).as("both, in commit order").containsExactly(2L, 1L);
    assertThat(second).containsExactly(2L, 1L);
    List<Change> rows = feed.since(0, 10);
    assertThat(rows).extracting(Change::entityId).containsExactly(2L, 1L);
  }

  @Test
  void aRolledBackSavepointTakesItsChangesWithIt() {
    ChangeFeed feed = new ChangeFeed(database.jdbi(), Clock.systemUTC(), Duration.ofHours(1));
    database
        .jdbi()
        .useTransaction(
            h -> {
              feed.record(h, Change.Entity.ARTICLE, 1, Change.Kind.UPDATED);
              h.savepoint("s");
              feed.record(h, Change.Entity.ARTICLE, 2, Change.Kind.UPDATED);
              h.rollbackToSavepoint("s");
              feed.record(h, Change.Entity.ARTICLE, 3, Change.Kind.UPDATED);
            });
    assertThat(feed.since(0, 10)).extracting(Change::entityId).containsExactly(1L, 3L);
  }

  @Test
  void anotherNodeIsWokenByTheCommitNotByItsPoll() {
    ChangeFeed writer = new ChangeFeed(database.jdbi(), Clock.systemUTC(), Duration.ofHours(1));
    // The other node polls once an hour: only the notification can bring the change in time.
    ChangeFeed reader = new ChangeFeed(otherNode.jdbi(), Clock.systemUTC(), Duration.ofHours(1));
    List<Long> seen = new CopyOnWriteArrayList<>();
    reader.follow("other node", c -> seen.add(c.entityId()));
    reader.start();
    try {
      database
          .jdbi()
          .useTransaction(h -> writer.record(h, Change.Entity.ARTICLE, 7, Change.Kind.UPDATED));
      Eventually.until(
          "the other node has the change", Duration.ofSeconds(5), () -> seen.contains(7L));
    } finally {
      reader.stop();
    }
  }
}
