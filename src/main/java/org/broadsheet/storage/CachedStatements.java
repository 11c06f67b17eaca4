package org.broadsheet.storage;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps prepared statements per SQLite connection for reuse. The SQLite driver has no statement
 * cache, and parsing and planning each query again was the largest single cost of rendering a page
 * with the page cache off. Statements are kept per physical connection (a connection serves one
 * thread at a time), at most {@link #PER_CONNECTION} of them, least recently used dropped; a
 * statement already in use, or one that returns generated keys, is prepared fresh as before.
 */
final class CachedStatements implements StatementBuilderFactory {

  static final int PER_CONNECTION = 200;

  private final Map<Connection, Cache> caches = Collections.synchronizedMap(new WeakHashMap<>());

  /** One connection's statements, and those currently lent out. */
  private static final class Cache extends LinkedHashMap<String, PreparedStatement> {
    private static final long serialVersionUID = 1L;
    private final transient Set<Statement> inUse =
        Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    Cache() {
      super(32, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() > PER_CONNECTION && !inUse.contains(eldest.getValue())) {
        try {
          eldest.getValue().close();
        } catch (SQLException ignored) {
          // a statement that cannot close is dropped all the same
        }
        return true;
      }
      return false;
    }
  }

  @Override
  public StatementBuilder createStatementBuilder(Connection connection) {
    Connection physical;
    try {
      physical = connection.unwrap(org.sqlite.SQLiteConnection.class);
    } catch (SQLException e) {
      return new DefaultStatementBuilder();
    }
    Cache cache = caches.computeIfAbsent(physical, c -> new Cache());
    return new Builder(physical, cache);
  }

  private static final class Builder implements StatementBuilder {
    private final DefaultStatementBuilder plain = new DefaultStatementBuilder();
    private final Connection physical;
    private final Cache cache;

    Builder(Connection physical, Cache cache) {
      this.physical = physical;
      this.cache = cache;
    }

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
      return plain.create(conn, ctx);
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
        return plain.create(conn, sql, ctx);
      }
      synchronized (cache) {
        PreparedStatement statement = cache.get(sql);
        if (statement != null && !statement.isClosed() && !cache.inUse.contains(statement)) {
          statement.clearParameters();
          cache.inUse.add(statement);
          return statement;
        }
        if (statement != null && cache.inUse.contains(statement)) {
          return plain.create(conn, sql, ctx);
        }
        PreparedStatement fresh = physical.prepareStatement(sql);
        cache.put(sql, fresh);
        cache.inUse.add(fresh);
        return fresh;
      }
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      return plain.createCall(conn, sql, ctx);
    }

    @Override
    public void close(Connection conn, String sql, Statement statement) throws SQLException {
      synchronized (cache) {
        if (cache.inUse.remove(statement)) {
          return;
        }
      }
      statement.close();
    }
  }
}
