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
 * operation: {@code bulkOperationRunQuery}, then that operation polled by its id every {@code bulk-poll-ms} until it is
 * COMPLETED (polled at once when the {@code bulk_operations/finish} webhook says it ended), then its JSONL file downloaded to
 * {@code bulk-dir} and handed to the host {@code bulk-page-size} records per page ({@link JsonLines}): the host reads the
 * file with DuckDB and writes each page set-based through the mappings of {@link AdminRecords#bulkParts}. Each step is
 * one poll of the sync, so the sync's cursor, committed with each page, says where a killed run resumes: the operation
 * being waited for ({@code bulk:<id>}) or the next record of its file and how many it holds ({@code bulk:<id>#<next>/<total>}).
 * The id of an operation just started is also saved in {@code bulk-dir} until its cursor is committed, so a run killed in
 * between finds it again by that id. From API version 2026-01 an app runs up to five bulk queries of a shop at once and
 * {@code currentBulkOperation} answers the newest of them, maybe another's: the sync asks for its own by id
 * ({@code bulkOperation(id:)}; {@code node(id:)} before 2026-01). A FAILED, CANCELED or EXPIRED operation, or a download
 * link that has expired, starts a new operation once; failing again stops the sync with Shopify's error code, after
 * writing the lines a failed operation's partial file holds ({@code partialDataUrl}) without deleting anything ({@code
 * partial:<id>#<next>/<total>}). One Shopify denied for a missing access scope stops it at once. When Shopify refuses
 * to start one because another bulk query of the app runs (before 2026-01, one at a time), that one is waited out. The
 * host keeps the file's records from the first page on, so the file is deleted once a later page is asked for, and files
 * of earlier operations when the next operation starts.
 */
final class BulkExport {

    /** What one step read ({@code lines}, or null), where the connection goes on, and whether it is read to the end. */
    record Step(JsonLines lines, String after, String started, boolean finished) {
    }

    private static final String RUN = "mutation Run($query: String!) { bulkOperationRunQuery(query: $query) {"
            + " bulkOperation { id status createdAt } userErrors { field message } } }";
    /** What the sync reads of an operation. */
    private static final String FIELDS = "id status errorCode createdAt objectCount fileSize url partialDataUrl query";
    /** An operation by its id, from API version {@link #SEVERAL_AT_ONCE} on. */
    private static final String BY_ID = "query Operation($id: ID!) { bulkOperation(id: $id) { " + FIELDS + " } }";
    /** An operation by its id before {@link #SEVERAL_AT_ONCE}: every BulkOperation is a Node. */
    private static final String NODE = "query Operation($id: ID!) { node(id: $id) { ... on BulkOperation { " + FIELDS + " } } }";
    /** The app's newest bulk query: before {@link #SEVERAL_AT_ONCE}, the one that keeps another from starting. */
    private static final String CURRENT = "{ currentBulkOperation { id status } }";
    /** The API version from which Shopify runs several bulk queries of an app at once and reads one by {@code bulkOperation(id:)}. */
    static final String SEVERAL_AT_ONCE = "2026-01";
    /** What Shopify charges a mutation, and the operation object a poll reads (no connection in either). */
    private static final int RUN_COST = 10;
    private static final int POLL_COST = 1;
    private static final Set<String> ENDED = Set.of("FAILED", "CANCELED", "EXPIRED");
    /** The states of an operation a run killed before committing its cursor started that the next run goes on with. */
    private static final Set<String> USABLE = Set.of("CREATED", "RUNNING", "COMPLETED");
    private static final String BULK = "bulk:";
    private static final String PARTIAL = "partial:";

    /** Operations Shopify said ended ({@code bulk_operations/finish}) that no poll has found ended yet. */
    private static final Set<String> FINISHED = new HashSet<>();

    /** Operations Shopify ended ACCESS_DENIED that a sync stopped at. */
    private final Set<String> denied = ConcurrentHashMap.newKeySet();

    /** Operations that failed once in this process, by shop and connection: a second failure stops the sync. */
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    /** Why the sync stops at its next step, by shop and connection: once the partial file of an operation that failed twice is written. */
    private final Map<String, String> stopping = new ConcurrentHashMap<>();

    /**
     * One step of reading {@code connection} of {@code store} from {@code after}: null, or a page
     * cursor of a paged read begun while bulk operations were off, starts an operation.
     */
    Step step(ShopifyClient client, Store store, String connection, String after, String started, PluginContext context)
            throws IOException, InterruptedException {
        boolean partial = after != null && after.startsWith(PARTIAL);
        if (after == null || !after.startsWith(BULK) && !partial) {
            return start(client, store, connection, started, context);
        }
        // An offset in bytes (@) was the cursor of versions that read the file themselves: the file is read again.
        String operation = after.substring(after.indexOf(':') + 1).replaceFirst("[@#].*", "");
        Path file = file(store, operation, context);
        if (!after.contains("#")) {
            return await(client, store, connection, operation, file, started, context);
        }
        // A later page: the host holds the file's records since the first one committed.
        Files.deleteIfExists(file);
        String[] at = after.substring(after.indexOf('#') + 1).split("/");
        return read(store, connection, operation, file, Long.parseLong(at[0]), Long.parseLong(at[1]), started, partial, context);
    }

    private Step start(ShopifyClient client, Store store, String connection, String started, PluginContext context)
            throws IOException, InterruptedException {
        String stop = stopping.remove(key(store, connection));
        if (stop != null) {
            throw new PluginException("shopify.bulk", stop);
        }
        Path saved = saved(store, connection, context);
        if (Files.exists(saved)) {
            // A run killed after starting this operation, before committing its cursor: it is gone on with when it still serves.
            String id = Files.readString(saved).strip();
            Map<String, Object> left = operation(client, store, id);
            if (USABLE.contains(text(left.get("status"))) && AdminRecords.bulkQuery(connection).equals(left.get("query"))) {
                return new Step(null, BULK + id, started != null ? started : text(left.get("createdAt")), false);
            }
        }
        // The connections before this one are committed: their files are no longer read.
        Path folder = folder(context);
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, store.shop() + "-*")) {
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
            // Before 2026-01 Shopify runs one bulk query of an app per shop at a time ("already in progress"): the one running is
            // another's (a run of this sync's would have been found by its saved id above), waited out, then this one is started.
            if (refused.stream().anyMatch(e -> String.valueOf(e.get("message")).contains("already in progress"))) {
                Map<String, Object> current = map(client.query(CURRENT, new LinkedHashMap<>(), POLL_COST).data().get("currentBulkOperation"));
                awaitPoll(text(current.get("id")), pollMillis(context));
                return new Step(null, null, started, false);
            }
            throw new PluginException("shopify.bulk", "Shopify refused the bulk export of " + connection + " for " + store.shop() + ": "
                    + String.join("; ", refused.stream().map(e -> text(e.get("message"))).toList()));
        }
        Map<String, Object> operation = map(run.get("bulkOperation"));
        String id = text(operation.get("id"));
        Files.createDirectories(folder);
        Path writing = saved.resolveSibling(saved.getFileName() + ".part");
        Files.writeString(writing, id);
        Files.move(writing, saved, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Step(null, BULK + id, started != null ? started : text(operation.get("createdAt")), false);
    }

    private Step await(ShopifyClient client, Store store, String connection, String operation, Path file, String started,
                       PluginContext context) throws IOException, InterruptedException {
        // The cursor naming the operation is committed: the id saved when it started has served.
        Files.deleteIfExists(saved(store, connection, context));
        Map<String, Object> found = operation(client, store, operation);
        String status = text(found.get("status"));
        if ("ACCESS_DENIED".equals(found.get("errorCode")) && denied.add(operation)) {
            // The query reads what the app has no access scope for, and a new operation would fail alike: the sync stops. The run
            // after it (the scope granted, or not) finds the operation denied before and starts a new one, as after any failure.
            throw new PluginException("shopify.scope", "Shopify denied the bulk export of " + connection + " for " + store.shop()
                    + " (ACCESS_DENIED): the app needs access scope read_" + connection + "; grant it and run the sync again");
        }
        if (found.isEmpty() || ENDED.contains(status)) {
            return again(client, store, connection, operation, file, found.isEmpty() ? "unknown to Shopify"
                    : status + " (" + found.get("errorCode") + ")", text(found.get("partialDataUrl")), started, context);
        }
        if (!"COMPLETED".equals(status)) {
            awaitPoll(operation, pollMillis(context));
            return new Step(null, BULK + operation, started, false);
        }
        synchronized (FINISHED) {
            FINISHED.remove(operation);
        }
        // No url: the operation found nothing, and its file is empty.
        ShopifyClient.Download answer = download(client, text(found.get("url")), file);
        if (answer.status() != 200) {
            return again(client, store, connection, operation, file, "its file could not be downloaded (HTTP " + answer.status()
                    + ", the link expires after a week)", null, started, context);
        }
        failedOnce.remove(key(store, connection));
        return read(store, connection, operation, file, 1, answer.records(), started, false, context);
    }

    /** {@code id}'s operation as Shopify tells it now, or an empty map when Shopify knows no such operation. */
    private static Map<String, Object> operation(ShopifyClient client, Store store, String id) throws IOException, InterruptedException {
        boolean byId = store.apiVersion().compareTo(SEVERAL_AT_ONCE) >= 0;
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("id", id);
        return map(client.query(byId ? BY_ID : NODE, variables, POLL_COST).data().get(byId ? "bulkOperation" : "node"));
    }

    /** Downloads {@code url} (null: an empty file) to {@code file}, whole or not at all. */
    private static ShopifyClient.Download download(ShopifyClient client, String url, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Path part = file.resolveSibling(file.getFileName() + ".part");
        ShopifyClient.Download answer = url == null ? new ShopifyClient.Download(200, 0) : client.download(url, part);
        if (answer.status() != 200) {
            Files.deleteIfExists(part);
            return answer;
        }
        if (url == null) {
            Files.writeString(part, "");
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return answer;
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

    /**
     * A new operation for the connection after {@code reason}, once. The second time the sync stops: at once when the
     * operation left no partial file ({@code partialUrl} null), else once the lines of that file are written. Shopify
     * says such a file holds part of what was asked (TIMEOUT, INTERNAL_SERVER_ERROR): what it lacks is not gone from the
     * store, so nothing is deleted for it (no order's stored lines replaced), and the next run reads the connection again.
     */
    private Step again(ShopifyClient client, Store store, String connection, String operation, Path file, String reason, String partialUrl,
                       String started, PluginContext context) throws IOException, InterruptedException {
        String key = key(store, connection);
        if (failedOnce.add(key)) {
            return new Step(null, null, started, false);
        }
        failedOnce.remove(key);
        String twice = "Shopify's bulk export of " + connection + " for " + store.shop() + " ended " + reason + " twice";
        ShopifyClient.Download partial = partialUrl == null ? null : download(client, partialUrl, file);
        if (partial == null || partial.status() != 200) {
            throw new PluginException("shopify.bulk", twice + "; run the sync again later");
        }
        stopping.put(key, twice + ": the " + partial.records() + " records of the part it wrote were stored, and nothing was deleted"
                + " for what that part lacks; the next run reads the " + connection + " again");
        return read(store, connection, operation, file, 1, partial.records(), started, true, context);
    }

    /**
     * Records {@code next} on of the {@code total} in the file: a page of {@code bulk-page-size}, or none
     * for an empty file. The file's lines link to their parent by {@code __parentId}; the mappings name
     * values by their path in a line. A {@code partial} file replaces no order's lines, and once written the connection
     * starts again (its next step stops the sync: {@link #again}).
     */
    private static Step read(Store store, String connection, String operation, Path file, long next, long total, String started,
                             boolean partial, PluginContext context) {
        if (next > total) {
            return new Step(null, null, started, !partial);
        }
        // Pages of 250,000 took less CPU than pages of 100,000 once a page skips its empty parts, and pages of 1,000,000
        // more wall than 100,000, both at 2.2M lines on a loaded machine (bench/NOTES.md: h20j nineteenth, h15b sixth session).
        int most = Integer.parseInt(context.config("bulk-page-size").orElse("250000"));
        // A partial file's parts replace nothing: without their `replaces`, no stale order line is deleted for what it lacks.
        List<JsonLines.Part> parts = AdminRecords.bulkParts(store.shop(), connection).stream()
                .map(part -> partial ? new JsonLines.Part(part.rows(), part.items(), part.mapping(), null) : part).toList();
        JsonLines lines = new JsonLines(file, "Shopify's " + (partial ? "partial " : "") + "bulk export of " + connection + " of "
                + store.shop(), next, most, "id", "__parentId", parts);
        if (next + most > total) {
            return new Step(lines, null, started, !partial);
        }
        return new Step(lines, (partial ? PARTIAL : BULK) + operation + "#" + (next + most) + "/" + total, started, false);
    }

    private static String key(Store store, String connection) {
        return store.shop() + " " + connection;
    }

    private static Path file(Store store, String operation, PluginContext context) {
        return folder(context).resolve(store.shop() + "-" + operation.replaceFirst(".*/", "") + ".jsonl");
    }

    /** Where the id of the operation just started over {@code connection} waits for its cursor's commit. */
    private static Path saved(Store store, String connection, PluginContext context) {
        return folder(context).resolve(store.shop() + "-" + connection + ".operation");
    }

    private static Path folder(PluginContext context) {
        return context.config("bulk-dir").map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "storefront-crm-shopify"));
    }
}
