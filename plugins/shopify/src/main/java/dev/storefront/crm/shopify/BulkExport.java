package dev.storefront.crm.shopify;

import static dev.storefront.crm.shopify.ShopifyWrites.map;
import static dev.storefront.crm.shopify.ShopifyWrites.text;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.sync.SyncRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first read of a connection (customers, products, orders) of a store, as a Shopify bulk
 * operation: {@code bulkOperationRunQuery}, then {@code currentBulkOperation} polled every {@code bulk-poll-ms} until it is
 * COMPLETED (polled at once when the {@code bulk_operations/finish} webhook says it ended), then its JSONL file downloaded to {@code bulk-dir} and read from disk a page of
 * {@code bulk-page-size} lines at a time (never whole in memory). Each step is one poll of the sync,
 * so the sync's cursor, committed with each page, says where a killed run resumes: the operation
 * being waited for ({@code bulk:<id>}) or the byte offset of the next line in its file
 * ({@code bulk:<id>@<offset>}). A FAILED, CANCELED or EXPIRED operation, or a download link that has
 * expired, starts a new operation once; failing again stops the sync with Shopify's error code.
 */
final class BulkExport {

    /** What one step did: the records read, where the connection goes on, and whether it is read to the end. */
    record Step(List<SyncRecord> records, String after, String started, boolean finished) {
    }

    private static final String RUN = "mutation Run($query: String!) { bulkOperationRunQuery(query: $query) {"
            + " bulkOperation { id status createdAt } userErrors { field message } } }";
    private static final String CURRENT = "{ currentBulkOperation { id status errorCode createdAt objectCount fileSize url } }";
    private static final Set<String> ENDED = Set.of("FAILED", "CANCELED", "EXPIRED");
    /** Order names kept to key the line items that follow their order in the file; older ones are read back from the CRM. */
    private static final int ORDER_NAMES = 100_000;

    /** Operations Shopify said ended ({@code bulk_operations/finish}) that no poll has found ended yet. */
    private static final Set<String> FINISHED = new HashSet<>();

