package dev.storefront.crm.shopify;

import static dev.storefront.crm.shopify.ShopifyWrites.map;
import static dev.storefront.crm.shopify.ShopifyWrites.text;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.sync.JsonLines;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first read of a connection (customers, products, orders) of a store, as a Shopify bulk
 * operation: {@code bulkOperationRunQuery}, then {@code currentBulkOperation} polled every {@code bulk-poll-ms} until it is
 * COMPLETED (polled at once when the {@code bulk_operations/finish} webhook says it ended), then its JSONL file downloaded to
 * {@code bulk-dir} and handed to the host {@code bulk-page-size} records per page ({@link JsonLines}): the host reads the
 * file with DuckDB and writes each page set-based through the mappings of {@link AdminRecords#bulkParts}. Each step is
 * one poll of the sync, so the sync's cursor, committed with each page, says where a killed run resumes: the operation
 * being waited for ({@code bulk:<id>}) or the next record of its file and how many it holds ({@code bulk:<id>#<next>/<total>}).
 * A FAILED, CANCELED or EXPIRED operation, or a download link that has expired, starts a new operation once; failing
 * again stops the sync with Shopify's error code; one Shopify denied for a missing access scope stops it at once. A
 * bulk query of the app that Shopify still runs when one is started is read when it is the same query (a run killed
 * before committing its cursor started it), else waited out. The host keeps the file's records from the first page
 * on, so the file is deleted once a later page is asked for, and files of earlier operations when the next operation
 * starts.
 */
final class BulkExport {

    /** What one step read ({@code lines}, or null), where the connection goes on, and whether it is read to the end. */
    record Step(JsonLines lines, String after, String started, boolean finished) {
    }

    private static final String RUN = "mutation Run($query: String!) { bulkOperationRunQuery(query: $query) {"
            + " bulkOperation { id status createdAt } userErrors { field message } } }";
    private static final String CURRENT = "{ currentBulkOperation { id status errorCode createdAt objectCount fileSize url query } }";
    /** What Shopify charges a mutation, and the operation object {@link #CURRENT} reads (no connection in either). */
    private static final int RUN_COST = 10;
    private static final int CURRENT_COST = 1;
    private static final Set<String> ENDED = Set.of("FAILED", "CANCELED", "EXPIRED");
    private static final Set<String> RUNNING = Set.of("CREATED", "RUNNING", "CANCELING");

    /** Operations Shopify said ended ({@code bulk_operations/finish}) that no poll has found ended yet. */
    private static final Set<String> FINISHED = new HashSet<>();

    /** Operations Shopify ended ACCESS_DENIED that a sync stopped at. */
    private final Set<String> denied = ConcurrentHashMap.newKeySet();

    /** Operations that failed once in this process, by shop and connection: a second failure stops the sync. */
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    /**
     * One step of reading {@code connection} of {@code store} from {@code after}: null, or a page
     * cursor of a paged read begun while bulk operations were off, starts an operation.
     */
    Step step(ShopifyClient client, Store store, String connection, String after, String started, PluginContext context)
            throws IOException, InterruptedException {
        if (after == null || !after.startsWith("bulk:")) {
            return start(client, store, connection, started, context);
        }
        // An offset in bytes (@) was the cursor of versions that read the file themselves: the file is read again.
        String operation = after.substring("bulk:".length()).replaceFirst("[@#].*", "");
        Path file = file(store, operation, context);
        if (!after.contains("#")) {
            return await(client, store, connection, operation, file, started, context);
        }
        // A later page: the host holds the file's records since the first one committed.
        Files.deleteIfExists(file);
        String[] at = after.substring(after.indexOf('#') + 1).split("/");
        return read(store, connection, operation, file, Long.parseLong(at[0]), Long.parseLong(at[1]), started, context);
    }

    private Step start(ShopifyClient client, Store store, String connection, String started, PluginContext context)
            throws IOException, InterruptedException {
        // The connections before this one are committed: their files are no longer read.
        Path folder = folder(context);
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, store.shop() + "-*.jsonl")) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("query", AdminRecords.bulkQuery(connection));
        Map<String, Object> run = map(client.query(RUN, variables, RUN_COST).data().get("bulkOperationRunQuery"));
        List<Map<String, Object>> refused = ShopifyWrites.list(run.get("userErrors"));
        if (!refused.isEmpty()) {
            // Shopify runs one bulk query of an app per shop at a time ("already in progress"). One of this very query is the
            // one a run killed before committing its cursor had started: it is waited for and read. Another is waited out.
            if (refused.stream().anyMatch(e -> String.valueOf(e.get("message")).contains("already in progress"))) {
                Map<String, Object> current = current(client);
                boolean running = RUNNING.contains(text(current.get("status")));
                if (running && AdminRecords.bulkQuery(connection).equals(current.get("query"))) {
                    return new Step(null, "bulk:" + current.get("id"), started != null ? started : text(current.get("createdAt")), false);
                }
                // Started again at the next poll; at once when the other operation ended since.
                if (running) {
                    awaitPoll(text(current.get("id")), pollMillis(context));
                }
                return new Step(null, null, started, false);
            }
            throw new PluginException("shopify.bulk", "Shopify refused the bulk export of " + connection + " for " + store.shop() + ": "
                    + String.join("; ", refused.stream().map(e -> text(e.get("message"))).toList()));
        }
        Map<String, Object> operation = map(run.get("bulkOperation"));
        return new Step(null, "bulk:" + operation.get("id"), started != null ? started : text(operation.get("createdAt")), false);
    }

    private Step await(ShopifyClient client, Store store, String connection, String operation, Path file, String started,
                       PluginContext context) throws IOException, InterruptedException {
        Map<String, Object> current = current(client);
        String status = text(current.get("status"));
        if (operation.equals(current.get("id")) && "ACCESS_DENIED".equals(current.get("errorCode")) && denied.add(operation)) {
            // The query reads what the app has no access scope for, and a new operation would fail alike: the sync stops. The run
            // after it (the scope granted, or not) finds the operation denied before and starts a new one, as after any failure.
            throw new PluginException("shopify.scope", "Shopify denied the bulk export of " + connection + " for " + store.shop()
                    + " (ACCESS_DENIED): the app needs access scope read_" + connection + "; grant it and run the sync again");
        }
        if (!operation.equals(current.get("id")) || ENDED.contains(status)) {
            return again(store, connection, operation.equals(current.get("id")) ? status + " (" + current.get("errorCode") + ")"
                    : "replaced by another bulk operation", started);
        }
        if (!"COMPLETED".equals(status)) {
            awaitPoll(operation, pollMillis(context));
            return new Step(null, "bulk:" + operation, started, false);
        }
        synchronized (FINISHED) {
            FINISHED.remove(operation);
        }
        Files.createDirectories(file.getParent());
        Path part = file.resolveSibling(file.getFileName() + ".part");
        // No url: the operation found nothing, and its file is empty.
        ShopifyClient.Download answer = current.get("url") == null ? new ShopifyClient.Download(200, 0)
                : client.download(text(current.get("url")), part);
        if (answer.status() != 200) {
            Files.deleteIfExists(part);
            return again(store, connection, "its file could not be downloaded (HTTP " + answer.status() + ", the link expires after a week)",
                    started);
        }
        if (current.get("url") == null) {
            Files.writeString(part, "");
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        failedOnce.remove(store.shop() + " " + connection);
        return read(store, connection, operation, file, 1, answer.records(), started, context);
    }

    private static Map<String, Object> current(ShopifyClient client) throws IOException, InterruptedException {
        return map(client.query(CURRENT, new LinkedHashMap<>(), CURRENT_COST).data().get("currentBulkOperation"));
    }

    private static long pollMillis(PluginContext context) {
        return Long.parseLong(context.config("bulk-poll-ms").orElse("2000"));
    }

    /**
     * Shopify said {@code operation} (its GID) ended, by the {@code bulk_operations/finish} webhook: a
     * sync waiting for it polls now instead of at its next poll.
     */
    static void finished(String operation) {
        synchronized (FINISHED) {
            FINISHED.add(operation);
            FINISHED.notifyAll();
        }
    }

    /** Waits until the next poll of {@code operation}, {@code millis} from now, or less when Shopify says it ended. */
    private static void awaitPoll(String operation, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (FINISHED) {
            for (long left = millis; !FINISHED.remove(operation) && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                FINISHED.wait(left);
            }
        }
    }

    /** A new operation for the connection after {@code reason}, once; the second time the sync stops. */
    private Step again(Store store, String connection, String reason, String started) {
        if (!failedOnce.add(store.shop() + " " + connection)) {
            failedOnce.remove(store.shop() + " " + connection);
            throw new PluginException("shopify.bulk", "Shopify's bulk export of " + connection + " for " + store.shop()
                    + " ended " + reason + " twice; run the sync again later");
        }
        return new Step(null, null, started, false);
    }

    /**
     * Records {@code next} on of the {@code total} in the file: a page of {@code bulk-page-size}, or none
     * for an empty file. The file's lines link to their parent by {@code __parentId}; the mappings name
     * values by their path in a line.
     */
    private static Step read(Store store, String connection, String operation, Path file, long next, long total, String started,
                             PluginContext context) {
        if (next > total) {
            return new Step(null, null, started, true);
        }
        // Pages of 250,000 took less CPU than pages of 100,000 once a page skips its empty parts, and pages of 1,000,000
        // more wall than 100,000, both at 2.2M lines on a loaded machine (bench/NOTES.md: h20j nineteenth, h15b sixth session).
        int most = Integer.parseInt(context.config("bulk-page-size").orElse("250000"));
        JsonLines lines = new JsonLines(file, "Shopify's bulk export of " + connection + " of " + store.shop(), next, most, "id", "__parentId",
                AdminRecords.bulkParts(store.shop(), connection));
        return next + most > total ? new Step(lines, null, started, true)
                : new Step(lines, "bulk:" + operation + "#" + (next + most) + "/" + total, started, false);
    }

    private static Path file(Store store, String operation, PluginContext context) {
        return folder(context).resolve(store.shop() + "-" + operation.replaceFirst(".*/", "") + ".jsonl");
    }

    private static Path folder(PluginContext context) {
        return context.config("bulk-dir").map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "storefront-crm-shopify"));
    }
}
