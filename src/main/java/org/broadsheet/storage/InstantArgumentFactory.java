package org.broadsheet.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Stores instants as epoch milliseconds in a BIGINT column, the one time representation that sorts,
 * compares and round-trips identically on SQLite and PostgreSQL.
 */
final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {

  InstantArgumentFactory() {
    super(Types.BIGINT);
  }

  @Override
  protected Argument build(Instant value, ConfigRegistry config) {
    return (position, statement, ctx) -> statement.setLong(position, value.toEpochMilli());
  }

  /** Reads epoch milliseconds back into an instant; SQL NULL stays null. */
  static final class InstantColumnMapper implements ColumnMapper<Instant> {
    @Override
    public Instant map(ResultSet r, int columnNumber, StatementContext ctx) throws SQLException {
      long millis = r.getLong(columnNumber);
      return r.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
  }
}