    /** Operations that failed once in this process, by shop and connection: a second failure stops the sync. */
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, String> orderNames = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > ORDER_NAMES;
        }
    };

    /**
     * One step of reading {@code connection} of {@code store} from {@code after}: null, or a page
     * cursor of a paged read begun while bulk operations were off, starts an operation.
     */
    Step step(ShopifyClient client, Store store, String connection, String after, String started, PluginContext context)
            throws IOException, InterruptedException {
        if (after == null || !after.startsWith("bulk:")) {
            return start(client, store, connection, started);
        }
        String operation = after.substring("bulk:".length()).replaceFirst("@.*", "");
        Path file = folder(context).resolve(store.shop() + "-" + operation.replaceFirst(".*/", "") + ".jsonl");
        if (!after.contains("@")) {
            return await(client, store, connection, operation, file, started, context);
        }
        if (!Files.exists(file)) {
            // The downloaded file is gone (a cleaned temporary folder): the connection is read again.
            return new Step(List.of(), null, started, false);
        }
        return read(store, connection, operation, file, Long.parseLong(after.substring(after.indexOf('@') + 1)), started, context);
    }

    private Step start(ShopifyClient client, Store store, String connection, String started) throws IOException, InterruptedException {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("query", AdminRecords.bulkQuery(connection));
        Map<String, Object> run = map(client.query(RUN, variables).data().get("bulkOperationRunQuery"));
        List<Map<String, Object>> refused = ShopifyWrites.list(run.get("userErrors"));
        if (!refused.isEmpty()) {
            throw new PluginException("shopify.bulk", "Shopify refused the bulk export of " + connection + " for " + store.shop() + ": "
                    + String.join("; ", refused.stream().map(e -> text(e.get("message"))).toList()));
        }
        Map<String, Object> operation = map(run.get("bulkOperation"));
        return new Step(List.of(), "bulk:" + operation.get("id"), started != null ? started : text(operation.get("createdAt")), false);
    }

    private Step await(ShopifyClient client, Store store, String connection, String operation, Path file, String started,
                       PluginContext context) throws IOException, InterruptedException {
        Map<String, Object> current = map(client.query(CURRENT, new LinkedHashMap<>()).data().get("currentBulkOperation"));
        String status = text(current.get("status"));
        if (!operation.equals(current.get("id")) || ENDED.contains(status)) {
            return again(store, connection, operation.equals(current.get("id")) ? status + " (" + current.get("errorCode") + ")"
                    : "replaced by another bulk operation", started);
        }
        if (!"COMPLETED".equals(status)) {
            awaitPoll(operation, Long.parseLong(context.config("bulk-poll-ms").orElse("2000")));
            return new Step(List.of(), "bulk:" + operation, started, false);
        }
        synchronized (FINISHED) {
            FINISHED.remove(operation);
        }
        Files.createDirectories(file.getParent());
        Path part = file.resolveSibling(file.getFileName() + ".part");
        // No url: the operation found nothing, and its file is empty.
        int answer = current.get("url") == null ? 200 : client.download(text(current.get("url")), part);
        if (answer != 200) {
            Files.deleteIfExists(part);
            return again(store, connection, "its file could not be downloaded (HTTP " + answer + ", the link expires after a week)", started);
        }
        if (current.get("url") == null) {
            Files.writeString(part, "");
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        failedOnce.remove(store.shop() + " " + connection);
        return read(store, connection, operation, file, 0, started, context);
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
        return new Step(List.of(), null, started, false);
    }

    /** Up to {@code bulk-page-size} lines from byte {@code offset}; the file is deleted once read to its end. */
    private Step read(Store store, String connection, String operation, Path file, long offset, String started, PluginContext context)
            throws IOException {
        int most = Integer.parseInt(context.config("bulk-page-size").orElse("1000"));
        AdminRecords records = new AdminRecords(store.shop());
        List<SyncRecord> page = new ArrayList<>();
        long position = offset;
        try (FileChannel channel = FileChannel.open(file)) {
            channel.position(offset);
            BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            for (int n = 0; n < most; n++) {
                String line = lines.readLine();
                if (line == null) {
                    Files.delete(file);
                    return new Step(page, null, started, true);
                }
                // Shopify ends every line with \n alone.
                position += line.getBytes(StandardCharsets.UTF_8).length + 1;
                page.addAll(records(records, store, connection, line, context));
            }
        }
        return new Step(page, "bulk:" + operation + "@" + position, started, false);
    }

    @SuppressWarnings("unchecked")
    private List<SyncRecord> records(AdminRecords records, Store store, String connection, String line, PluginContext context) {
        Map<String, Object> node = (Map<String, Object>) context.json().parse(line);
        String parent = text(node.get("__parentId"));
        if (parent == null) {
            if (connection.equals("orders")) {
                synchronized (orderNames) {
                    orderNames.put(store.shop() + "/" + node.get("id"), text(node.get("name")));
                }
            }
            return records.of(connection, node);
        }
        return List.of(records.lineItem(records.order(parent), orderName(store, parent, context), node));
    }

    /** The name of the order of GID {@code gid}: read earlier in the file, so known here or stored in the CRM. */
    private String orderName(Store store, String gid, PluginContext context) {
        String key = store.shop() + "/" + gid;
        String name;
        synchronized (orderNames) {
            name = orderNames.get(key);
        }
        if (name != null) {
            return name;
        }
        Object number = context.crm().query("orders", Filter.compare("shopify_key", Operator.EQ, key), List.of(), 1).stream()
                .findFirst().map(o -> o.get("order_number"))
                .orElseThrow(() -> new PluginException("shopify.bulk", "A line item of order " + gid + " of " + store.shop()
                        + " came before its order in Shopify's bulk export"));
        return number.toString().substring(ShopifyWrites.orderNumber(store.shop(), "").length());
    }

    private static Path folder(PluginContext context) {
        return context.config("bulk-dir").map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "storefront-crm-shopify"));
    }
}
