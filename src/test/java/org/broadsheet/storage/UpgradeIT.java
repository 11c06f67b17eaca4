package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upgrades on both databases: a database made by the previous release's migrations (up to V19) is
 * opened by this one, keeps its content and gets the new tables (SQLite: after a copy of it as it
 * was, under backups/); a database a newer version migrated is refused with a message that says so
 * and what to do.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class UpgradeIT {

  private final Backend backend;

  UpgradeIT(Backend backend) {
    this.backend = backend;
  }

  private static Flyway flyway(Database database, String target) {
    return Flyway.configure()
        .dataSource(database.dataSource())
        .locations("classpath:db/migration")
        .placeholders(Database.placeholders(database.dialect()))
        .target(target)
        .load();
  }

  private static int count(Database database, String sql) {
    return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  @Test
  void aDatabaseOfThePreviousReleaseIsUpgradedWithItsContent() throws Exception {
    try (Backend.TestDatabase data = backend.create()) {
      try (Database old = Database.open(data.config())) {
        flyway(old, "19").migrate();
        old.jdbi()
            .useHandle(
                h -> {
                  h.execute(
                      "INSERT INTO sections (slug, name, description, position) VALUES ('news', 'News', '', 1)");
                });
      }
      try (TestApp site = TestApp.startNode(data, Map.of())) {
        assertThat(site.app().articles().section("news")).isPresent();
        assertThat(count(site.app().database(), "SELECT COUNT(*) FROM api_keys")).isZero();
        assertThat(
                count(
                    site.app().database(),
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '20' AND success"))
            .isEqualTo(1);
      }
      if (backend == Backend.SQLITE) {
        Path copy = data.dataDir().resolve("backups").resolve("before-V20.db");
        assertThat(copy).exists();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + copy)) {
          var rs =
              c.createStatement()
                  .executeQuery("SELECT MAX(installed_rank), COUNT(*) FROM flyway_schema_history");
          rs.next();
          var sections = c.createStatement().executeQuery("SELECT COUNT(*) FROM sections");
          sections.next();
          assertThat(sections.getInt(1)).as("the copy holds the content as it was").isEqualTo(1);
          var tables =
              c.createStatement()
                  .executeQuery(
                      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'api_keys'");
          tables.next();
          assertThat(tables.getInt(1)).as("taken before V20 ran").isZero();
        }
        // A second start has nothing to migrate and copies nothing.
        try (TestApp again = TestApp.startNode(data, Map.of())) {
          assertThat(again.app().articles().section("news")).isPresent();
        }
        try (var files = Files.list(data.dataDir().resolve("backups"))) {
          assertThat(files.toList()).hasSize(1);
        }
      }
    }
  }

  @Test
  void aDatabaseOfANewerVersionIsRefused() {
    try (Backend.TestDatabase data = backend.create()) {
      try (Database db = Database.open(data.config())) {
        db.migrate();
        db.jdbi()
            .useHandle(
                h ->
                    h.execute(
                        "INSERT INTO flyway_schema_history (installed_rank, version, description,"
                            + " type, script, checksum, installed_by, execution_time, success)"
                            + " VALUES (999, '999', 'from the future', 'SQL',"
                            + " 'V999__from_the_future.sql', 1, 'test', 1, TRUE)"));
      }
      assertThatThrownBy(() -> TestApp.startNode(data, Map.of()).close())
          .hasMessageContaining("migrated by a newer version of Broadsheet")
          .hasMessageContaining("V999")
          .hasMessageContaining("restore the backup");
    }
  }
}
