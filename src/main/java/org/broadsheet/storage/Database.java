package org.broadsheet.storage;

import static org.broadsheet.config.Settings.*;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.broadsheet.config.Config;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database: a connection pool, a {@link Jdbi} over it and the schema migrations. SQLite (a file
 * in the data dir, WAL, synchronous=FULL) by default, PostgreSQL by JDBC URL; both run the same
 * DAOs. Thread-safe; close it once on shutdown.
 */
public final class Database implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);

  /** Which SQL dialect the database speaks. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  /** A startup problem with the database, naming the setting and the cause. */
  public static final class DatabaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final Dialect dialect;

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.jdbi = Jdbi.create(dataSource);
    jdbi.registerArgument(new InstantArgumentFactory());
    jdbi.registerColumnMapper(Instant.class, new InstantArgumentFactory.InstantColumnMapper());
    if (dialect == Dialect.SQLITE) {
      jdbi.setTransactionHandler(new SingleWriterTransactions());
      jdbi.setStatementBuilderFactory(new CachedStatements());
    } else {
      jdbi.setTransactionHandler(new PostgresChanges(this::openUnpooled));
    }
  }

  /** A connection of its own, outside the pool, with the pool's URL and credentials. */
  private Connection openUnpooled() throws SQLException {
    java.util.Properties props = new java.util.Properties();
    if (dataSource.getUsername() != null) {
      props.setProperty("user", dataSource.getUsername());
    }
    if (dataSource.getPassword() != null) {
      props.setProperty("password", dataSource.getPassword());
    }
    return java.sql.DriverManager.getConnection(dataSource.getJdbcUrl(), props);
  }

  /** The pool, for libraries that keep their own tables (the shared rate limits). */
  public javax.sql.DataSource dataSource() {
    return dataSource;
  }

  /** Opens the configured database and checks that a connection works; does not migrate. */
  public static Database open(Config config) {
    String url = config.effectiveDatabaseUrl();
    Dialect dialect = url.startsWith("jdbc:sqlite:") ? Dialect.SQLITE : Dialect.POSTGRESQL;
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("broadsheet-db");
    hikari.setMaximumPoolSize(config.get(DATABASE_POOL_SIZE));
    hikari.setMinimumIdle(1);
    hikari.setInitializationFailTimeout(1);
    hikari.setConnectionTimeout(10_000);
    String setting =
        config.get(DATABASE_URL).isEmpty()
            ? "BROADSHEET_DATA_DIR=" + config.get(DATA_DIR)
            : "BROADSHEET_DATABASE_URL=" + url;
    if (dialect == Dialect.SQLITE) {
      Path file = Path.of(url.substring("jdbc:sqlite:".length()));
      prepareFolder(file.toAbsolutePath().getParent(), setting);
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      sqlite.enforceForeignKeys(true);
      sqlite.setBusyTimeout(10_000);
      sqlite.setTempStore(SQLiteConfig.TempStore.MEMORY);
      // Reads through a memory map and a larger page cache: pages render from SQLite when not
      // cached.
      sqlite.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(256L * 1024 * 1024));
      sqlite.setCacheSize(-16_000);
      SQLiteDataSource source = new SQLiteDataSource(sqlite);
      source.setUrl(url);
      hikari.setDataSource(source);
    } else {
      hikari.setJdbcUrl(url);
      if (!config.get(DATABASE_USER).isEmpty()) {
        hikari.setUsername(config.get(DATABASE_USER));
      }
      if (!config.get(DATABASE_PASSWORD).isEmpty()) {
        hikari.setPassword(config.get(DATABASE_PASSWORD));
      }
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new DatabaseException(setting + ": cannot open the database: " + rootMessage(e), e);
    }
    try (Connection connection = pool.getConnection()) {
      connection.createStatement().execute("SELECT 1");
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw new DatabaseException(setting + ": cannot open the database: " + rootMessage(e), e);
    }
    return new Database(pool, dialect);
  }

  private static void prepareFolder(Path folder, String setting) {
    try {
      Files.createDirectories(folder);
    } catch (IOException | SecurityException e) {
      throw new DatabaseException(
          setting + ": cannot create the data folder " + folder + ": " + rootMessage(e), e);
    }
    if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
      throw new DatabaseException(
          setting + ": the data folder " + folder + " is not a writable directory.", null);
    }
  }

  static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  /**
   * Brings the schema up to date with the migrations shipped in the jar, saying what it does. A
   * database a newer version of Broadsheet has migrated is refused (this version would not know its
   * tables); an existing SQLite database is copied to {@code backups/before-V<n>.db} beside it
   * before any migration runs, so an upgrade can always be undone.
   */
  public void migrate() {
    Flyway flyway = flyway();
    try {
      adoptMergedMigrations(flyway);
      var info = flyway.info();
      SchemaStatus status = status(info);
      var pending = info.pending();
      String known = status.known();
      if (status.newer() != null) {
        throw new DatabaseException(
            "This database was migrated by a newer version of Broadsheet (schema V"
                + status.newer()
                + "; this version knows up to V"
                + known
                + "). Start the newer version, or restore the backup taken before the upgrade.",
            null);
      }
      var current = info.current();
      if (pending.length > 0 && current != null) {
        String from = current.getVersion().getVersion();
        String to = pending[pending.length - 1].getVersion().getVersion();
        String copy = "";
        if (dialect == Dialect.SQLITE) {
          copy =
              "; a copy of it as it was is in "
                  + backupBeforeMigration(pending[0].getVersion().getVersion());
        }
        LOG.info(
            "Database at schema V{}: applying {} migration(s) up to V{}{}",
            from,
            pending.length,
            to,
            copy);
      } else if (pending.length > 0) {
        LOG.info("New database: creating the schema (V1 to V{})", known);
      }
      flyway.migrate();
    } catch (FlywayException e) {
      throw new DatabaseException("Database migration failed: " + rootMessage(e), e);
    }
  }

  /** Where the schema stands: applied, known to this version, pending, and newer than it. */
  public record SchemaStatus(String applied, String known, int pending, String newer) {}

  /** The schema's state, without migrating anything. */
  public SchemaStatus schemaStatus() {
    return status(flyway().info());
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .placeholders(placeholders(dialect))
        .load();
  }

  /** Applied, known (the newest this version ships), pending, and newer than known (if any). */
  private static SchemaStatus status(org.flywaydb.core.api.MigrationInfoService info) {
    String known =
        java.util.Arrays.stream(info.all())
            .filter(
                m ->
                    m.getVersion() != null
                        && m.getPhysicalLocation() != null
                        && !m.getPhysicalLocation().isEmpty())
            .map(m -> m.getVersion().getVersion())
            .reduce((a, b) -> b)
            .orElse("0");
    String newer =
        java.util.Arrays.stream(info.all())
            .filter(
                m ->
                    m.getState() == org.flywaydb.core.api.MigrationState.FUTURE_SUCCESS
                        || m.getState() == org.flywaydb.core.api.MigrationState.FUTURE_FAILED)
            .map(m -> m.getVersion().getVersion())
            .reduce((a, b) -> b)
            .orElse(null);
    return new SchemaStatus(
        info.current() == null ? null : info.current().getVersion().getVersion(),
        known,
        info.pending().length,
        newer);
  }

  /** Copies the SQLite file to backups/before-V{version}.db (a new name if that one is taken). */
  private Path backupBeforeMigration(String version) {
    Path folder = sqliteFile().toAbsolutePath().getParent().resolve("backups");
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new DatabaseException(
          "Cannot make " + folder + " for the copy taken before migrating: " + e.getMessage(), e);
    }
    Path target = folder.resolve("before-V" + version + ".db");
    for (int n = 2; Files.exists(target); n++) {
      target = folder.resolve("before-V" + version + "-" + n + ".db");
    }
    backupTo(target);
    return target;
  }

  private String sqliteUrl() {
    if (dataSource.getDataSource() instanceof SQLiteDataSource sqlite) {
      return sqlite.getUrl();
    }
    return dataSource.getJdbcUrl();
  }

  /**
   * How the one set of migrations spells the types that differ: an identity primary key, a 64-bit
   * integer and a double.
   */
  static Map<String, String> placeholders(Dialect dialect) {
    return dialect == Dialect.SQLITE
        ? Map.of(
            "identity", "INTEGER PRIMARY KEY AUTOINCREMENT", "bigint", "INTEGER", "double", "REAL")
        : Map.of(
            "identity",
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "bigint",
            "BIGINT",
            "double",
            "DOUBLE PRECISION");
  }

  /**
   * Versions 1 to 11 once shipped as two files each, one per database; they are now one file with
   * placeholders and a new checksum. A database whose history still has exactly the old checksums
   * for those versions gets them brought up to date (Flyway's repair), once; anything else that
   * does not match still stops the start, as Flyway's validation should.
   */
  private void adoptMergedMigrations(Flyway flyway) {
    var validation = flyway.validateWithResult();
    if (validation.validationSuccessful) {
      return;
    }
    Properties legacy = new Properties();
    try (var in = Database.class.getResourceAsStream("/db/legacy-checksums.properties")) {
      legacy.load(in);
    } catch (IOException | NullPointerException e) {
      return;
    }
    String prefix = dialect == Dialect.SQLITE ? "sqlite." : "postgresql.";
    // Migrations newer than the database's are pending, not invalid: migrate applies them next.
    var invalid =
        validation.invalidMigrations.stream()
            .filter(
                m ->
                    m.errorDetails == null
                        || m.errorDetails.errorCode
                            != org.flywaydb.core.api.CoreErrorCode
                                .RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED)
            .toList();
    boolean onlyLegacy =
        invalid.stream()
            .allMatch(
                m ->
                    m.version != null
                        && m.errorDetails != null
                        && m.errorDetails.errorCode
                            == org.flywaydb.core.api.CoreErrorCode.CHECKSUM_MISMATCH
                        && legacyChecksum(m.version, prefix, legacy));
    if (onlyLegacy && !invalid.isEmpty()) {
      flyway.repair();
    }
  }

  private boolean legacyChecksum(String version, String prefix, Properties legacy) {
    String expected = legacy.getProperty(prefix + version);
    if (expected == null) {
      return false;
    }
    Integer applied =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT checksum FROM flyway_schema_history WHERE version = :v AND success")
                    .bind("v", version)
                    .mapTo(Integer.class)
                    .findOne()
                    .orElse(null));
    return applied != null && applied == Integer.parseInt(expected);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** True when a trivial query answers; used by the readiness check. */
  /**
   * A consistent copy of the SQLite database in a new file, taken while the site keeps serving (and
   * writing): SQLite's {@code VACUUM INTO} reads one snapshot, so the copy holds every write
   * committed before it started and none half-done. The target must not exist.
   */
  public void backupTo(Path target) {
    if (dialect != Dialect.SQLITE) {
      throw new IllegalStateException(
          "Online backup is for the embedded SQLite database; back PostgreSQL up with pg_dump.");
    }
    if (java.nio.file.Files.exists(target)) {
      throw new IllegalArgumentException(target + " already exists; choose a new file name.");
    }
    // On a connection of its own: SQLite refuses VACUUM on a connection that has any statement
    // open, and pooled connections keep prepared statements for reuse.
    try (Connection c =
            dataSource.getDataSource() instanceof SQLiteDataSource sqlite
                ? sqlite.getConnection()
                : openUnpooled();
        var statement = c.prepareStatement("VACUUM INTO ?")) {
      statement.setString(1, target.toAbsolutePath().toString());
      statement.execute();
    } catch (SQLException e) {
      throw new DatabaseException("The backup could not be written: " + rootMessage(e), e);
    }
  }

  /** What a check of a SQLite copy found: whether it is whole, its schema and its size. */
  public record CopyCheck(boolean whole, String problem, String schemaVersion, int articles) {}

  /**
   * Opens a SQLite copy on its own (as a restore would) and checks it: SQLite's integrity check,
   * the schema version it was migrated to, and a count that reads real rows.
   */
  public static CopyCheck checkCopy(Path file) {
    if (!Files.isRegularFile(file)) {
      return new CopyCheck(false, file + " is not a file", "", 0);
    }
    try (Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        var statement = c.createStatement()) {
      String integrity;
      try (var rs = statement.executeQuery("PRAGMA integrity_check")) {
        integrity = rs.next() ? rs.getString(1) : "no answer";
      }
      if (!"ok".equals(integrity)) {
        return new CopyCheck(false, "integrity check: " + integrity, "", 0);
      }
      String version;
      try (var rs =
          statement.executeQuery(
              "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                  + " ORDER BY installed_rank DESC LIMIT 1")) {
        version = rs.next() ? rs.getString(1) : "";
      }
      int articles;
      try (var rs = statement.executeQuery("SELECT COUNT(*) FROM articles")) {
        articles = rs.next() ? rs.getInt(1) : 0;
      }
      return new CopyCheck(true, "", version, articles);
    } catch (SQLException e) {
      return new CopyCheck(
          false, "cannot be read as a Broadsheet database: " + rootMessage(e), "", 0);
    }
  }

  /** The connection pool now: connections in use, idle, and requests waiting for one. */
  public record PoolStats(int active, int idle, int waiting, int max) {}

  public PoolStats poolStats() {
    var bean = dataSource.getHikariPoolMXBean();
    return bean == null
        ? new PoolStats(0, 0, 0, dataSource.getMaximumPoolSize())
        : new PoolStats(
            bean.getActiveConnections(),
            bean.getIdleConnections(),
            bean.getThreadsAwaitingConnection(),
            dataSource.getMaximumPoolSize());
  }

  /** The embedded database's file, or null on PostgreSQL. */
  public Path sqliteFile() {
    return dialect == Dialect.SQLITE
        ? Path.of(sqliteUrl().substring("jdbc:sqlite:".length()))
        : null;
  }

  /**
   * A small real write (a row added and removed in one committed transaction); throws when the
   * database cannot take writes, e.g. its disk is full.
   */
  public void writeProbe() {
    jdbi.useTransaction(
        h -> {
          h.execute("INSERT INTO rate_locks (scope) VALUES ('write-probe')");
          h.execute("DELETE FROM rate_locks WHERE scope = 'write-probe'");
        });
  }

  public boolean ping() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
