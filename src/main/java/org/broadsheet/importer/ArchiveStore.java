package org.broadsheet.importer;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * SQL for the site archive: whole tables read row by row and written back, on either database.
 * Table names come only from {@link Archive#TABLES}, never from input. Stateless and thread-safe.
 */
final class ArchiveStore {

  private ArchiveStore() {}

  /** What is done with each row read; returns whether the row was kept. */
  @FunctionalInterface
  interface RowSink {
    boolean accept(Map<String, Object> row) throws Exception;
  }

  /** Streams every row of the table (columns by lower-case name); returns how many were kept. */
  static int forEachRow(Handle h, String table, String order, RowSink sink) throws Exception {
    int kept = 0;
    try (var statement =
            h.getConnection()
                .createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        ResultSet rs = statement.executeQuery("SELECT * FROM " + table + order)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          row.put(meta.getColumnName(c).toLowerCase(Locale.ROOT), rs.getObject(c));
        }
        if (sink.accept(row)) {
          kept++;
        }
      }
    }
    return kept;
  }

  static int count(Handle h, String table) {
    return h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one();
  }

  static void clear(Handle h, String table) {
    h.execute("DELETE FROM " + table);
  }

  static void insert(Handle h, String table, Map<String, Object> values) {
    List<String> columns = new ArrayList<>(values.keySet());
    var insert =
        h.createUpdate(
            "INSERT INTO "
                + table
                + " ("
                + String.join(", ", columns)
                + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> ":" + c).toList())
                + ")");
    for (String c : columns) {
      insert.bind(c, values.get(c));
    }
    insert.execute();
  }

  /** The table's columns and their JDBC types (booleans recognised by name on SQLite). */
  static Map<String, Integer> columnTypes(Handle h, String table) throws SQLException {
    Map<String, Integer> types = new LinkedHashMap<>();
    try (var statement = h.getConnection().createStatement();
        ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int c = 1; c <= meta.getColumnCount(); c++) {
        String name = meta.getColumnName(c).toLowerCase(Locale.ROOT);
        String typeName = meta.getColumnTypeName(c).toUpperCase(Locale.ROOT);
        int type = typeName.startsWith("BOOL") ? Types.BOOLEAN : meta.getColumnType(c);
        types.put(name, type);
      }
    }
    return types;
  }

  /** PostgreSQL: the next id after the highest one restored. */
  static void resetIdentity(Handle h, String table) {
    h.execute(
        "SELECT setval(pg_get_serial_sequence('"
            + table
            + "', 'id'), GREATEST(1, (SELECT COALESCE(MAX(id), 0) FROM "
            + table
            + ")))");
  }
}
