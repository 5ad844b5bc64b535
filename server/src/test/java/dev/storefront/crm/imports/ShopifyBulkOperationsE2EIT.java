package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.line;
import static dev.storefront.crm.imports.ShopifyStoreData.order;
import static dev.storefront.crm.imports.ShopifyStoreData.product;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bulk operations on Admin API version 2026-01, where Shopify runs up to five bulk queries of an app at once and
 * {@code currentBulkOperation} answers the newest: the real plugin jar and server (a child process on a database of this
 * class's own) against a Shopify-like server that refuses {@code bulkOperation(id:)} before 2026-01 and answers it from
 * then on. The sync polls its own operation by id while another runs beside it, goes on with the one a run killed before
 * committing its cursor started (found by the id saved in {@code bulk-dir}), and writes the partial file of an operation
 * that failed twice without deleting anything, then fails saying so. The tests run in order, each on the store the one
 * before synced.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopifyBulkOperationsE2EIT {

    private static final String SHOP = "harbor-hats.myshopify.com";
    private static final FakeShopify SHOPIFY = new FakeShopify(true);
    private static final ShopifyStoreData STORE = new ShopifyStoreData(SHOPIFY, SHOP, "gid://shopify/Order/", () -> ShopifyBulkOperationsE2EIT.server,
            ZoneOffset.UTC);
    /** A bulk query of the app that is not the sync's (another feature of the app runs it). */
    private static final String OTHER = "{ products { edges { node { id title } } } }";
    private static CrmProcess server;
    private static Path bulkDir;

    @BeforeAll
    static void start() throws Exception {
        SHOPIFY.put("products", product(9500000000001L, "Sou'wester", "ACTIVE", "Hats", "45.00", "2025-03-01T10:00:00Z"));
        SHOPIFY.put("products", product(9500000000002L, "Bucket Hat", "ACTIVE", "Hats", "30.00", "2025-03-01T11:00:00Z"));
        SHOPIFY.put("orders", order(9600000000001L, "#4001", 7412883013651L, "2025-03-02T10:00:00Z", "2025-03-02T10:00:00Z", null, "PAID",
                "FULFILLED", "75.00", List.of(line(9700000000001L, 1, "45.00", 9500000000001L), line(9700000000002L, 1, "30.00", 9500000000002L)),
                List.of()));
        SHOPIFY.put("orders", order(9600000000002L, "#4002", 7412883144723L, "2025-03-03T10:00:00Z", "2025-03-04T10:00:00Z", null, "PAID",
                "FULFILLED", "60.00", List.of(line(9700000000003L, 2, "30.00", 9500000000002L)), List.of()));
        SHOPIFY.put("orders", order(9600000000003L, "#4003", 7412883013651L, "2025-03-05T10:00:00Z", "2025-03-06T10:00:00Z", null, "PAID",
                "UNFULFILLED", "45.00", List.of(line(9700000000004L, 1, "45.00", 9500000000001L)), List.of()));
        Path folder = TestFolders.create("crm-shopify-bulk-operations");
        bulkDir = folder.resolve("bulk");
        server = ShopifyStoreData.startServer("shopify-bulk-operations", folder, SHOP, "harbor_hats_webhook_secret", SHOPIFY,
                "--crm.plugins.shopify.api-version=2026-01", "--crm.plugins.shopify.bulk-poll-ms=20");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
    }

    @Test
    @Order(1)
    void theSyncPollsItsOwnOperationByIdWhileAnotherOfTheAppRunsBesideIt() throws Exception {
        // The customers' operation is polled for the first time: another starts beside it, and is the newest from then on.
        AtomicBoolean besides = new AtomicBoolean();
        SHOPIFY.beforeAnswer = (what, variables) -> {
            if (what.equals("bulkOperation") && besides.compareAndSet(false, true)) {
                SHOPIFY.startBulk(OTHER);
            }
        };
        try {
            Map<String, Object> job = STORE.runJob("graphql-sync", null);
            assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0).containsEntry("processed", STORE.syncedRecords());
        } finally {
            SHOPIFY.beforeAnswer = (what, variables) -> { };
        }
        assertThat(besides).isTrue();
        assertThat(SHOPIFY.bulkQueries).as("each of the sync's operations read once, the other left to run")
                .containsExactly("customers", "products", "products", "orders");
        STORE.assertSynced();
        try (var files = Files.list(bulkDir)) {
            assertThat(files.filter(file -> file.toString().endsWith(".operation")).toList()).as("no saved id is left once its cursor committed")
                    .isEmpty();
        }
    }

    @Test
    @Order(2)
    void aRunKilledBeforeCommittingItsCursorLeavesAnOperationTheNextRunGoesOnWithByItsSavedId() throws Exception {
        String customers = SHOPIFY.bulkDocuments.get(SHOPIFY.bulkQueries.indexOf("customers"));
        SHOPIFY.bulkQueries.clear();
        // What a run killed right after Shopify started its operation leaves: the operation, and its id saved in bulk-dir. Another
        // query of the app started after it is what currentBulkOperation would answer.
        String started = SHOPIFY.startBulk(customers);
        SHOPIFY.startBulk(OTHER);
        Files.writeString(bulkDir.resolve(SHOP + "-customers.operation"), started);

        assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(SHOPIFY.bulkQueries).as("the customers' operation the killed run started is read, not started again")
                .containsExactly("customers", "products", "products", "orders");
        STORE.assertSynced();
        assertThat(bulkDir.resolve(SHOP + "-customers.operation")).doesNotExist();
    }

    @Test
    @Order(3)
    void anOperationFailingTwiceWithPartialDataWritesItsLinesDeletesNothingAndTheNextRunReadsTheConnectionWhole() throws Exception {
        List<String> items = STORE.crmItems();
        assertThat(items).hasSize(4);
        // #4001 and #4003 change; the partial file holds the file's first two lines: #4001 and #4002, without their line items.
        SHOPIFY.put("orders", order(9600000000001L, "#4001", 7412883013651L, "2025-03-02T10:00:00Z", "2025-03-02T10:00:00Z", null, "PAID",
                "FULFILLED", "70.00", List.of(line(9700000000001L, 1, "45.00", 9500000000001L), line(9700000000002L, 1, "30.00", 9500000000002L)),
                List.of()));
        SHOPIFY.put("orders", order(9600000000003L, "#4003", 7412883013651L, "2025-03-05T10:00:00Z", "2025-03-06T10:00:00Z", null, "PAID",
                "UNFULFILLED", "40.00", List.of(line(9700000000004L, 1, "45.00", 9500000000001L)), List.of()));
        SHOPIFY.bulkQueries.clear();
        SHOPIFY.bulkFaultConnection = "orders";
        SHOPIFY.fail(FakeShopify.Fault.BULK_TIMEOUT, FakeShopify.Fault.BULK_TIMEOUT);
        try {
            Map<String, Object> job = STORE.runJob("graphql-sync", "{\"full\": true}");
            // A customer is two records, itself and its link to the store (as in ShopifyStoreData.recordsUpdatedAfter).
            assertThat(job).containsEntry("state", "FAILED").containsEntry("processed",
                    2 * SHOPIFY.customers().size() + SHOPIFY.nodes("products").size() + SHOPIFY.partialLines).containsEntry("message",
                    "Shopify's bulk export of orders for " + SHOP + " ended FAILED (TIMEOUT) twice: the 2 records of the part it wrote were "
                            + "stored, and nothing was deleted for what that part lacks; the next run reads the orders again");
        } finally {
            SHOPIFY.bulkFaultConnection = null;
        }
        assertThat(SHOPIFY.bulkQueries).containsExactly("customers", "products", "orders", "orders");
        assertThat(STORE.crmItems()).as("no order's lines deleted for the lines the partial file lacks").containsExactlyElementsOf(items);
        assertThat(STORE.rows("SELECT concat_ws('|', order_number, printf('%.2f', total_amount)) FROM orders ORDER BY 1"))
                .as("#4001 read from the partial file, #4003 not in it").containsExactly("harbor-hats #4001|70.00", "harbor-hats #4002|60.00",
                        "harbor-hats #4003|45.00");

        // The cursor stayed at the orders' start: the next run reads them through a new operation, whole.
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(SHOPIFY.bulkQueries).containsExactly("customers", "products", "orders", "orders", "orders");
        STORE.assertSynced();
    }
}
