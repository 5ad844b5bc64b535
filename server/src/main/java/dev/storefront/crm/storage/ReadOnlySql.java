package dev.storefront.crm.storage;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ad-hoc SQL for admins, read-only by construction: DuckDB must parse the text as exactly one
 * SELECT (it serialises nothing else), whose parsed tree holds only reading query nodes (no
 * {@code WITH u AS (UPDATE ...)}, which would hold row locks until the rollback), reads tables by
 * name only (no file paths) and calls only the table functions of {@link #TABLE_FUNCTIONS}; it
 * runs in a transaction that is always rolled back, it is cancelled at a deadline, and the
 * database's sandbox (see {@link DuckDb}) refuses ATTACH, INSTALL and setting changes whatever the
 * query tries. The sandbox alone is not enough: it lets the database read its staging folder (the
 * pending uploads) and its own file.
 */
public final class ReadOnlySql {

    public record Column(String name, String type) {
    }

    public record Result(List<Column> columns, List<List<Object>> rows, boolean truncated) {
    }

    /**
     * @param timeout        how long all the queries of one request may run together
     * @param maxRows        rows returned at most
     * @param maxRowChars    the largest row, as text; a larger one fails the query inside DuckDB, before
     *                       the JDBC driver copies a whole chunk (2,048 rows) of it into the heap
     * @param maxResultChars characters of values returned at most (a row of huge strings is as heavy as many rows)
     */
    public record Limits(Duration timeout, int maxRows, long maxRowChars, long maxResultChars) {
    }

    /** Marks our own size refusal among DuckDB's error messages. */
    private static final String ROW_TOO_LARGE = "crm-console: row too large";
    /**
     * The query as a subquery whose rows are refused inside DuckDB when one is too large; the line
     * break ends a trailing {@code --} comment of the query.
     */
    private static final String BOUNDED = "SELECT crm_console.* FROM (%s\n) AS crm_console WHERE CASE WHEN "
            + "length(CAST(crm_console AS VARCHAR)) > ? THEN error('" + ROW_TOO_LARGE + "') ELSE true END LIMIT ?";

    private static final Set<String> QUERY_NODES = Set.of("SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE");
    /** Table functions that compute rows; every other one reads files, settings or runs statements. */
    private static final Set<String> TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DuckDb db;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sql-timeout");
        thread.setDaemon(true);
        return thread;
    });

    public ReadOnlySql(DuckDb db) {
        this.db = db;
    }

    /** Runs {@code query} with the whole timeout of {@code limits}. */
    public Result run(String query, Limits limits) {
        return run(query, limits, Instant.now().plus(limits.timeout()));
    }

    /** Runs {@code query}, cancelled at {@code deadline}: several queries of one request share one deadline. */
    public Result run(String query, Limits limits, Instant deadline) {
        long remaining = Duration.between(Instant.now(), deadline).toMillis();
        if (remaining <= 0) {
            throw cancelled(limits.timeout());
        }
        requireReadOnlySelect(query);
        return db.rolledBack(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(BOUNDED.formatted(withoutSemicolon(query)))) {
                statement.setLong(1, limits.maxRowChars());
                statement.setLong(2, limits.maxRows() + 1L);
                ScheduledFuture<?> cancel = timer.schedule(() -> cancelQuietly(statement), remaining, TimeUnit.MILLISECONDS);
                try {
                    return Cancellation.current() == null ? readAll(statement, limits)
                            : Cancellation.current().run(statement, () -> readAll(statement, limits));
                } finally {
                    cancel.cancel(false);
                }
            } catch (SQLException e) {
                // Binding errors (unknown column, a bad GROUP BY) come from preparing, the rest from running: both are the query's.
                throw refusal(e, limits);
            }
        });
    }

    private void requireReadOnlySelect(String query) {
        String parsed = db.rolledBack(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
                statement.setString(1, query);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getString(1);
                }
            }
        });
        JsonNode tree = JSON.readTree(parsed);
        if (tree.path("error").asBoolean(false)) {
            throw new CrmException(ErrorCode.VALIDATION, "Only a single SELECT statement can run here: "
                    + tree.path("error_message").asString(""), Map.of("query", query));
        }
        if (tree.path("statements").size() != 1) {
            throw new CrmException(ErrorCode.VALIDATION, "Only a single SELECT statement can run here, found "
                    + tree.path("statements").size(), Map.of("query", query));
        }
        requireOnlyReading(tree.path("statements"));
    }

    /** Walks the parsed tree: query nodes, tables by name and table functions must all only read. */
    private static void requireOnlyReading(JsonNode node) {
        if (node.isArray()) {
            node.forEach(ReadOnlySql::requireOnlyReading);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String type = node.path("type").asString("");
        if (type.endsWith("_NODE") && !QUERY_NODES.contains(type)) {
            throw new CrmException(ErrorCode.VALIDATION, "Refused: the SQL console only reads; this query contains "
                    + type.replace("_QUERY_NODE", "").replace("_NODE", "") + " inside a WITH clause or subquery");
        }
        if (type.equals("BASE_TABLE") && !node.path("table_name").asString("").matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new CrmException(ErrorCode.VALIDATION, "Refused: the SQL console reads tables by name, not files ("
                    + node.path("table_name").asString("") + ")");
        }
        if (type.equals("TABLE_FUNCTION")) {
            String function = node.path("function").path("function_name").asString("");
            if (!TABLE_FUNCTIONS.contains(function.toLowerCase(java.util.Locale.ROOT))) {
                throw new CrmException(ErrorCode.VALIDATION, "Refused: the SQL console cannot call " + function
                        + "(); table functions allowed: " + String.join(", ", new java.util.TreeSet<>(TABLE_FUNCTIONS)));
            }
        }
        node.forEach(ReadOnlySql::requireOnlyReading);
    }

    private static Result readAll(PreparedStatement statement, Limits limits) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return read(rows, limits);
        }
    }

    private static Result read(ResultSet rows, Limits limits) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
        }
        List<List<Object>> values = new ArrayList<>();
        boolean truncated = false;
        long chars = 0;
        while (rows.next()) {
            if (values.size() == limits.maxRows()) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                Object value = plain(rows.getObject(i));
                chars += value == null ? 4 : value.toString().length();
                row.add(value);
            }
            if (chars > limits.maxResultChars()) {
                truncated = true;
                break;
            }
            values.add(row);
        }
        return new Result(columns, values, truncated);
    }

    /** JSON-friendly values: numbers, booleans, strings, lists; anything else as its text. */
    private static Object plain(Object value) throws SQLException {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof Array array) {
            List<Object> items = new ArrayList<>();
            for (Object item : (Object[]) array.getArray()) {
                items.add(plain(item));
            }
            return items;
        }
        return value instanceof byte[] bytes ? Arrays.toString(bytes) : value.toString();
    }

    private static String withoutSemicolon(String query) {
        return query.strip().replaceFirst(";+$", "");
    }

    private static CrmException refusal(SQLException e, Limits limits) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        if (message.contains("INTERRUPT")) {
            return cancelled(limits.timeout());
        }
        if (message.contains(ROW_TOO_LARGE)) {
            return new CrmException(ErrorCode.VALIDATION, "A row of the result is longer than " + limits.maxRowChars()
                    + " characters (crm.sql.max-row-chars); select fewer or shorter values");
        }
        if (message.contains("Out of Memory")) {
            return new CrmException(ErrorCode.VALIDATION, "The query needs more memory than the SQL console may use"
                    + " (crm.duckdb.memory-limit); select fewer or smaller values");
        }
        if (message.contains("Permission Error") || message.contains("disabled by configuration")) {
            return new CrmException(ErrorCode.VALIDATION, "Refused: the SQL console can only read the CRM's own tables ("
                    + message + ")");
        }
        return new CrmException(ErrorCode.VALIDATION, "The query failed: " + ConsoleMessages.plain(String.valueOf(e.getMessage())));
    }

    private static CrmException cancelled(Duration timeout) {
        return new CrmException(ErrorCode.VALIDATION, "The query was cancelled after " + timeout.toSeconds() + " s",
                Map.of("timeoutSeconds", timeout.toSeconds()));
    }

    private static void cancelQuietly(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // The query finished as the timer fired; nothing to cancel.
        }
    }
}
