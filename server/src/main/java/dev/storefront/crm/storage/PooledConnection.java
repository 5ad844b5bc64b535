package dev.storefront.crm.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * A connection kept between units of work, with the statements it prepared, by SQL text. A request
 * repeats the same few statements with other values, and DuckDB 2.0 plans a statement that reads a
 * table again on every execution (bench/NOTES.md, thirteenth session): kept, a statement is parsed
 * once and planned once a run; prepared for each run, it would be planned twice, about twice the CPU
 * of a point lookup. A connection serves one unit of work at a time, so its statements need no locking.
 *
 * <p>A prepared statement stays right across model changes: DuckDB binds it again when a table it
 * reads changed since it was prepared. The cache is still dropped after DDL that drops, renames or
 * retypes ({@link #catalogEpoch}), so no plan of a dropped column is kept alive; a column added or a
 * table created leaves it, so an addField does not make every request prepare its statements again.
 */
final class PooledConnection implements AutoCloseable {

    /** Statements kept per connection: more than the distinct statements of the busiest requests. */
    private static final int CACHED = 64;

    private final DuckDBConnection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CACHED) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };
    /** The database's DDL count when this cache was last known to be current. */
    private long catalogEpoch;

    PooledConnection(DuckDBConnection connection, long catalogEpoch) {
        this.connection = connection;
        this.catalogEpoch = catalogEpoch;
    }

    Connection connection() {
        return connection;
    }

    /** The statement for {@code sql}, prepared once; callers bind its parameters and never close it. */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    /** Forgets the prepared statements if DDL ran since they were prepared. */
    void catalogAt(long epoch) {
        if (epoch != catalogEpoch) {
            statements.values().forEach(PooledConnection::closeQuietly);
            statements.clear();
            catalogEpoch = epoch;
        }
    }

    @Override
    public void close() {
        statements.values().forEach(PooledConnection::closeQuietly);
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing is open on it any more; DuckDB frees it with the database.
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // A statement that cannot close holds nothing a new one needs.
        }
    }
}
