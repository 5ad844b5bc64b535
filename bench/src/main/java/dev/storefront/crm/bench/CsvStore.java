package dev.storefront.crm.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import tools.jackson.databind.JsonNode;

/**
 * A store given as CSV files, so the same data can be served by another system and compared:
 * {@code customers.csv}, {@code orders.csv}, {@code support_tickets.csv} (columns in the README).
 * They are loaded through the server's generic CSV importers ({@code POST /imports/csv:<object>}),
 * the path a user's import takes; orders and tickets name their customer and order by a unique field
 * ({@code customer.email}, {@code order.order_number}), so the files need not share ids with the store.
 * Customer totals are recomputed from the orders afterwards when the file leaves them out.
 */
final class CsvStore {

    static final List<String> TABLES = List.of("customers", "orders", "support_tickets");
    private static final Duration IMPORT_LIMIT = Duration.ofHours(2);
    /**
     * How often a job's state is asked while it runs. Its end is seen up to this late, and that time is
     * counted as the job's: at 500 ms it was ~3-6% of a 1M-row import. A poll costs the server well under
     * a millisecond of CPU.
     */
    private static final Duration JOB_POLL = Duration.ofMillis(50);

    private CsvStore() {
    }

    static long load(Options options, Path base) throws Exception {
        Files.createDirectories(base.getParent());
        long started = System.nanoTime();
        try (ServerProcess server = ServerProcess.start(options.jar(), base, options.schema(), base.resolveSibling("import.log"),
                List.of(), Duration.ofMinutes(5))) {
            HttpClient http = HttpClient.newHttpClient();
            GraphQl graphQl = new GraphQl(server.uri(""), ServerProcess.KEY);
            for (String table : TABLES) {
                Path file = options.csv().resolve(table + ".csv");
                if (!Files.exists(file)) {
                    throw new IllegalArgumentException("Missing " + file);
                }
                long rows = importFile(http, graphQl, server, "csv:" + table, file);
                BenchMain.log("imported " + rows + " rows of " + file + " through csv:" + table);
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + base.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            // Customer metrics need nothing here: the server's importers recompute them chunk by chunk.
            statement.execute("CHECKPOINT");
        }
        return Math.round((System.nanoTime() - started) / 1e6);
    }

    /** Uploads one file, waits for its import job and returns how many rows it wrote; any bad row fails the load. */
    static long importFile(HttpClient http, GraphQl graphQl, ServerProcess server, String importer, Path file)
            throws IOException, InterruptedException {
        HttpRequest upload = HttpRequest.newBuilder(server.uri("/imports/" + importer)).header("Content-Type", "text/csv")
                .header("Authorization", ServerProcess.AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> accepted = http.send(upload, HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException(importer + " refused " + file + ": " + accepted.body());
        }
        return awaitJob(graphQl, importer, GraphQl.JSON.readTree(accepted.body()).path("jobId").asString());
    }

    /** Waits for job {@code id} ({@code name} in messages); returns what it processed; any bad record fails it. */
    static long awaitJob(GraphQl graphQl, String name, String id) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + IMPORT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = graphQl.run("query($id: ID!) { job(id: $id) { state processed message errors { row column value reason } } }",
                    Map.of("id", id)).path("job");
            String state = job.path("state").asString();
            if (state.equals("SUCCEEDED") && job.path("errors").isEmpty()) {
                return job.path("processed").asLong();
            }
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                throw new IllegalStateException(name + " " + state + ": " + job.path("message").asString("") + " " + job.path("errors"));
            }
            Thread.sleep(JOB_POLL.toMillis());
        }
        throw new IllegalStateException(name + " did not finish within " + IMPORT_LIMIT);
    }

    /**
     * Writes the three files from a store: table columns, but a customer's company is left out (no
     * companies file), relations become the target's unique field, and lists are JSON arrays.
     */
    static void export(Path base, Path folder) throws Exception {
        Files.createDirectories(folder);
        Map<String, String> queries = Map.of(
                "customers", "SELECT * EXCLUDE (company_id, tags), to_json(tags)::VARCHAR AS tags FROM customers ORDER BY id",
                "orders", "SELECT o.* EXCLUDE (customer_id), c.email AS \"customer.email\" FROM orders o"
                        + " LEFT JOIN customers c ON c.id = o.customer_id ORDER BY o.id",
                "support_tickets", "SELECT t.* EXCLUDE (customer_id, order_id), c.email AS \"customer.email\","
                        + " o.order_number AS \"order.order_number\" FROM support_tickets t LEFT JOIN customers c ON c.id = t.customer_id"
                        + " LEFT JOIN orders o ON o.id = t.order_id ORDER BY t.id");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + base.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            for (String table : TABLES) {
                statement.execute("COPY (" + queries.get(table) + ") TO '"
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
}
