package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work on one connection. Other packages only pass it along; the statements are run by
 * the stores in this package.
 */
public final class Transaction {

    /** At DEBUG, each statement's time (execution, fetching and mapping its rows): the SQL part of a request. */
    private static final Logger log = LoggerFactory.getLogger(Transaction.class);
    /**
     * Statement timings for /actuator/metrics and Prometheus ({@code crm.sql}), on Micrometer's global
     * registry, which Spring Boot joins to its own: the stores need no registry passed around.
     */
    private static final Timer QUERIES = Metrics.timer("crm.sql", "kind", "query");
    private static final Timer UPDATES = Metrics.timer("crm.sql", "kind", "update");
    /** Statements that change tables rather than rows: never kept prepared. */
    private static final Pattern DDL = Pattern.compile("\\s*(CREATE|ALTER|DROP)\\b", Pattern.CASE_INSENSITIVE);
    /**
     * DDL after which every prepared statement is still right as it is: a new table or index, or a
     * column added (an addField). Any other DDL (a drop, rename or retype, a table replaced) outdates
     * the statements every connection keeps, so they are prepared again.
     */
    private static final Pattern KEEPS_STATEMENTS = Pattern.compile(
            "\\s*(CREATE\\s+(TEMP\\s+)?(TABLE|INDEX)\\b|ALTER\\s+TABLE\\s+\\S+\\s+ADD\\s+COLUMN\\b)", Pattern.CASE_INSENSITIVE);

    private final PooledConnection pooled;
    private final Connection connection;
    private final AtomicLong statements;
    private final AtomicLong catalogEpoch;
    /** The request's, for reads; null for writes, which are never interrupted. */
    private final Cancellation cancellation;
    private final List<Runnable> afterCommit = new ArrayList<>();
    /** Rows that commit with this transaction's writes, not yet written (see {@link #insertOnCommit}). */
    private final List<RowInsert> onCommit = new ArrayList<>();
    /** Opened for one operation that writes nothing after its last write, which may then commit it (see {@link #updateAsLastWrite}). */
    private final boolean lastWriteMayCommit;
    private boolean failed;
    /** True once a statement ran: DuckDB's transaction is open. */
    private boolean begun;
    /** True once {@link #updateAsLastWrite} committed the transaction: nothing more may be written. */
    private boolean committed;

    /**
     * @param catalogEpoch counts DDL that outdates prepared statements, so every connection drops its own
     * @param lastWriteMayCommit opened by {@link DuckDb#writeOne}: never a read, snapshot, trial or a caller's larger unit of work
     */
    Transaction(PooledConnection pooled, AtomicLong statements, AtomicLong catalogEpoch, Cancellation cancellation,
                boolean lastWriteMayCommit) {
        this.pooled = pooled;
        this.connection = pooled.connection();
        this.statements = statements;
        this.catalogEpoch = catalogEpoch;
        this.cancellation = cancellation;
        this.lastWriteMayCommit = lastWriteMayCommit;
    }

    /** Runs {@code action} after this transaction commits; never if it rolls back. */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /**
     * True once any statement failed. DuckDB would then turn {@code commit()} into a silent rollback,
     * so {@link DuckDb#write} refuses to commit even if a caller swallowed the error.
     */
    boolean failed() {
        return failed;
    }

    /** How many times DDL dropped, renamed or retyped something so far (what outdates prepared statements and indexes). */
    long catalogEpoch() {
        return catalogEpoch.get();
    }

    void runAfterCommit() {
        afterCommit.forEach(Runnable::run);
    }

    /**
     * Inserts {@code row} when this transaction commits: with its last write if that commits it (see
     * {@link #updateAsLastWrite}), else just before the commit. Never if it rolls back.
     */
    void insertOnCommit(RowInsert row) {
        onCommit.add(row);
    }

    /** Inserts the rows to insert on commit that no last write took along; the work's final statements. */
    void insertRemaining() {
        onCommit.forEach(row -> update(row.statement()));
        onCommit.clear();
    }

    /** Commits, unless the last write already did, and leaves the connection in autocommit mode. */
    void commit() throws SQLException {
        if (!committed) {
            connection.commit();
        }
        connection.setAutoCommit(true);
    }

