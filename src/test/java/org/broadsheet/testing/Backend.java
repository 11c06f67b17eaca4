package org.broadsheet.testing;

import static org.broadsheet.config.Settings.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.broadsheet.config.Config;

/**
 * The two databases every storage test runs on: a SQLite file in a fresh temp folder, and the
 * PostgreSQL at 127.0.0.1:5432 (database {@code test}) in a fresh schema per test, dropped after.
 */
public enum Backend {
  SQLITE,
  POSTGRESQL;

  public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String POSTGRES_USER = "postgres";

  /** A database of this kind, empty, with a config pointing at it. Close it to clean up. */
  public TestDatabase create() {
    Path dataDir = tempDir("broadsheet-test-");
    if (this == SQLITE) {
      return new TestDatabase(baseConfig(dataDir), dataDir, null);
    }
    String schema = "bs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c =
        DriverManager.getConnection(POSTGRES_URL + "?connectTimeout=3", POSTGRES_USER, "")) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      deleteTree(dataDir);
      Services.missing("PostgreSQL at 127.0.0.1:5432 (" + e.getMessage() + ")");
    }
    Config config =
        baseConfig(dataDir)
            .with(
                Map.of(
                    "BROADSHEET_DATABASE_URL",
                    POSTGRES_URL + "?currentSchema=" + schema,
                    "BROADSHEET_DATABASE_USER",
                    POSTGRES_USER));
    return new TestDatabase(config, dataDir, schema);
  }

  public static Config baseConfig(Path dataDir) {
    return Config.defaults()
        .with(
            Map.of(
                "BROADSHEET_DATA_DIR", dataDir.toString(),
                "BROADSHEET_PORT", "0",
                "BROADSHEET_DEMO_CONTENT", "false",
                "BROADSHEET_DATABASE_POOL_SIZE", "4"));
  }

  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A test's database: its config, and cleanup of the folder and schema. */
  public record TestDatabase(Config config, Path dataDir, String schema) implements AutoCloseable {
    @Override
    public void close() {
      if (schema != null) {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
          c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
      deleteTree(dataDir);
    }
  }
}
