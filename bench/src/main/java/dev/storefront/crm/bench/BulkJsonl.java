package dev.storefront.crm.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The Shopify bulk JSONL rows. Writes a store's customers and orders (two line items each) as the
 * files of Shopify bulk operations (one object per line, slashes escaped, an order's line items as
 * lines of their own with {@code __parentId} after it), and serves them on 127.0.0.1 as Shopify
 * would: {@code bulkOperationRunQuery}, the operation COMPLETED (polled by id, or as the current one), the file's link. The
 * server's first {@code graphql-sync} of the store reads them; the SQL side reads the same files
 * with DuckDB's {@code read_json}. The stand-in notes when each file's download ended and when the
 * next operation was asked for: in between, the server ingested that file.
 */
final class BulkJsonl implements AutoCloseable {

    static final String TOKEN = "shpat_bench_bulk";
    private static final Pattern CONNECTION = Pattern.compile("\\{\\s*(customers|products|orders)\\s*\\{");

    private final Path customers;
    private final Path orders;
    private final long lines;
    private final int customerLines;
    private final HttpServer server;
    private volatile String connection = "customers";
    /** What the stand-in was asked, in order since {@link #restart}: a download's end, or an operation's start. */
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    /** When the server says the sync since {@link #restart} ended (epoch ms). */
    private volatile long ended;

    private record Event(boolean downloaded, long millis) {
    }

