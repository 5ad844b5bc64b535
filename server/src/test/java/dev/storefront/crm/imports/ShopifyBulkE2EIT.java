package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.line;
import static dev.storefront.crm.imports.ShopifyStoreData.order;
import static dev.storefront.crm.imports.ShopifyStoreData.product;
import static dev.storefront.crm.imports.ShopifyStoreData.refund;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import dev.storefront.crm.plugins.TestPlugins;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The first sync of a store through Shopify bulk operations, with the real plugin jar and server (a
 * child process on a database of this class's own) against a Shopify-like server that runs them for
 * real: {@code bulkOperationRunQuery}, the operation polled by id ({@code node(id:)} on 2025-10) RUNNING then COMPLETED, a JSONL
 * download (escaped slashes, line items as lines of their own after their order), an operation that
 * FAILED and a link that expired, a kill while the file is read, and the {@code bulk_operations/finish}
 * webhook that has the sync read a finished operation at once. The store: the sample customers, and products and orders with line
 * items and refunds generated here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopifyBulkE2EIT {

    private static final String SHOP = "northwind-knits.myshopify.com";
    private static final String SECRET = "northwind_bulk_webhook_secret";
    private static final FakeShopify SHOPIFY = new FakeShopify();
    /** When the bulk operations start on Shopify's clock; every node of the store is older. */
    private static final String STARTED = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    /** The next run's since: the first operation's start less the default overlap of 300 s. */
    private static final String SINCE = Instant.parse(STARTED).minusSeconds(300).toString();
    /** The store's time zone: a refund at 03:00 UTC is of the day before there, on every path. */
    private static final java.time.ZoneId STORE_ZONE = java.time.ZoneId.of("America/Los_Angeles");
    private static final ShopifyStoreData STORE = new ShopifyStoreData(SHOPIFY, SHOP, "gid://shopify/Order/", () -> ShopifyBulkE2EIT.server,
            STORE_ZONE);
    private static CrmProcess server;
    private static List<String> arguments;
    private static Path bulkDir;

    @BeforeAll
    static void start() throws Exception {
        Path folder = TestFolders.create("crm-shopify-bulk");
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestPlugins.bundledJar("shopify"), plugins.resolve("shopify.jar"));
        bulkDir = folder.resolve("bulk");
        SHOPIFY.bulkCreatedAt = STARTED;
        putProductsAndOrders();
        arguments = List.of(
                "--crm.database=" + folder.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(),
                "--crm.plugins-dir=" + plugins,
                "--crm.timezone=" + STORE_ZONE.getId(),
                "--crm.plugins.shopify.shop=" + SHOP,
                "--crm.plugins.shopify.access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.url=" + SHOPIFY.url(),
                "--crm.plugins.shopify.bulk-dir=" + bulkDir,
                "--crm.plugins.shopify.bulk-poll-ms=20",
                "--crm.plugins.shopify.bulk-page-size=10",
                "--crm.plugins.shopify.webhook-secret=" + SECRET,
                // The reconciliation runs when a test asks, not on the hour in the middle of another.
                "--crm.plugins.shopify.jobs.reconcile.cron=off");
        server = CrmProcess.start(Path.of("target", "shopify-bulk-e2e-server.log"), arguments);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
    }

    @Test
    @Order(1)
    void aFirstSyncReadsEachConnectionThroughABulkOperation() throws Exception {
        Map<String, Object> job = STORE.runJob("graphql-sync", null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", STORE.syncedRecords());
        STORE.assertSynced();
        assertThat(SHOPIFY.bulkQueries).containsExactly("customers", "products", "orders");
        // Refunded at 03:00 UTC, in the evening before in Los Angeles (the file's times are UTC).
        assertThat(STORE.rows("SELECT concat_ws('|', r.shopify_key, r.return_date) FROM returns r ORDER BY 1")).containsExactly(
                SHOP + "/gid://shopify/Refund/9902|2025-03-11", SHOP + "/gid://shopify/Refund/9905|2025-03-14",
                SHOP + "/gid://shopify/Refund/9908|2025-03-17");
        assertThat(SHOPIFY.bulkPolls).hasValue(3 * (FakeShopify.RUNNING_POLLS + 1));
        assertThat(pagedQueries()).isZero();
        // Later runs ask for what changed since the first operation began (less the overlap).
        assertThat(cursor()).isEqualTo("0|customers|||" + SINCE);
        try (Stream<Path> files = Files.list(bulkDir)) {
            assertThat(files.toList()).as("downloaded files are deleted once read").isEmpty();
        }
    }

    @Test
    @Order(2)
    void aLaterRunPagesWhatChangedSinceTheBulkOperationsBegan() throws Exception {
        SHOPIFY.queries.clear();
        String now = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        SHOPIFY.put("orders", order(6012745500003L, "#3003", 7412883144723L, "2025-03-09T10:00:00Z", now, null, "REFUNDED", "FULFILLED",
                "90.0", List.of(line(35030, 3, "30.0", 8801000000002L)), List.of(refund(9931, "2025-03-10T02:30:00Z", "Wrong colour", "90.0"))));
        // The order, its line and its refund, dated by the store's day as the bulk export's.
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 3);
        assertThat(STORE.rows("SELECT return_date FROM returns WHERE shopify_key = '" + SHOP + "/gid://shopify/Refund/9931'"))
                .containsExactly("2025-03-09");
        assertThat(SHOPIFY.queries).hasSize(3).allSatisfy(q -> assertThat(q).containsEntry("query", "updated_at:>'" + SINCE + "'"));
        assertThat(SHOPIFY.bulkQueries).hasSize(3);
        STORE.assertSynced();
    }

    @Test
    @Order(3)
    void aFailedOperationOrAnExpiredLinkStartsTheOperationAgain() throws Exception {
        for (FakeShopify.Fault fault : List.of(FakeShopify.Fault.BULK_FAILED, FakeShopify.Fault.BULK_LINK_EXPIRED)) {
            SHOPIFY.bulkQueries.clear();
            SHOPIFY.fail(fault);
            int records = STORE.syncedRecords();
            assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).as(fault.name()).containsEntry("state", "SUCCEEDED")
                    .containsEntry("message", "Synced " + records + " records: 0 new, 0 changed, " + records + " unchanged; 0 skipped");
            assertThat(SHOPIFY.bulkQueries).as(fault.name()).containsExactly("customers", "customers", "products", "orders");
            STORE.assertSynced();
        }
    }

    @Test
    @Order(4)
    void anOperationFailingTwiceStopsTheSyncClearlyAndChangesNothing() throws Exception {
        String entries = "SELECT concat_ws('|', id, updated_at) FROM customers UNION ALL SELECT concat_ws('|', id, updated_at) FROM orders "
                + "ORDER BY 1";
        List<String> before = STORE.rows(entries);
        SHOPIFY.fail(FakeShopify.Fault.BULK_FAILED, FakeShopify.Fault.BULK_FAILED);
        assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).containsEntry("state", "FAILED").containsEntry("message",
                "Shopify's bulk export of customers for " + SHOP + " ended FAILED (INTERNAL_SERVER_ERROR) twice; run the sync again later");
        assertThat(STORE.rows(entries)).containsExactlyElementsOf(before);
    }

    @Test
    @Order(5)
    void aSyncKilledWhileShopifyRunsTheOperationResumesWithItAndEndsAsAnUninterruptedRun() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        SHOPIFY.bulkQueries.clear();
        SHOPIFY.beforeAnswer = (connection, variables) -> {
            if (connection.equals("bulkOperation") && SHOPIFY.bulkQueries.equals(List.of("customers", "products", "orders"))
                    && reached.getCount() == 1) {
                reached.countDown();
                await(killed);
            }
        };
        String id = STORE.startJob("graphql-sync", "{\"full\": true}");
        await(reached);
        server.kill();
        killed.countDown();
        SHOPIFY.beforeAnswer = (connection, variables) -> { };

        server = CrmProcess.start(Path.of("target", "shopify-bulk-e2e-server.log"), arguments);
        assertThat(STORE.job(id)).containsEntry("state", "INTERRUPTED");
        // Customers and products are committed; the cursor waits for the orders' operation.
        assertThat(cursor()).startsWith("0|orders|bulk:gid://shopify/BulkOperation/");
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED");
        assertThat(SHOPIFY.bulkQueries).as("the operation Shopify was running is not started again")
                .containsExactly("customers", "products", "orders");
        STORE.assertSynced();
    }

    @Test
    @Order(6)
    void theReconciliationHealsADeliveryThatNeverArrived() throws Exception {
        // Shopify refunded an order; its orders/updated delivery never arrived.
        Map<String, Object> refunded = new java.util.LinkedHashMap<>(SHOPIFY.nodes("orders").stream()
                .filter(o -> o.get("name").equals("#3006")).findFirst().orElseThrow());
        refunded.put("updatedAt", Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString());
        refunded.put("displayFinancialStatus", "REFUNDED");
        SHOPIFY.put("orders", refunded);
        SHOPIFY.queries.clear();
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> job = STORE.runJob("reconcile", null);
        Instant after = Instant.now();
        // Its first run reads the last 24 hours, paged, never through a bulk operation.
        String since = ((String) SHOPIFY.queries.get(0).get("query")).replaceAll("^updated_at:>'|'$", "");
        assertThat(Instant.parse(since)).isBetween(before.minus(java.time.Duration.ofHours(24)), after.minus(java.time.Duration.ofHours(24)));
        assertThat(SHOPIFY.queries).hasSize(3).allSatisfy(q -> assertThat(q).containsEntry("query", "updated_at:>'" + since + "'"));
        int records = STORE.recordsUpdatedAfter(since);
        assertThat(job).containsEntry("state", "SUCCEEDED")
                .containsEntry("message", "Synced " + records + " records: 0 new, 1 changed, " + (records - 1) + " unchanged; 0 skipped");
        assertThat(STORE.rows("SELECT status FROM orders WHERE order_number = 'northwind-knits #3006'")).containsExactly("Refunded");
        STORE.assertSynced();
        // The next run asks for what changed since this one began, less the overlap.
        SHOPIFY.queries.clear();
        assertThat(STORE.runJob("reconcile", null)).containsEntry("state", "SUCCEEDED");
        String next = ((String) SHOPIFY.queries.get(0).get("query")).replaceAll("^updated_at:>'|'$", "");
        assertThat(Instant.parse(next)).isBetween(before.minusSeconds(300), after.minusSeconds(300));
        assertThat(SHOPIFY.bulkQueries).as("no bulk operation").containsExactly("customers", "products", "orders");
    }

    @Test
    @Order(7)
    void aSyncKilledWhileItReadsTheFileResumesAtItsNextRecordAndEndsAsAnUninterruptedRun() throws Exception {
        // Enough orders that their file is read in many pages of 10 lines.
        String customer = ((String) SHOPIFY.customers().get(0).get("id")).replaceFirst(".*/", "");
        for (int n = 0; n < 100; n++) {
            SHOPIFY.put("orders", order(6012745600000L + n, "#4" + n, Long.valueOf(customer), "2025-03-20T10:00:00Z", "2025-03-20T11:00:00Z",
                    null, "PAID", "FULFILLED", (n + 1) + ".0", List.of(line(36000L + n, 1, (n + 1) + ".0", 8801000000001L)), List.of()));
        }
        // #3002, early in the file, loses its second line: its lines are named before the kill, the stale one deleted after it.
        Map<String, Object> edited = orderNode("#3002");
        List<Map<String, Object>> kept = lineNodes(edited);
        kept.remove(1);
        edited.put("lineItems", ShopifyStoreData.node("nodes", kept));
        edited.put("updatedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        SHOPIFY.put("orders", edited);
        SHOPIFY.bulkQueries.clear();
        Pattern reading = Pattern.compile("0\\|orders\\|bulk:gid://shopify/BulkOperation/\\d+#(\\d+)/(\\d+)\\|.*");
        String id = STORE.startJob("graphql-sync", "{\"full\": true}");
        long deadline = System.nanoTime() + 120_000_000_000L;
        // Past the first 27 lines (the nine orders before the new ones, their 17 lines, the first new order): #3002 is written before the kill.
        for (Matcher at = reading.matcher(cursor()); !at.matches() || Long.parseLong(at.group(1)) <= 9 + 18; at = reading.matcher(cursor())) {
            assertThat(System.nanoTime()).as("the sync read past the first orders of the file").isLessThan(deadline);
            Thread.sleep(5);
        }
        server.kill();

        server = CrmProcess.start(Path.of("target", "shopify-bulk-e2e-server.log"), arguments);
        assertThat(STORE.job(id)).containsEntry("state", "INTERRUPTED");
        Matcher at = reading.matcher(cursor());
        assertThat(at.matches()).as("the cursor is the next record of the orders' file").isTrue();
        // 100 orders of one line each, and the nine orders before them with their 17 lines.
        assertThat(Long.parseLong(at.group(2))).isEqualTo(100 * 2 + 9 + 17);
        assertThat(Long.parseLong(at.group(1))).as("killed half-way through the file").isBetween(9L + 18 + 1, 100L * 2 + 9 + 17);
        assertThat(STORE.rows("SELECT count(*) FROM order_items WHERE shopify_key = '" + SHOP + "/#3002/SKU-35021'")).containsExactly("1");
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").extractingByKey("message").asString()
                .contains("; 1 deleted; ");
        assertThat(STORE.rows("SELECT count(*) FROM order_items WHERE shopify_key = '" + SHOP + "/#3002/SKU-35021'")).containsExactly("0");
        assertThat(SHOPIFY.bulkQueries).as("the downloaded file is read on, not asked for again").containsExactly("customers", "products", "orders");
        STORE.assertSynced();
    }

    @Test
    @Order(8)
    void theBulkOperationsFinishWebhookHasTheSyncReadTheOperationAtOnce() throws Exception {
        server.close();
        // The next poll of a running operation would come ten minutes later.
        server = CrmProcess.start(Path.of("target", "shopify-bulk-e2e-server.log"), arguments.stream()
                .map(a -> a.startsWith("--crm.plugins.shopify.bulk-poll-ms=") ? "--crm.plugins.shopify.bulk-poll-ms=600000" : a).toList());
        SHOPIFY.runningPolls = 1;
        SHOPIFY.bulkQueries.clear();
        int polls = SHOPIFY.bulkPolls.get();
        String id = STORE.startJob("graphql-sync", "{\"full\": true}");
        for (int connection = 1; connection <= 3; connection++) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (SHOPIFY.bulkPolls.get() < polls + 2 * connection - 1) {
                assertThat(System.nanoTime()).as("the sync polled operation %d", connection).isLessThan(deadline);
                Thread.sleep(5);
            }
            Map<String, Object> finished = new java.util.LinkedHashMap<>();
            finished.put("admin_graphql_api_id", SHOPIFY.currentOperation());
            finished.put("completed_at", Instant.now().toString());
            finished.put("created_at", STARTED);
            finished.put("error_code", null);
            finished.put("status", "completed");
            finished.put("type", "query");
            assertThat(finish("bulk-finish-" + connection, finished).body()).isEqualTo("{\"state\":\"Received\"}");
        }
        Map<String, Object> job = STORE.awaitJob(id);
        assertThat(job).containsEntry("state", "SUCCEEDED");
        // Per operation: the poll that found it running, then the one the webhook asked for.
        assertThat(SHOPIFY.bulkPolls).hasValue(polls + 6);
        assertThat(SHOPIFY.bulkQueries).containsExactly("customers", "products", "orders");
        STORE.assertSynced();
        // Journaled before the answer, then moved into shopify_webhooks and applied (only noted: it changes no entry).
        List<String> applied = List.of("bulk-finish-1|Applied", "bulk-finish-2|Applied", "bulk-finish-3|Applied");
        String deliveries = "SELECT concat_ws('|', webhook_id, state) FROM shopify_webhooks ORDER BY webhook_id";
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!STORE.rows(deliveries).equals(applied) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(STORE.rows(deliveries)).containsExactlyElementsOf(applied);
        SHOPIFY.runningPolls = FakeShopify.RUNNING_POLLS;
    }

    @Test
    @Order(9)
    @SuppressWarnings("unchecked")
    void aLineThatIsNotJsonIsReportedByItsNumberAndTheOtherLinesAreWritten() throws Exception {
        // Polled as often as in the tests before the webhook's.
        server.close();
        server = CrmProcess.start(Path.of("target", "shopify-bulk-e2e-server.log"), arguments);
        SHOPIFY.fail(FakeShopify.Fault.BULK_MALFORMED_LINE);
        int records = STORE.syncedRecords();
        String id = STORE.startJob("graphql-sync", "{\"full\": true}");
        assertThat(STORE.awaitJob(id)).containsEntry("state", "SUCCEEDED").containsEntry("message",
                "Synced " + (records + 1) + " records: 0 new, 0 changed, " + records + " unchanged; 1 skipped");
        Map<String, Object> job = (Map<String, Object>) server.graphQl("query($id: ID!) { job(id: $id) { errors { line reason } } }",
                Map.of("id", id)).get("job");
        assertThat((List<Map<String, Object>>) job.get("errors")).containsExactly(Map.of("line", 2,
                "reason", "Shopify's bulk export of customers of " + SHOP + ", line 2: is not valid JSON; it was skipped"));
        STORE.assertSynced();
    }

    @Test
    @Order(10)
    void lineItemsBeforeTheirOrderInTheFileAreWrittenWithTheirOrder() throws Exception {
        String customer = ((String) SHOPIFY.customers().get(1).get("id")).replaceFirst(".*/", "");
        for (int n = 0; n < 12; n++) {
            SHOPIFY.put("orders", order(6012745700000L + n, "#5" + n, Long.valueOf(customer), "2025-03-21T10:00:00Z", "2025-03-21T11:00:00Z",
                    null, "PAID", "FULFILLED", (2 * n + 3) + ".0", List.of(line(37000L + 2 * n, 1, (n + 1) + ".0", 8801000000001L),
                            line(37001L + 2 * n, 2, "1.0", 8801000000002L)), n == 0 ? List.of(refund(9960, "2025-03-22T10:00:00Z", "Late", "3.0"))
                            : List.of()));
        }
        // Reversed, each order's line items come a line or more before it, across a page's end for some; order #50 last,
        // several pages after its line items.
        String late = "\"name\":\"#50\"";
        List<String> ordersFile = new java.util.concurrent.CopyOnWriteArrayList<>();
        SHOPIFY.bulkLineOrder = lines -> {
            List<String> arranged = new ArrayList<>(lines);
            java.util.Collections.reverse(arranged);
            arranged.stream().filter(l -> l.contains(late)).findFirst().ifPresent(order -> {
                arranged.remove(order);
                arranged.add(order);
                ordersFile.addAll(arranged);
            });
            return arranged;
        };
        try {
            int records = STORE.syncedRecords();
            assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).containsEntry("state", "SUCCEEDED").containsEntry("message",
                    "Synced " + records + " records: 37 new, 0 changed, " + (records - 37) + " unchanged; 0 skipped");
        } finally {
            SHOPIFY.bulkLineOrder = lines -> lines;
        }
        assertThat(pagesBeforeTheirOrder(ordersFile, "gid:\\/\\/shopify\\/Order\\/60127457", 10)).as("pages from a new line item to its order")
                .contains(1).anyMatch(pages -> pages >= 3);
        STORE.assertSynced();
    }

    @Test
    @Order(11)
    void aDeliveredRefundIsDatedByTheStoresDayAsTheSyncDatesIt() throws Exception {
        // Made at 23:30 in the shop's -04:00, 03:30 UTC the next day: 20:30 the same day in the store's Los Angeles.
        Map<String, Object> refund = ShopifyStoreData.node("id", 9950L, "admin_graphql_api_id", "gid://shopify/Refund/9950",
                "order_id", 6012745500002L, "created_at", "2025-03-20T23:30:00-04:00", "note", "Late return",
                "transactions", List.of(ShopifyStoreData.node("kind", "refund", "status", "success", "amount", "3.00")));
        byte[] body = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsBytes(refund);
        assertThat(server.post("/plugins/shopify/webhooks", ShopifyDelivery.headers(SHOP, SECRET, "refunds/create", "late-refund", null,
                Instant.now().toString(), body), body).body()).isEqualTo("{\"state\":\"Received\"}");
        assertThat(STORE.runJob("apply-webhooks", null)).containsEntry("state", "SUCCEEDED");
        assertThat(STORE.rows("SELECT concat_ws('|', r.shopify_key, r.return_date, printf('%.2f', r.amount)) FROM returns r "
                + "JOIN orders o ON o.id = r.order_id WHERE o.order_number = 'northwind-knits #3002' ORDER BY 1")).containsExactly(
                SHOP + "/gid://shopify/Refund/9902|2025-03-11|5.00", SHOP + "/gid://shopify/Refund/9950|2025-03-20|3.00");
    }

    @Test
    @Order(12)
    @SuppressWarnings("unchecked")
    void aFullBulkReSyncDeletesTheLinesOrderEditsRemovedAndUpdatesTheOthers() throws Exception {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // #3008 loses its third line and its first goes from 1 to 4; #3005 keeps only its second line.
        for (String name : List.of("#3008", "#3005")) {
            Map<String, Object> order = new java.util.LinkedHashMap<>(SHOPIFY.nodes("orders").stream().filter(o -> name.equals(o.get("name")))
                    .findFirst().orElseThrow());
            List<Map<String, Object>> lines = new ArrayList<>((List<Map<String, Object>>) ((Map<String, Object>) order.get("lineItems")).get("nodes"));
            if (name.equals("#3008")) {
                lines.remove(2);
                Map<String, Object> first = new java.util.LinkedHashMap<>(lines.get(0));
                first.put("quantity", 4);
                lines.set(0, first);
            } else {
                lines = List.of(lines.get(1));
            }
            order.put("lineItems", ShopifyStoreData.node("nodes", lines));
            order.put("updatedAt", now);
            SHOPIFY.put("orders", order);
        }
        int records = STORE.syncedRecords();
        // Changed: the two orders (their updatedAt) and #3008's first line; deleted: the three lines no longer listed.
        assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).containsEntry("state", "SUCCEEDED").containsEntry("message",
                "Synced " + records + " records: 0 new, 3 changed, " + (records - 3) + " unchanged; 3 deleted; 0 skipped");
        assertThat(STORE.rows("SELECT concat_ws('|', i.shopify_key, i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id "
                + "WHERE o.order_number IN ('northwind-knits #3005', 'northwind-knits #3008') ORDER BY 1")).containsExactly(
                SHOP + "/#3005/SKU-35051|2", SHOP + "/#3008/SKU-35080|4", SHOP + "/#3008/SKU-35081|2");
        // Every line of every order as Shopify has it (the refund the webhook test delivered is not in this Shopify's orders).
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
        assertThat(STORE.crmOrders()).containsExactlyElementsOf(STORE.expectedOrders());
    }

    @Test
    @Order(13)
    void aLineTheFileHoldsButRefusesKeepsItsStoredCopy() throws Exception {
        // #3001's first line comes with a quantity that is not a number (and a new price): refused, so neither written nor stale.
        String key = SHOP + "/#3001/SKU-35010";
        String stored = "SELECT concat_ws('|', shopify_key, quantity, printf('%.2f', unit_price)) FROM order_items WHERE shopify_key = '" + key + "'";
        assertThat(STORE.rows(stored)).containsExactly(key + "|1|11.50");
        Map<String, Object> original = orderNode("#3001");
        Map<String, Object> order = new java.util.LinkedHashMap<>(original);
        List<Map<String, Object>> lines = lineNodes(order);
        Map<String, Object> refused = new java.util.LinkedHashMap<>(lines.get(0));
        refused.put("quantity", "many");
        refused.put("originalUnitPriceSet", ShopifyStoreData.money("99.0"));
        lines.set(0, refused);
        order.put("lineItems", ShopifyStoreData.node("nodes", lines));
        fullSyncRefusingOneLine(original, order, "\"id\":\"gid:\\/\\/shopify\\/LineItem\\/35010\"", "order_items.quantity", "many");
        assertThat(STORE.rows(stored)).containsExactly(key + "|1|11.50");
    }

    @Test
    @Order(14)
    void anOrderWhoseEditRemovedAllItsLinesLosesAllItsStoredLines() throws Exception {
        Map<String, Object> order = orderNode("#3007");
        assertThat(lineNodes(order)).hasSize(2);
        order.put("lineItems", ShopifyStoreData.node("nodes", List.of()));
        fullSyncOfAnEditedOrder(order, 2);
        assertThat(STORE.rows("SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id "
                + "WHERE o.order_number = 'northwind-knits #3007'")).containsExactly("0");
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
    }

    @Test
    @Order(15)
    @SuppressWarnings("unchecked")
    void aLineNotFromShopifyIsNeverDeleted() throws Exception {
        // Added in the CRM (no shopify_key) to #3008, whose second line Shopify no longer has.
        String orderId = STORE.rows("SELECT id FROM orders WHERE order_number = 'northwind-knits #3008'").get(0);
        String node = (String) ((Map<String, Object>) server.graphQl("mutation($order: ID!) { createOrderItem(input: { orderId: $order, "
                + "quantity: 5, unitPrice: 2.5 }) { id } }", Map.of("order", orderId)).get("createOrderItem")).get("id");
        String added = STORE.rows("SELECT id FROM order_items WHERE order_id = " + orderId + " AND shopify_key IS NULL").get(0);
        Map<String, Object> order = orderNode("#3008");
        List<Map<String, Object>> lines = lineNodes(order);
        assertThat(lines).hasSize(2);
        order.put("lineItems", ShopifyStoreData.node("nodes", List.of(lines.get(0))));
        fullSyncOfAnEditedOrder(order, 1);
        assertThat(STORE.rows("SELECT concat_ws('|', i.id, coalesce(i.shopify_key, '-'), i.quantity, printf('%.2f', i.unit_price)) "
                + "FROM order_items i WHERE i.order_id = " + orderId + " ORDER BY i.id")).containsExactly(
                lineId(SHOP + "/#3008/SKU-35080") + "|" + SHOP + "/#3008/SKU-35080|4|18.50", added + "|-|5|2.50");
        server.graphQl("mutation($id: ID!) { deleteOrderItem(id: $id) { id } }", Map.of("id", node));
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
    }

    @Test
    @Order(16)
    void anOrderRefusedWholeKeepsItsLines() throws Exception {
        // #3001 comes with a total that is not a number and without its second line: refused, so its lines stay as stored.
        String lines = "SELECT concat_ws('|', i.shopify_key, i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id "
                + "WHERE o.order_number = 'northwind-knits #3001' ORDER BY 1";
        List<String> before = STORE.rows(lines);
        assertThat(before).containsExactly(SHOP + "/#3001/SKU-35010|1", SHOP + "/#3001/SKU-35011|2");
        Map<String, Object> original = orderNode("#3001");
        Map<String, Object> order = new java.util.LinkedHashMap<>(original);
        order.put("totalPriceSet", ShopifyStoreData.money("lots"));
        order.put("lineItems", ShopifyStoreData.node("nodes", List.of(lineNodes(order).get(0))));
        order.put("updatedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        fullSyncRefusingOneLine(original, order, "{\"id\":\"gid:\\/\\/shopify\\/Order\\/6012745500001\"", "orders.total_amount", "lots");
        assertThat(STORE.rows(lines)).containsExactlyElementsOf(before);
    }

    @Test
    @Order(17)
    void anOrderWithMoreRefundsThanAPagedQueryReadsLandsWhole() throws Exception {
        // The bulk query reads Order.refunds uncut (a list, not a connection), so all 60 are in the order's line.
        String customer = ((String) SHOPIFY.customers().get(2).get("id")).replaceFirst(".*/", "");
        List<Map<String, Object>> refunds = java.util.stream.IntStream.rangeClosed(1, 60)
                .mapToObj(i -> refund(9970L + i, String.format("2025-03-23T11:%02d:00Z", i - 1), "Part " + i, i + ".25")).toList();
        SHOPIFY.put("orders", order(6012745800000L, "#6000", Long.valueOf(customer), "2025-03-22T10:00:00Z", "2025-03-23T12:00:00Z", null,
                "PARTIALLY_REFUNDED", "FULFILLED", "2000.0", List.of(line(38000L, 60, "33.0", 8801000000001L)), refunds));
        int records = STORE.syncedRecords();
        assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).containsEntry("state", "SUCCEEDED").containsEntry("message",
                "Synced " + records + " records: 62 new, 0 changed, " + (records - 62) + " unchanged; 0 skipped");
        assertThat(STORE.rows("SELECT concat_ws('|', count(*), printf('%.2f', sum(r.amount))) FROM returns r JOIN orders o ON o.id = r.order_id "
                + "WHERE o.order_number = 'northwind-knits #6000'")).containsExactly("60|" + String.format("%.2f", 60 * 61 / 2 * 1.0 + 60 * 0.25));
        // Each as Shopify has it (the refund the webhook test delivered is not in this Shopify's orders).
        java.util.function.Predicate<String> ofTheOrder = row -> row.startsWith("northwind-knits #6000|");
        assertThat(STORE.crmReturns().stream().filter(ofTheOrder).toList())
                .containsExactlyElementsOf(STORE.expectedReturns().stream().filter(ofTheOrder).toList());
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
    }

    /** A full sync once Shopify holds {@code edited}, an order whose lines an edit changed: the order changes, {@code deleted} lines go. */
    private static void fullSyncOfAnEditedOrder(Map<String, Object> edited, int deleted) throws Exception {
        edited.put("updatedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        SHOPIFY.put("orders", edited);
        int records = STORE.syncedRecords();
        assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).containsEntry("state", "SUCCEEDED").containsEntry("message",
                "Synced " + records + " records: 0 new, 1 changed, " + (records - 1) + " unchanged; " + deleted + " deleted; 0 skipped");
    }

    /**
     * A full sync while Shopify holds {@code edited} instead of {@code original} (put back once it ended): only the line
     * of the orders file holding {@code text} is refused, reported by its number, for {@code field} holding {@code value}.
     */
    @SuppressWarnings("unchecked")
    private static void fullSyncRefusingOneLine(Map<String, Object> original, Map<String, Object> edited, String text, String field,
                                                String value) throws Exception {
        SHOPIFY.put("orders", edited);
        List<String> file = ordersFile();
        int records = STORE.syncedRecords();
        String id = STORE.startJob("graphql-sync", "{\"full\": true}");
        try {
            assertThat(STORE.awaitJob(id)).containsEntry("state", "SUCCEEDED").containsEntry("message",
                    "Synced " + records + " records: 0 new, 0 changed, " + (records - 1) + " unchanged; 1 skipped");
        } finally {
            SHOPIFY.bulkLineOrder = l -> l;
            SHOPIFY.put("orders", original);
        }
        int line = lineOf(file, text);
        List<Map<String, Object>> errors = (List<Map<String, Object>>) ((Map<String, Object>) server.graphQl(
                "query($id: ID!) { job(id: $id) { errors { line value reason } } }", Map.of("id", id)).get("job")).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).containsEntry("line", line).containsEntry("value", value);
        assertThat((String) errors.get(0).get("reason")).startsWith("Shopify's bulk export of orders of " + SHOP + ", line " + line + ": "
                + field + ": ");
    }

    /** A copy of the order Shopify holds named {@code name}. */
    private static Map<String, Object> orderNode(String name) {
        return new java.util.LinkedHashMap<>(SHOPIFY.nodes("orders").stream().filter(o -> name.equals(o.get("name"))).findFirst().orElseThrow());
    }

    /** A copy of the line items of an order node. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lineNodes(Map<String, Object> order) {
        return new ArrayList<>((List<Map<String, Object>>) ((Map<String, Object>) order.get("lineItems")).get("nodes"));
    }

    /** The lines of the next bulk operation's orders file, once it is made. */
    private static List<String> ordersFile() {
        List<String> file = new java.util.concurrent.CopyOnWriteArrayList<>();
        SHOPIFY.bulkLineOrder = lines -> {
            if (lines.stream().anyMatch(l -> l.startsWith("{\"id\":\"gid:\\/\\/shopify\\/Order\\/"))) {
                file.addAll(lines);
            }
            return lines;
        };
        return file;
    }

    /** The number (1 = the first) of the file's only line holding {@code text}. */
    private static int lineOf(List<String> file, String text) {
        List<Integer> found = java.util.stream.IntStream.range(0, file.size()).filter(i -> file.get(i).contains(text)).boxed().toList();
        assertThat(found).as(text).hasSize(1);
        return found.get(0) + 1;
    }

    private static String lineId(String key) throws Exception {
        return STORE.rows("SELECT id FROM order_items WHERE shopify_key = '" + key + "'").get(0);
    }

    /** A {@code bulk_operations/finish} delivery as Shopify signs and sends it. */
    private static HttpResponse<String> finish(String webhookId, Map<String, Object> json) throws Exception {
        byte[] body = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsBytes(json);
        return server.post("/plugins/shopify/webhooks",
                ShopifyDelivery.headers(SHOP, SECRET, "bulk_operations/finish", webhookId, null, Instant.now().toString(), body), body);
    }

    /** For each child line of an order whose GID starts with {@code orders}, how many pages of {@code pageSize} lines later its order comes. */
    private static List<Integer> pagesBeforeTheirOrder(List<String> file, String orders, int pageSize) {
        Pattern parent = Pattern.compile("\"__parentId\":\"(" + Pattern.quote(orders) + "\\d+)\"");
        List<Integer> pages = new ArrayList<>();
        for (int child = 0; child < file.size(); child++) {
            Matcher id = parent.matcher(file.get(child));
            if (id.find()) {
                String line = "{\"id\":\"" + id.group(1) + "\"";
                int order = java.util.stream.IntStream.range(0, file.size()).filter(i -> file.get(i).startsWith(line)).findFirst().orElseThrow();
                pages.add(order / pageSize - child / pageSize);
            }
        }
        return pages;
    }

    private static long pagedQueries() {
        return SHOPIFY.queries.stream().filter(q -> q.containsKey("first")).count();
    }

    private static String cursor() throws Exception {
        return STORE.rows("SELECT cursor FROM crm_sync_state WHERE source = 'shopify:graphql-sync'").get(0);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(120, TimeUnit.SECONDS)).as("waited for the sync").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Three products and nine orders of the sample customers (one a guest): order n has n % 3 + 1
     * lines, every third a refund.
     */
    private static void putProductsAndOrders() {
        SHOPIFY.put("products", product(8801000000001L, "Merino Beanie", "ACTIVE", "Hats", "38.0", "2025-03-02T10:00:00Z"));
        SHOPIFY.put("products", product(8801000000002L, "Alpaca Scarf", "ARCHIVED", "Scarves", "64.5", "2025-03-05T12:30:00Z"));
        SHOPIFY.put("products", product(8801000000003L, "Cashmere Mittens", "DRAFT", "Gloves", "55.0", "2025-03-06T08:00:00Z"));
        List<Map<String, Object>> customers = SHOPIFY.customers();
        for (int n = 0; n < 9; n++) {
            List<Map<String, Object>> lines = new ArrayList<>();
            for (int l = 0; l <= n % 3; l++) {
                lines.add(line(35000 + 10L * n + l, l + 1, "1" + n + ".5", l == 2 ? null : 8801000000001L + l));
            }
            String updated = "2025-03-1" + n + "T09:00:00Z";
            Long customer = n == 4 ? null : Long.valueOf(((String) customers.get(n % customers.size()).get("id")).replaceFirst(".*/", ""));
            SHOPIFY.put("orders", order(6012745500000L + n, "#300" + n, customer, "2025-03-0" + (n + 1) + "T10:00:00Z", updated,
                    n == 7 ? updated : null, n % 3 == 2 ? "PARTIALLY_REFUNDED" : "PAID", n % 2 == 0 ? "FULFILLED" : "UNFULFILLED",
                    (10 * n + 20) + ".0", lines, n % 3 == 2 ? List.of(refund(9900L + n, "2025-03-1" + n + "T03:00:00Z", n == 5 ? null : "Too small", "5.0")) : List.of()));
        }
    }
}
