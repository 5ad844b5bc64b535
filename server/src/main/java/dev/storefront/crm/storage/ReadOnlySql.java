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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ad-hoc SQL for admins, read-only by construction: DuckDB must parse the text as exactly one
 * SELECT (it serialises nothing else), it runs in a transaction that is always rolled back, it is
 * cancelled after a timeout, and the database's sandbox (see {@link DuckDb}) refuses files,
 * ATTACH, INSTALL and setting changes whatever the query tries.
 */
public final class ReadOnlySql {

    public record Column(String name, String type) {
    }

    public record Result(List<Column> columns, List<List<Object>> rows, boolean truncated) {
    }

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

    public Result run(String query, int maxRows, Duration timeout) {
        requireSingleSelect(query);
        return db.rolledBack(connection -> {
            try (Statement statement = connection.createStatement()) {
                ScheduledFuture<?> cancel = timer.schedule(() -> cancelQuietly(statement), timeout.toMillis(), TimeUnit.MILLISECONDS);
                try (ResultSet rows = statement.executeQuery(query)) {
                    return read(rows, maxRows);
                } catch (SQLException e) {
                    throw refusal(e, timeout);
                } finally {
                    cancel.cancel(false);
                }
            }
        });
    }

    private void requireSingleSelect(String query) {
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
    }

    private static Result read(ResultSet rows, int maxRows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
        }
        List<List<Object>> values = new ArrayList<>();
        boolean truncated = false;
        while (rows.next()) {
            if (values.size() == maxRows) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(plain(rows.getObject(i)));
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

    private static CrmException refusal(SQLException e, Duration timeout) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        if (message.contains("INTERRUPT")) {
            return new CrmException(ErrorCode.VALIDATION, "The query was cancelled after " + timeout.toSeconds() + " s",
                    Map.of("timeoutSeconds", timeout.toSeconds()));
        }
        if (message.contains("Permission Error") || message.contains("disabled by configuration")) {
            return new CrmException(ErrorCode.VALIDATION, "Refused: the SQL console can only read the CRM's own tables ("
                    + message + ")");
        }
        return new CrmException(ErrorCode.VALIDATION, "The query failed: " + message);
    }

    private static void cancelQuietly(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // The query finished as the timer fired; nothing to cancel.
        }
    }
}