    /**
     * Writes {@code count} customers and orders of ten lines per customer (an order and its two line items
     * are three), each order of a customer, into {@code folder}, and starts serving them.
     */
    BulkJsonl(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        customers = folder.resolve("bulk-customers.jsonl");
        orders = folder.resolve("bulk-orders.jsonl");
        int orderCount = (int) ((10L * count + 2) / 3);
        try (BufferedWriter out = Files.newBufferedWriter(customers, StandardCharsets.UTF_8)) {
            for (int n = 1; n <= count; n++) {
                out.write(String.format(Locale.ROOT, "{\"id\":\"gid:\\/\\/shopify\\/Customer\\/%d\",\"firstName\":\"Bulk\",\"lastName\":"
                        + "\"Customer %d\",\"defaultEmailAddress\":{\"emailAddress\":\"bulk%d@example.com\"},\"defaultPhoneNumber\":null,"
                        + "\"updatedAt\":\"2025-03-01T10:00:00Z\",\"note\":null,\"tags\":[\"bulk\"]}%n", 5_000_000 + n, n, n));
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(orders, StandardCharsets.UTF_8)) {
            for (int n = 1; n <= orderCount; n++) {
                int customer = 1 + (int) ((n * 2_654_435_761L) % count);
                out.write(String.format(Locale.ROOT, "{\"id\":\"gid:\\/\\/shopify\\/Order\\/%d\",\"name\":\"#B%d\",\"createdAt\":"
                        + "\"2025-03-02T10:00:00Z\",\"updatedAt\":\"2025-03-02T10:00:00Z\",\"cancelledAt\":null,\"displayFinancialStatus\":\"PAID\","
                        + "\"displayFulfillmentStatus\":\"FULFILLED\",\"currencyCode\":\"USD\",\"totalPriceSet\":{\"shopMoney\":{\"amount\":\"%d.50\"}},"
                        + "\"customer\":{\"id\":\"gid:\\/\\/shopify\\/Customer\\/%d\",\"defaultEmailAddress\":{\"emailAddress\":\"bulk%d@example.com\"}},"
                        + "\"refunds\":[]}%n", 7_000_000 + n, n, 20 + n % 80, 5_000_000 + customer, customer));
                for (int line = 1; line <= 2; line++) {
                    out.write(String.format(Locale.ROOT, "{\"id\":\"gid:\\/\\/shopify\\/LineItem\\/%d\",\"sku\":\"SKU-%d\",\"name\":\"Item %d\","
                            + "\"quantity\":%d,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"%d.25\"}},\"product\":null,"
                            + "\"__parentId\":\"gid:\\/\\/shopify\\/Order\\/%d\"}%n", 9_000_000 + 2L * n + line, line, line, line, 10 + line, 7_000_000 + n));
                }
            }
        }
        lines = count + 3L * orderCount;
        customerLines = count;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Lines in the two files: the customers, the orders and their two lines each. */
    long lines() {
        return lines;
    }

    /** Lines in the customers file. */
    int customerLines() {
        return customerLines;
    }

    Path customers() {
        return customers;
    }

    Path orders() {
        return orders;
    }

    /** The server settings of the bench store's Shopify plugin that point it at these files. */
    List<String> serverArgs(Path bulkDir) {
        return List.of("--crm.plugins.shopify.shop=" + WebhookIngest.SHOP, "--crm.plugins.shopify.access-token=" + TOKEN,
                "--crm.plugins.shopify.url=http://127.0.0.1:" + server.getAddress().getPort(),
                "--crm.plugins.shopify.bulk-dir=" + bulkDir, "--crm.plugins.shopify.bulk-poll-ms=50",
                "--crm.plugins.shopify.jobs.reconcile.cron=off");
    }

    /** Forgets what the stand-in was asked: a new sync begins. */
    void restart() {
        events.clear();
        ended = 0;
    }

    /** The sync since {@link #restart} ended at {@code millis} (epoch ms, the server's job end). */
    void ended(long millis) {
        ended = millis;
    }

    /**
     * The time the server spent ingesting the files in the sync since {@link #restart}: from each download's
     * end to the next operation's start, or to the sync's end.
     */
    long ingestMillis() {
        long ingest = 0;
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).downloaded()) {
                    long next = i + 1 < events.size() ? events.get(i + 1).millis() : ended;
                    ingest += next - events.get(i).millis();
                }
            }
        }
        return ingest;
    }

    /** Deletes the files, and what the server downloaded into {@code bulkDir}. */
    void delete(Path bulkDir) throws IOException {
        Files.deleteIfExists(customers);
        Files.deleteIfExists(orders);
        if (Files.isDirectory(bulkDir)) {
            try (Stream<Path> files = Files.list(bulkDir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/bulk/")) {
            Path file = path.endsWith("customers.jsonl") ? customers : orders;
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
            events.add(new Event(true, System.currentTimeMillis()));
            return;
        }
        if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"))) {
            send(exchange, 401, "{\"errors\":\"[API] Invalid API key or access token\"}");
            return;
        }
        JsonNode request = GraphQl.JSON.readTree(exchange.getRequestBody().readAllBytes());
        String now = Instant.now().toString();
        if (request.path("query").asString().contains("bulkOperationRunQuery")) {
            Matcher matcher = CONNECTION.matcher(request.path("variables").path("query").asString());
            connection = matcher.find() ? matcher.group(1) : "none";
            events.add(new Event(false, System.currentTimeMillis()));
            send(exchange, 200, GraphQl.JSON.writeValueAsString(Map.of("data", Map.of("bulkOperationRunQuery", Map.of(
                    "bulkOperation", Map.of("id", "gid://shopify/BulkOperation/" + connection, "status", "CREATED", "createdAt", now),
                    "userErrors", List.of())))));
            return;
        }
        String file = switch (connection) {
            case "customers", "orders" -> "\"http://127.0.0.1:" + server.getAddress().getPort() + "/bulk/" + connection + ".jsonl\"";
            default -> "null";
        };
        // Polled by id (node(id:) before API version 2026-01, bulkOperation(id:) from then on) or, by older servers, as the current one.
        String query = request.path("query").asString();
        String field = query.contains("node(") ? "node" : query.contains("bulkOperation(") ? "bulkOperation" : "currentBulkOperation";
        send(exchange, 200, "{\"data\":{\"" + field + "\":{\"id\":\"gid://shopify/BulkOperation/" + connection
                + "\",\"status\":\"COMPLETED\",\"errorCode\":null,\"createdAt\":\"" + now + "\",\"objectCount\":\"0\",\"fileSize\":null,\"url\":"
                + file + "}}}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