    /**
     * Runs {@code update}, a statement that changes rows of {@code table} matching {@code where}, which
     * the caller makes the last write of its operation: nothing written or refused after it. In a
     * transaction opened for that operation alone ({@link DuckDb#writeOne}) and as its first statement,
     * it runs autocommitted with the rows to insert on
     * commit (each written only if {@code where} matches a row), so DuckDB commits it all at the end of
     * this one statement on this thread. A {@code COMMIT} statement is a task that DuckDB's worker thread
     * may take while this thread spins waiting through the log's write and fsync: 1-2 ms of CPU a write.
     * When it changed nothing, nothing was written and the transaction goes on as if it had not run.
     * Returns how many rows changed.
     */
    long updateAsLastWrite(String table, Condition where, Sql update) {
        if (!lastWriteMayCommit || begun) {
            return update(update);
        }
        SqlBuilder statement = new SqlBuilder();
        for (int i = 0; i < onCommit.size(); i++) {
            statement.sql(i == 0 ? "WITH " : ", ").ident("on_commit_" + i).sql(" AS (");
            onCommit.get(i).renderIfAny(statement, table, where);
            statement.sql(") ");
        }
        autoCommit(true);
        long changed = update(statement.append(update).build());
        if (changed == 0) {
            autoCommit(false);
            begun = false;
            return 0;
        }
        onCommit.clear();
        committed = true;
        return changed;
    }

    private void autoCommit(boolean on) {
        try {
            connection.setAutoCommit(on);
        } catch (SQLException e) {
            failed = true;
            throw StorageException.translate(e);
        }
    }

    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    <T> List<T> query(Sql sql, RowReader<T> reader) {
        long started = System.nanoTime();
        try {
            PreparedStatement statement = reused(sql);
            List<T> result = interruptible(statement, () -> {
                List<T> read = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        read.add(reader.read(rows));
                    }
                }
                return read;
            });
            logTime(QUERIES, started, result.size(), sql);
            return result;
        } catch (SQLException e) {
            failed = true;
            throw StorageException.translate(e);
        }
    }

    /** Hands each row to {@code consumer} as it arrives; DuckDB streams results, so nothing piles up. */
    void forEach(Sql sql, RowReader<Void> consumer) {
        try (PreparedStatement statement = prepare(sql)) {
            interruptible(statement, () -> {
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        consumer.read(rows);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            failed = true;
            throw StorageException.translate(e);
        }
    }

    /**
     * The result columns of a query, as (name, DuckDB type) pairs. The query runs with its parameters
     * bound (a prepared statement alone leaves columns fed by parameters untyped), so callers pass one
     * that returns no rows.
     */
    List<String[]> describe(Sql sql) {
        try (PreparedStatement statement = prepare(sql); ResultSet rows = statement.executeQuery()) {
            java.sql.ResultSetMetaData meta = rows.getMetaData();
            List<String[]> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(new String[] {meta.getColumnLabel(i), meta.getColumnTypeName(i)});
            }
            return columns;
        } catch (SQLException e) {
            failed = true;
            throw StorageException.translate(e);
        }
    }

    long update(Sql sql) {
        if (committed) {
            throw new IllegalStateException("This transaction was committed by its last write; nothing can be written after it");
        }
        long started = System.nanoTime();
        boolean ddl = DDL.matcher(sql.text()).lookingAt();
        try (PreparedStatement statement = ddl ? prepare(sql) : null) {
            long changed = (ddl ? statement : reused(sql)).executeLargeUpdate();
            logTime(UPDATES, started, changed, sql);
            return changed;
        } catch (SQLException e) {
            failed = true;
            throw StorageException.translate(e);
        } finally {
            if (ddl && !KEEPS_STATEMENTS.matcher(sql.text()).lookingAt()) {
                catalogEpoch.incrementAndGet();
            }
        }
    }

    private <T> T interruptible(PreparedStatement statement, Cancellation.StatementWork<T> work) throws SQLException {
        return cancellation == null ? work.run() : cancellation.run(statement, work);
    }

    private static void logTime(Timer timer, long started, long rows, Sql sql) {
        timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        if (log.isDebugEnabled()) {
            String text = sql.text();
            log.debug("sql {} us, {} rows: {}", (System.nanoTime() - started) / 1_000, rows,
                    text.length() > 200 ? text.substring(0, 200) + "..." : text);
        }
    }

    /** A statement of its own, closed by the caller: for statements that run once or stream their rows. */
    private PreparedStatement prepare(Sql sql) throws SQLException {
        return bind(connection.prepareStatement(sql.text()), sql);
    }

    /** The connection's prepared statement for this text, bound to this call's values; never closed by the caller. */
    private PreparedStatement reused(Sql sql) throws SQLException {
        return bind(pooled.statement(sql.text()), sql);
    }

    private PreparedStatement bind(PreparedStatement statement, Sql sql) throws SQLException {
        statements.incrementAndGet();
        begun = true;
        int index = 1;
        for (Object value : sql.binds()) {
            if (value instanceof SqlArray array) {
                statement.setArray(index++, connection.createArrayOf(array.elementType(), array.values().toArray()));
            } else if (value instanceof Collection<?> list) {
                statement.setArray(index++, connection.createArrayOf("VARCHAR", list.toArray()));
            } else {
                statement.setObject(index++, value);
            }
        }
        return statement;
    }
}
