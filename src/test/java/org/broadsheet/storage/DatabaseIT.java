package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.broadsheet.config.Settings.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.broadsheet.config.Config;
import org.broadsheet.testing.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class DatabaseIT {

  private final Backend backend;
  private Backend.TestDatabase testDatabase;
  private Database database;

  DatabaseIT(Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void open() {
    testDatabase = backend.create();
    database = Database.open(testDatabase.config());
    database.migrate();
  }

  @AfterEach
  void close() {
    database.close();
    testDatabase.close();
  }

  @Test
  void speaksTheExpectedDialectAndMigratesTwiceHarmlessly() {
    assertThat(database.dialect())
        .isEqualTo(
            backend == Backend.SQLITE ? Database.Dialect.SQLITE : Database.Dialect.POSTGRESQL);
    database.migrate();
    assertThat(database.ping()).isTrue();
  }

  @Test
  void sqliteRunsInWalModeWithFullSyncAndForeignKeys() {
    if (backend != Backend.SQLITE) {
      return;
    }
    database
        .jdbi()
        .useHandle(
            h -> {
              assertThat(h.createQuery("PRAGMA journal_mode").mapTo(String.class).one())
                  .isEqualToIgnoringCase("wal");
              assertThat(h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one())
                  .isEqualTo(2);
              assertThat(h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one())
                  .isEqualTo(1);
            });
  }

  @Test
  void changesAreDeliveredOnceInOrderAndOnlyWhenCommitted() {
    ChangeFeed feed =
        new ChangeFeed(database.jdbi(), Clock.systemUTC(), java.time.Duration.ofSeconds(1));
    List<Change> seen = new ArrayList<>();
    feed.follow("test", seen::add);
    database
        .jdbi()
        .useTransaction(
            h -> {
              feed.record(h, Change.Entity.ARTICLE, 1, Change.Kind.PUBLISHED);
              feed.record(h, Change.Entity.ARTICLE, 2, Change.Kind.PUBLISHED);
            });
    try {
      database
          .jdbi()
          .useTransaction(
              h -> {
                feed.record(h, Change.Entity.ARTICLE, 3, Change.Kind.PUBLISHED);
                throw new IllegalStateException("roll back");
              });
    } catch (IllegalStateException expected) {
      // the change must vanish with its transaction
    }
    database
        .jdbi()
        .useTransaction(h -> feed.record(h, Change.Entity.SECTION, 9, Change.Kind.CREATED));
    assertThat(feed.pump()).isEqualTo(3);
    assertThat(feed.pump()).isZero();
    assertThat(seen)
        .extracting(Change::entity, Change::entityId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Change.Entity.ARTICLE, 1L),
            org.assertj.core.groups.Tuple.tuple(Change.Entity.ARTICLE, 2L),
            org.assertj.core.groups.Tuple.tuple(Change.Entity.SECTION, 9L));
    assertThat(seen.get(0).id()).isLessThan(seen.get(1).id());
    assertThat(seen.get(1).id()).isLessThan(seen.get(2).id());
  }

  @Test
  void aSecondNodeCatchesUpOnChangesItMissed() {
    ChangeFeed writer =
        new ChangeFeed(database.jdbi(), Clock.systemUTC(), java.time.Duration.ofSeconds(1));
    database
        .jdbi()
        .useTransaction(h -> writer.record(h, Change.Entity.ARTICLE, 1, Change.Kind.PUBLISHED));
    ChangeFeed otherNode =
        new ChangeFeed(database.jdbi(), Clock.systemUTC(), java.time.Duration.ofSeconds(1));
    List<Change> seen = new ArrayList<>();
    otherNode.follow("test", seen::add);
    database
        .jdbi()
        .useTransaction(h -> writer.record(h, Change.Entity.ARTICLE, 2, Change.Kind.UPDATED));
    otherNode.pump();
    assertThat(seen).extracting(Change::entityId).containsExactly(2L);
    assertThat(otherNode.since(0, 10)).hasSize(2);
  }

  @Test
  void aDataDirThatCannotBeCreatedIsOneClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not a folder");
    Config config = Backend.baseConfig(file.resolve("data"));
    assertThatThrownBy(() -> Database.open(config))
        .isInstanceOf(Database.DatabaseException.class)
        .hasMessageContaining("BROADSHEET_DATA_DIR=" + file.resolve("data"))
        .hasMessageContaining("cannot create the data folder");
  }

  @Test
  void aBadJdbcUrlIsOneClearError(@TempDir Path dir) {
    Config config =
        Backend.baseConfig(dir)
            .with(
                Map.of(
                    "BROADSHEET_DATABASE_URL",
                    "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2"));
    assertThatThrownBy(() -> Database.open(config))
        .isInstanceOf(Database.DatabaseException.class)
        .hasMessageStartingWith("BROADSHEET_DATABASE_URL=jdbc:postgresql://127.0.0.1:1/nothing")
        .hasMessageContaining("cannot open the database");
  }
}
