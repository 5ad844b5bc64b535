package dev.storefront.crm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store given as CSV files, so the same data can be served by another system and compared:
 * {@code customers.csv}, {@code orders.csv}, {@code support_tickets.csv}, with a header row naming
 * table columns (see the README). The server creates the tables from the model; the rows are then
 * loaded with DuckDB's CSV reader while the server is stopped, and customer totals are recomputed
 * from the orders when the file leaves them out.
 */
final class CsvStore {

    static final List<String> TABLES = List.of("customers", "orders", "support_tickets");

    private CsvStore() {
    }

    static long load(Options options, Path base) throws Exception {
        Files.createDirectories(base.getParent());
        long started = System.nanoTime();
        try (ServerProcess server = ServerProcess.start(options.jar(), base, options.schema(), base.resolveSibling("create.log"),
                List.of(), Duration.ofMinutes(5))) {
            BenchMain.log("tables created by the server (pid " + server.pid() + ")");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + base.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            for (String table : TABLES) {
                Path file = options.csv().resolve(table + ".csv");
                if (!Files.exists(file)) {
                    throw new IllegalArgumentException("Missing " + file);
                }
                String source = "read_csv('" + file.toAbsolutePath().toString().replace("'", "''") + "', header = true)";
                boolean stamped = columns(statement, source).contains("created_at");
                statement.execute("INSERT INTO " + table + " BY NAME SELECT "
                        + (stamped ? "" : "now() AS created_at, now() AS updated_at, ") + "* FROM " + source);
            }
            if (!columns(statement, "read_csv('" + options.csv().resolve("customers.csv").toAbsolutePath().toString()
                    .replace("'", "''") + "', header = true)").contains("total_orders")) {
                statement.execute("UPDATE customers SET total_orders = coalesce(t.n, 0), lifetime_value = coalesce(t.v, 0),"
                        + " average_order_value = round(t.v / t.n, 2), first_purchase_date = t.f, last_purchase_date = t.l"
                        + " FROM (SELECT c.id, count(o.id) AS n, sum(o.total_amount) AS v, min(o.order_date)::DATE AS f,"
                        + " max(o.order_date)::DATE AS l FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id) t"
                        + " WHERE t.id = customers.id");
            }
            statement.execute("CHECKPOINT");
        }
        return Math.round((System.nanoTime() - started) / 1e6);
    }

    static void export(Path base, Path folder) throws Exception {
        Files.createDirectories(folder);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + base.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            for (String table : TABLES) {
                statement.execute("COPY (SELECT * FROM " + table + " ORDER BY id) TO '"
                        + folder.resolve(table + ".csv").toAbsolutePath().toString().replace("'", "''") + "' (HEADER)");
            }
        }
    }

    static Map<String, Object> counts(Path base) throws SQLException {
        Map<String, Object> counts = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + base.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            for (String table : List.of("customers", "orders", "order_items", "support_tickets", "returns", "campaign_recipients")) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rows.next();
                    counts.put(table, rows.getLong(1));
                }
            }
        }
        return counts;
    }

    private static String columns(Statement statement, String source) throws SQLException {
        StringBuilder names = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (rows.next()) {
                names.append(rows.getString(1)).append(',');
            }
        }
        return "," + names;
    }
}
