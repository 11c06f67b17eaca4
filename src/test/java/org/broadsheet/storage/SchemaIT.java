package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.broadsheet.testing.Backend;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One set of migrations for both databases: the schemas they make are the same table for table and
 * column for column, and a database made with the old per-database files upgrades cleanly.
 */
class SchemaIT {

  @Test
  void sqliteAndPostgresqlGetTheSameTablesColumnsTypesAndIndexes() throws SQLException {
    Map<String, String> sqlite = schemaOf(Backend.SQLITE);
    Map<String, String> postgresql = schemaOf(Backend.POSTGRESQL);
    assertThat(sqlite).as("SQLite's schema").isNotEmpty();
    assertThat(postgresql).isEqualTo(sqlite);
  }

  /** table.column -> kind of type and nullability; table#index -> its columns. */
  private static Map<String, String> schemaOf(Backend backend) throws SQLException {
    try (Backend.TestDatabase db = backend.create();
        Database database = Database.open(db.config())) {
      database.migrate();
      Map<String, String> schema = new TreeMap<>();
      database
          .jdbi()
          .useHandle(
              h -> {
                Connection c = h.getConnection();
                DatabaseMetaData meta = c.getMetaData();
                String schemaName = db.schema();
                try (ResultSet tables =
                    meta.getTables(null, schemaName, "%", new String[] {"TABLE"})) {
                  while (tables.next()) {
                    String table = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (table.startsWith("flyway_") || table.startsWith("sqlite_")) {
                      continue;
                    }
                    java.util.Set<String> primaryKey = new java.util.TreeSet<>();
                    try (ResultSet keys = meta.getPrimaryKeys(null, schemaName, table)) {
                      while (keys.next()) {
                        primaryKey.add(keys.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                      }
                    }
                    schema.put(table + " primary key", String.join(",", primaryKey));
                    try (ResultSet columns = meta.getColumns(null, schemaName, table, "%")) {
                      while (columns.next()) {
                        String column = columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                        boolean notNull =
                            columns.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls
                                || primaryKey.contains(column);
                        schema.put(
                            table + "." + column,
                            kind(columns.getString("TYPE_NAME")) + (notNull ? " not null" : ""));
                      }
                    }
                    // Indexes by what they cover (names differ: PostgreSQL names a UNIQUE
                    // constraint's index, SQLite numbers it); the primary key's own is left out.
                    Map<String, java.util.List<String>> indexColumns = new TreeMap<>();
                    Map<String, Boolean> indexUnique = new TreeMap<>();
                    try (ResultSet indexes =
                        meta.getIndexInfo(null, schemaName, table, false, false)) {
                      while (indexes.next()) {
                        String name = indexes.getString("INDEX_NAME");
                        if (name == null) {
                          continue;
                        }
                        String column = indexes.getString("COLUMN_NAME");
                        indexColumns
                            .computeIfAbsent(name, n -> new java.util.ArrayList<>())
                            .add(
                                column == null || column.contains("(")
                                    ? "(expression)"
                                    : column.toLowerCase(Locale.ROOT));
                        indexUnique.put(name, !indexes.getBoolean("NON_UNIQUE"));
                      }
                    }
                    indexColumns.forEach(
                        (name, cols) -> {
                          if (!new java.util.TreeSet<>(cols).equals(primaryKey)) {
                            schema.put(
                                table + " index (" + String.join(",", cols) + ")",
                                indexUnique.get(name) ? "unique" : "");
                          }
                        });
                  }
                }
              });
      return schema;
    }
  }

  private static String kind(String type) {
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "integer", "int", "int4", "int8", "bigint", "bigserial", "serial" -> "integer";
      case "text", "varchar" -> "text";
      case "real", "float8", "double precision", "double" -> "real";
      case "boolean", "bool" -> "boolean";
      case "blob", "bytea" -> "bytes";
      default -> type.toLowerCase(Locale.ROOT);
    };
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aDatabaseMadeWithTheOldPerDatabaseMigrationsUpgradesOnce(Backend backend) {
    try (Backend.TestDatabase db = backend.create()) {
      String dialect = backend == Backend.SQLITE ? "sqlite" : "postgresql";
      Flyway.configure()
          .dataSource(
              db.config().effectiveDatabaseUrl(),
              backend == Backend.SQLITE ? null : Backend.POSTGRES_USER,
              backend == Backend.SQLITE ? null : "")
          .locations("classpath:db/legacy/" + dialect)
          .load()
          .migrate();
      try (Database database = Database.open(db.config())) {
        database.migrate();
        database.migrate();
        int applied =
            database
                .jdbi()
                .withHandle(
                    h ->
                        h.createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")
                            .mapTo(Integer.class)
                            .one());
        assertThat(applied).isGreaterThanOrEqualTo(11);
        database
            .jdbi()
            .useHandle(h -> h.execute("INSERT INTO settings (name, value) VALUES ('a', 'b')"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aMigrationChangedAfterItRanStillStopsTheStart(Backend backend) {
    try (Backend.TestDatabase db = backend.create()) {
      try (Database database = Database.open(db.config())) {
        database.migrate();
        database
            .jdbi()
            .useHandle(
                h ->
                    h.execute(
                        "UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '3'"));
      }
      try (Database database = Database.open(db.config())) {
        assertThatThrownBy(database::migrate)
            .isInstanceOf(Database.DatabaseException.class)
            .hasMessageContaining("Database migration failed")
            .hasMessageContaining("checksum");
      }
    }
  }
}
