package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.line;
import static dev.storefront.crm.imports.ShopifyStoreData.node;
import static dev.storefront.crm.imports.ShopifyStoreData.order;
import static dev.storefront.crm.imports.ShopifyStoreData.product;
import static dev.storefront.crm.imports.ShopifyStoreData.refund;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import dev.storefront.crm.plugins.FakeShopify.Fault;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a real store's Admin API answers besides data, through the real plugin jar and server (a child process on a
 * database of this class's own) and a Shopify-like server: a frozen shop (402), a forbidden query (403), no Admin API
 * at the address (404), a locked shop (423) and a missing access scope (GraphQL ACCESS_DENIED, and a bulk operation
 * ended ACCESS_DENIED) each stop the sync at once with what the store owner must do, changing nothing; a run after it
 * ends as an uninterrupted one. A paged run reads records sharing one updated_at second across page boundaries once
 * each, and ends when Shopify says a next page follows but names no cursor for it. A bulk query of the app Shopify
 * still runs when the sync starts one (on 2025-10, one at a time) is waited out. The tests run in order: the first
 * finds the CRM empty, the later ones the store the earlier synced.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopifyRefusalsE2EIT {

    private static final String SHOP = "fjord-finds.myshopify.com";
    private static final FakeShopify SHOPIFY = new FakeShopify(true);
    private static final ShopifyStoreData STORE = new ShopifyStoreData(SHOPIFY, SHOP, "gid://shopify/Order/", () -> ShopifyRefusalsE2EIT.server,
            ZoneOffset.UTC);
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        SHOPIFY.put("products", product(9100000000001L, "Wool Socks", "ACTIVE", "Socks", "12.00", "2025-03-01T10:00:00Z"));
        SHOPIFY.put("orders", order(9200000000001L, "#2001", 7412883013651L, "2025-03-02T10:00:00Z", "2025-03-02T10:00:00Z", null, "PAID",
                "FULFILLED", "36.00", List.of(line(9300000000001L, 3, "12.00", 9100000000001L)), List.of()));
        SHOPIFY.put("orders", order(9200000000002L, "#2002", 7412883144723L, "2025-03-03T10:00:00Z", "2025-03-04T10:00:00Z", null, "REFUNDED",
                "FULFILLED", "24.00", List.of(line(9300000000002L, 2, "12.00", 9100000000001L)),
                List.of(refund(9400000000001L, "2025-03-04T10:00:00Z", "Too small", "24.00"))));
        server = ShopifyStoreData.startServer("shopify-refusals", SHOP, "fjord_finds_webhook_secret", SHOPIFY,
                "--crm.plugins.shopify.bulk-poll-ms=20", "--crm.plugins.shopify.page-size=2", "--crm.plugins.shopify.retry-backoff-ms=20");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
    }

    @Test
    @Order(1)
    void aShopShopifyFreezesForbidsLocksOrDoesNotKnowStopsTheSyncAtOnceSayingWhatToDoAndChangesNothing() throws Exception {
        Map<Fault, String> refusals = new LinkedHashMap<>();
        refusals.put(Fault.FROZEN, "Shopify froze " + SHOP + " for an unpaid bill (402 Payment Required): the sync reads it again once its owner has paid");
        refusals.put(Fault.FORBIDDEN, "Shopify forbade the query for " + SHOP
                + " (403): the app needs access scopes read_customers, read_products and read_orders");
        refusals.put(Fault.NOT_FOUND, "Shopify has no Admin API at " + SHOPIFY.url() + "/admin/api/2025-10/graphql.json (404): check the shop domain "
                + "and the api-version of " + SHOP);
        refusals.put(Fault.LOCKED, "Shopify locked " + SHOP + " (423 Locked): the sync reads it again once Shopify unlocks the store");
        for (Map.Entry<Fault, String> refusal : refusals.entrySet()) {
            int asked = SHOPIFY.queries.size();
            SHOPIFY.fail(refusal.getKey());
            assertThat(STORE.runJob("graphql-sync", null)).as(refusal.getKey().name()).containsEntry("state", "FAILED")
                    .containsEntry("message", refusal.getValue());
            // Asked once: waiting and asking again would not change the answer.
            assertThat(SHOPIFY.queries).hasSize(asked + 1);
        }
        assertThat(SHOPIFY.bulkQueries).isEmpty();
        assertThat(STORE.rows("SELECT count(*) FROM customers UNION ALL SELECT count(*) FROM products UNION ALL SELECT count(*) FROM orders"))
                .containsExactly("0", "0", "0");
    }

    @Test
    @Order(2)
    void aBulkOperationShopifyDeniedStopsTheSyncNamingTheScopeAndTheNextRunEndsAsAnUninterruptedOne() throws Exception {
        SHOPIFY.fail(Fault.BULK_ACCESS_DENIED);
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "FAILED").containsEntry("message", "Shopify denied the bulk export "
                + "of customers for " + SHOP + " (ACCESS_DENIED): the app needs access scope read_customers; grant it and run the sync again");
        assertThat(SHOPIFY.bulkQueries).containsExactly("customers");
        assertThat(STORE.rows("SELECT count(*) FROM customers")).containsExactly("0");

        // The scope granted: the next run finds the operation denied and starts a new one.
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(SHOPIFY.bulkQueries).containsExactly("customers", "customers", "products", "orders");
        STORE.assertSynced();
    }

    @Test
    @Order(3)
    void aQueryShopifyDeniesForAMissingScopeStopsThePagedSyncNamingTheScopeAndChangesNothing() throws Exception {
        SHOPIFY.put("customers", customer(7500000000001L, "late.scope@example.com", "2025-06-01T10:00:00Z"));
        List<String> before = STORE.rows("SELECT concat_ws('|', id, updated_at) FROM customers ORDER BY id");
        int asked = SHOPIFY.queries.size();
        SHOPIFY.fail(Fault.ACCESS_DENIED);
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "FAILED").containsEntry("message", "Shopify denied the app access to "
                + SHOP + "'s data: Access denied for customers field. Required access: `read_customers` access scope. Grant the app that access "
                + "scope and run the sync again");
        assertThat(SHOPIFY.queries).hasSize(asked + 1);
        assertThat(STORE.rows("SELECT concat_ws('|', id, updated_at) FROM customers ORDER BY id")).containsExactlyElementsOf(before);
    }

    @Test
    @Order(4)
    void customersSharingOneUpdatedAtSecondAcrossPagesAreEachReadOnceAndANextPageWithoutACursorEndsTheRead() throws Exception {
        // Five more updated in one second, pages of two: the second second's records cross two page boundaries.
        for (long id = 7500000000002L; id <= 7500000000006L; id++) {
            SHOPIFY.put("customers", customer(id, "same.second." + id + "@example.com", "2025-06-02T10:00:00Z"));
        }
        // Every connection's last page says a next page follows; that page holds no edges and names no cursor.
        SHOPIFY.phantomNextPage = true;
        try {
            assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        } finally {
            SHOPIFY.phantomNextPage = false;
        }
        STORE.assertSynced();
        assertThat(STORE.rows("SELECT count(*) FROM customers WHERE email LIKE 'same.second.%'")).containsExactly("5");
    }

    @Test
    @Order(5)
    void aBulkQueryShopifyStillRunsWhenTheSyncStartsOneIsWaitedOutThenTheSyncStartsItsOwn() throws Exception {
        // The customers query of the operation test 2 read, started by a run that saved no id of it (killed before Shopify
        // answered), and another query of the app: before 2026-01 Shopify runs one at a time, and neither is the sync's.
        Map<String, String> queries = Map.of("customers", SHOPIFY.bulkDocuments.get(SHOPIFY.bulkQueries.indexOf("customers")),
                "products", SHOPIFY.bulkDocuments.get(SHOPIFY.bulkQueries.indexOf("products")));
        for (String connection : List.of("customers", "products")) {
            SHOPIFY.bulkQueries.clear();
            SHOPIFY.startBulk(queries.get(connection));
            assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).as(connection).containsEntry("state", "SUCCEEDED")
                    .containsEntry("errorCount", 0);
            assertThat(SHOPIFY.bulkQueries).as(connection).containsExactly(connection, "customers", "products", "orders");
            STORE.assertSynced();
        }
    }

    /** A customer node of the Admin API shape, with no phone, note or tags. */
    private static Map<String, Object> customer(long id, String email, String updatedAt) {
        return node("id", "gid://shopify/Customer/" + id, "firstName", "Same", "lastName", "Second " + id,
                "defaultEmailAddress", node("emailAddress", email, "marketingState", "NOT_SUBSCRIBED"), "defaultPhoneNumber", null,
                "updatedAt", updatedAt, "note", null, "tags", List.of());
    }
}
