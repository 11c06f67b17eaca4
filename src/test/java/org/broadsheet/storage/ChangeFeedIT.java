package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.broadsheet.testing.Backend;
import org.broadsheet.web.CacheTag;
import org.broadsheet.web.CachedPage;
import org.broadsheet.web.PageCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Followers of the change feed keep their own place: one that fails on a change stays on it and is
 * retried with back-off until it succeeds, never skipping it, while the others go on.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class ChangeFeedIT {

  private final Backend backend;
  private Backend.TestDatabase testDatabase;
  private Database database;
  private final AtomicLong nanos = new AtomicLong();
  private ChangeFeed feed;

  ChangeFeedIT(Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void open() {
    testDatabase = backend.create();
    database = Database.open(testDatabase.config());
    database.migrate();
    feed = new ChangeFeed(database.jdbi(), Clock.systemUTC(), Duration.ofSeconds(1), nanos::get);
  }

  @AfterEach
  void close() {
    database.close();
    testDatabase.close();
  }

  private void record(long articleId) {
    database
        .jdbi()
        .useTransaction(h -> feed.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.UPDATED));
  }

  private void later(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aFailingFollowerIsRetriedWithBackOffAndGetsEveryChangeOnceInOrder() {
    List<Long> healthy = new ArrayList<>();
    List<Long> flaky = new ArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    feed.follow("healthy", c -> healthy.add(c.entityId()));
    feed.follow(
        "flaky",
        c -> {
          if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("the database went away");
          }
          flaky.add(c.entityId());
        });

    record(1);
    feed.pump();
    assertThat(healthy).containsExactly(1L);
    assertThat(flaky).isEmpty();

    record(2);
    feed.pump();
    assertThat(healthy).as("the others go on").containsExactly(1L, 2L);
    assertThat(flaky).as("waiting for its retry").isEmpty();

    later(Duration.ofSeconds(1));
    feed.pump();
    assertThat(flaky).as("retried once, failed again: now it waits two seconds").isEmpty();
    later(Duration.ofSeconds(1));
    feed.pump();
    assertThat(flaky).isEmpty();

    later(Duration.ofSeconds(1));
    feed.pump();
    assertThat(flaky)
        .as("recovered: the change it failed on first, then the next")
        .containsExactly(1L, 2L);
    assertThat(feed.cursors()).containsValues(feed.latestId(), feed.latestId());

    feed.pump();
    assertThat(flaky).as("never twice").containsExactly(1L, 2L);
    assertThat(healthy).containsExactly(1L, 2L);
  }

  @Test
  void aPageStaysEvictedOnlyOnceTheFailingEvictionRecovers() {
    PageCache cache = new PageCache(true, 100);
    cache.get(
        "/city/2026/12/06/ferry",
        () ->
            new CachedPage(
                "<p>old</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Instant.EPOCH,
                Set.of(CacheTag.article(7))));
    AtomicInteger failuresLeft = new AtomicInteger(1);
    feed.follow(
        "page cache",
        c -> {
          if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("could not read which pages show it");
          }
          cache.evict(Set.of(CacheTag.article(c.entityId())));
        });

    record(7);
    feed.pump();
    assertThat(cache.contains("/city/2026/12/06/ferry")).as("the eviction failed").isTrue();

    later(Duration.ofSeconds(1));
    feed.pump();
    assertThat(cache.contains("/city/2026/12/06/ferry"))
        .as("retried: the stale page is gone")
        .isFalse();
  }

  @Test
  void aFollowerThatRemembersItsPlaceGetsWhatItMissed() {
    record(1);
    long seen = feed.latestId();
    record(2);
    record(3);
    List<Long> got = new ArrayList<>();
    feed.follow("index", c -> got.add(c.entityId()), seen);
    feed.pump();
    assertThat(got).containsExactly(2L, 3L);
  }
}
