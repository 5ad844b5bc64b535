package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.line;
import static dev.storefront.crm.imports.ShopifyStoreData.node;
import static dev.storefront.crm.imports.ShopifyStoreData.order;
import static dev.storefront.crm.imports.ShopifyStoreData.product;
import static dev.storefront.crm.imports.ShopifyStoreData.refund;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import dev.storefront.crm.plugins.Fixtures;
import dev.storefront.crm.plugins.TestPlugins;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Shopify plugin through its real jar and the real server (a child process on a database of
 * this class's own). Webhooks: the sample deliveries of ../shared/fixtures/shopify with their real
 * headers and signatures, replayed valid, duplicated, forged, out of order, a refund before its
 * order, a data request and a redact, product updates, a customer deletion, bursts from concurrent
 * senders (acknowledged at once, then applied in order by the plugin's applier). Sync: customers (the
 * sample pages), products and orders from a Shopify-like GraphQL server with a cost bucket,
 * THROTTLED, 429 and 500 answers, and a refused token. Two stores side by side, each with its own
 * Shopify, token and webhook secret, and a shop redact. CSV: the sample customers export and an older
 * header.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopifyE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SHOP = "northwind-knits.myshopify.com";
    private static final String ORDER_KEY = SHOP + "/gid://shopify/Order/6012745392211";
    /** Where the keys of the first store's order lines begin: {@code <shop>/<order name>/<SKU or line name>}. */
    private static final String LINE = SHOP + "/";
    private static Map<String, Object> headers;
    private static String secret;
    private static final FakeShopify SHOPIFY = new FakeShopify();
    private static final ShopifyStoreData STORE = new ShopifyStoreData(SHOPIFY, SHOP, "gid://shopify/Order/60127454000", () -> ShopifyE2EIT.server,
            java.time.ZoneOffset.UTC);
    /** A second store, empty until the two-store tests, with its own token URL and webhook secret. */
    private static final String SHOP2 = "alpine-yarns.myshopify.com";
    private static final String SECRET2 = "alpine_yarns_client_secret_test";
    private static final FakeShopify SHOPIFY2 = new FakeShopify(false);
    private static CrmProcess server;
    private static List<String> arguments;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        Map<String, Object> file = JSON.readValue(Files.readString(Fixtures.shopify("shopify_webhook_headers.json")), Map.class);
        headers = (Map<String, Object>) file.get("deliveries");
        secret = (String) file.get("secret");
        Path folder = TestFolders.create("crm-shopify");
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestPlugins.bundledJar("shopify"), plugins.resolve("shopify.jar"));
        putProductsAndOrders();
        arguments = List.of(
                "--crm.database=" + folder.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(),
                "--crm.plugins-dir=" + plugins,
                "--crm.plugins.shopify.webhook-secret=" + secret,
                "--crm.plugins.shopify.stores[0].shop=" + SHOP,
                "--crm.plugins.shopify.stores[0].access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.stores[0].url=" + SHOPIFY.url(),
                "--crm.plugins.shopify.stores[1].shop=" + SHOP2,
                "--crm.plugins.shopify.stores[1].access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.stores[1].url=" + SHOPIFY2.url(),
                "--crm.plugins.shopify.stores[1].webhook-secret=" + SECRET2,
                "--crm.plugins.shopify.page-size=3",
                // First syncs page here; ShopifyBulkE2EIT reads them through bulk operations.
                "--crm.plugins.shopify.bulk=false",
                "--crm.plugins.shopify.jobs.reconcile.cron=off",
                "--crm.plugins.shopify.retries=4",
                "--crm.plugins.shopify.retry-backoff-ms=20");
        server = CrmProcess.start(Path.of("target", "shopify-e2e-server.log"), arguments);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
        SHOPIFY2.close();
    }

    @Test
    @Order(1)
    void aSignedOrderIsStoredThenAppliedWithItsCustomerAndLines() throws Exception {
        assertThat(delivered("shopify_webhook_orders_create.json")).isEqualTo("Applied");
        Map<String, Object> order = fixture("shopify_webhook_orders_create.json");
        assertThat(rows("SELECT concat_ws('|', o.order_number, printf('%.2f', o.total_amount), o.currency, o.status, c.email, c.shopify_key) "
                + "FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.shopify_key = '" + ORDER_KEY + "'"))
                .containsExactly("northwind-knits " + order.get("name") + "|" + order.get("total_price") + "|USD|Pending|ava.thompson@example.com|"
                        + SHOP + "/gid://shopify/Customer/7412883013651");
        List<String> lines = ((List<Map<String, Object>>) (List<?>) order.get("line_items")).stream()
                .map(l -> l.get("quantity") + "|" + l.get("price")).toList();
        assertThat(rows("SELECT concat_ws('|', i.quantity, printf('%.2f', i.unit_price)) FROM order_items i JOIN orders o ON o.id = i.order_id "
                + "WHERE o.shopify_key = '" + ORDER_KEY + "' ORDER BY i.shopify_key")).containsExactlyElementsOf(lines);
        assertThat(rows("SELECT concat_ws('|', topic, shop, state) FROM shopify_webhooks"))
                .containsExactly("orders/create|" + SHOP + "|Applied");
        // The customer's metrics are kept by the same write: one counted order of the order's total.
        assertThat(rows("SELECT concat_ws('|', total_orders, printf('%.2f', counted_order_total), printf('%.2f', lifetime_value)) "
                + "FROM customers WHERE email = 'ava.thompson@example.com'"))
                .containsExactly("1|" + order.get("total_price") + "|" + order.get("total_price"));
    }

    @Test
    @Order(2)
    void aDuplicateDeliveryChangesNothing() throws Exception {
        List<String> before = rows("SELECT concat_ws('|', id, updated_at) FROM orders UNION ALL SELECT concat_ws('|', id, updated_at) FROM customers");
        // Acknowledged once journaled, as any valid delivery: the move into shopify_webhooks leaves it out.
        assertThat(deliver("shopify_webhook_orders_create.json").body()).isEqualTo("{\"state\":\"Received\"}");
        // Another delivery of the same event (same X-Shopify-Event-Id and topic) is a duplicate too.
        Map<String, String> again = headersOf("shopify_webhook_orders_create.json");
        again.put("X-Shopify-Webhook-Id", "3f1c2a5e-9b7d-4c10-a2e4-f6b8c0d1e2ff");
        assertThat(server.post("/plugins/shopify/webhooks", again, bytes("shopify_webhook_orders_create.json")).body())
                .isEqualTo("{\"state\":\"Received\"}");
        moveJournalAndApply();
        assertThat(rows("SELECT concat_ws('|', id, updated_at) FROM orders UNION ALL SELECT concat_ws('|', id, updated_at) FROM customers"))
                .containsExactlyElementsOf(before);
        assertThat(rows("SELECT count(*) FROM shopify_webhooks")).containsExactly("1");
    }

    @Test
    @Order(3)
    void aForgedOrMissingSignatureIsRefusedAndStoresNothing() throws Exception {
        byte[] body = bytes("shopify_webhook_orders_create.json");
        byte[] forged = new String(body, StandardCharsets.UTF_8).replace("\"205.93\"", "\"0.01\"").getBytes(StandardCharsets.UTF_8);
        Map<String, String> fresh = headersOf("shopify_webhook_orders_create.json");
        fresh.put("X-Shopify-Webhook-Id", "forged-1");
        fresh.put("X-Shopify-Event-Id", "forged-event-1");
        HttpResponse<String> refused = server.post("/plugins/shopify/webhooks", fresh, forged);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("X-Shopify-Hmac-Sha256 is missing or does not match the body");
        fresh.remove("X-Shopify-Hmac-Sha256");
        assertThat(server.post("/plugins/shopify/webhooks", fresh, body).statusCode()).isEqualTo(401);
        moveJournalAndApply();
        assertThat(rows("SELECT count(*) FROM shopify_webhooks")).containsExactly("1");
        assertThat(rows("SELECT printf('%.2f', total_amount) FROM orders WHERE shopify_key = '" + ORDER_KEY + "'")).containsExactly("205.93");
    }

    @Test
    @Order(4)
    void anOlderUpdateIsIgnoredAndANewerOneApplied() throws Exception {
        Map<String, Object> older = fixture("shopify_webhook_orders_create.json");
        older.put("updated_at", "2025-03-03T14:22:09-05:00");
        older.put("total_price", "999.00");
        assertThat(sent("orders/updated", "older-1", older)).isEqualTo("Ignored");
        assertThat(rows("SELECT printf('%.2f', total_amount) FROM orders WHERE shopify_key = '" + ORDER_KEY + "'")).containsExactly("205.93");

        Map<String, Object> newer = fixture("shopify_webhook_orders_create.json");
        newer.put("updated_at", "2025-03-04T10:00:00-05:00");
        newer.put("total_price", "190.00");
        newer.put("financial_status", "refunded");
        assertThat(sent("orders/updated", "newer-1", newer)).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', printf('%.2f', total_amount), status, shopify_updated_at) FROM orders WHERE shopify_key = '"
                + ORDER_KEY + "'")).containsExactly("190.00|Refunded|2025-03-04 15:00:00+00");
        assertThat(rows("SELECT concat_ws('|', webhook_id, state, note) FROM shopify_webhooks WHERE topic = 'orders/updated' ORDER BY webhook_id"))
                .containsExactly("newer-1|Applied", "older-1|Ignored|Older than what is stored (updated_at 2025-03-03T14:22:09-05:00)");
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void aRefundBecomesAReturnOfItsOrderAndCustomer() throws Exception {
        assertThat(delivered("shopify_webhook_refunds_create.json")).isEqualTo("Applied");
        Map<String, Object> refund = fixture("shopify_webhook_refunds_create.json");
        BigDecimal amount = ((List<Map<String, Object>>) (List<?>) refund.get("transactions")).stream()
                .filter(t -> "refund".equals(t.get("kind")) && "success".equals(t.get("status")))
                .map(t -> new BigDecimal((String) t.get("amount"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(rows("SELECT concat_ws('|', printf('%.2f', r.amount), r.reason, r.resolution, r.status, r.return_date, o.shopify_key, c.email) "
                + "FROM returns r JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = r.customer_id"))
                .containsExactly(amount.setScale(2) + "|" + refund.get("note") + "|Refund|Closed|2025-03-12|" + ORDER_KEY + "|ava.thompson@example.com");
        // Its customer's metrics: the order as updated by order 4 (190.00), less the refund.
        assertThat(rows("SELECT concat_ws('|', printf('%.2f', refunded_amount), printf('%.2f', lifetime_value)) FROM customers "
                + "WHERE email = 'ava.thompson@example.com'"))
                .containsExactly(amount.setScale(2) + "|" + new BigDecimal("190.00").subtract(amount).setScale(2));
    }

    @Test
    @Order(6)
    void aRefundBeforeItsOrderWaitsUntilTheOrderArrives() throws Exception {
        Map<String, Object> refund = fixture("shopify_webhook_refunds_create.json");
        refund.put("id", 1023456789099L);
        refund.put("admin_graphql_api_id", "gid://shopify/Refund/1023456789099");
        refund.put("order_id", 6012745392299L);
        // Made in the shop's evening (-04:00): dated by its day in the store's time zone (crm.timezone, UTC here), as the sync dates refunds.
        refund.put("created_at", "2025-03-12T21:03:44-04:00");
        assertThat(sent("refunds/create", "early-refund", refund)).isEqualTo("Received");

        Map<String, Object> order = fixture("shopify_webhook_orders_create.json");
        order.put("id", 6012745392299L);
        order.put("admin_graphql_api_id", "gid://shopify/Order/6012745392299");
        order.put("name", "#1099");
        order.put("line_items", List.of());
        assertThat(sent("orders/create", "late-order", order)).isEqualTo("Applied");
        // The pass that applied the order tries the waiting refund again at its end.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!rows("SELECT state FROM shopify_webhooks WHERE webhook_id = 'early-refund'").equals(List.of("Applied"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(STORE.runJob("apply-webhooks", null)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 0);
        assertThat(rows("SELECT concat_ws('|', o.order_number, printf('%.2f', r.amount), r.return_date) FROM returns r JOIN orders o ON o.id = r.order_id "
                + "ORDER BY r.shopify_key")).containsExactly("northwind-knits #1001|27.51|2025-03-12", "northwind-knits #1099|27.51|2025-03-13");
        assertThat(rows("SELECT state FROM shopify_webhooks WHERE webhook_id = 'early-refund'")).containsExactly("Applied");
    }

    @Test
    @Order(7)
    void aNewCustomerIsCreatedKeyedByShopAndId() throws Exception {
        assertThat(delivered("shopify_webhook_customers_create.json")).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', full_name, email, phone, shopify_updated_at) FROM customers WHERE shopify_key = '"
                + SHOP + "/gid://shopify/Customer/7412883341331'"))
                .containsExactly("Chloé Tremblay|chloe.tremblay@example.ca|+15145550172|2025-03-10 15:04:52+00");
    }

    @Test
    @Order(8)
    void aFirstSyncReadsEveryCustomerProductAndOrderPacedByQueryCost() throws Exception {
        Map<String, Object> job = STORE.runJob("graphql-sync", "{\"full\": true}");
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", STORE.syncedRecords());
        assertThat(STORE.crmCustomers()).containsExactlyElementsOf(STORE.expectedCustomers());
        assertThat(STORE.crmProducts()).containsExactlyElementsOf(STORE.expectedProducts());
        assertThat(STORE.crmOrders()).containsExactlyElementsOf(STORE.expectedOrders());
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
        assertThat(STORE.crmReturns()).containsExactlyElementsOf(STORE.expectedReturns());
        // 8 customers, 2 products and 5 orders, 3 a page: 3 + 1 + 2 queries, each within the bucket: Shopify never had to
        // throttle the client.
        assertThat(SHOPIFY.queries).hasSize(6);
        assertThat(SHOPIFY.unpaced).hasValue(0);
    }

    @Test
    @Order(9)
    void throttledTooManyRequestsServerErrorsAndADroppedConnectionAreWaitedOutAndRetried() throws Exception {
        SHOPIFY.queries.clear();
        SHOPIFY.fail(FakeShopify.Fault.THROTTLED, FakeShopify.Fault.TOO_MANY_REQUESTS, FakeShopify.Fault.ERROR_500,
                FakeShopify.Fault.DROP_CONNECTION);
        Map<String, Object> job = STORE.runJob("graphql-sync", "{\"full\": true}");
        int records = STORE.syncedRecords();
        assertThat(job).containsEntry("state", "SUCCEEDED")
                .containsEntry("message", "Synced " + records + " records: 0 new, 0 changed, " + records + " unchanged; 0 skipped");
        assertThat(SHOPIFY.queries).hasSize(6 + 4);
        assertThat(SHOPIFY.unpaced).hasValue(0);
        assertThat(STORE.crmCustomers()).containsExactlyElementsOf(STORE.expectedCustomers());
        assertThat(STORE.crmOrders()).containsExactlyElementsOf(STORE.expectedOrders());
    }

    @Test
    @Order(10)
    void aLaterRunAsksOnlyForWhatWasUpdatedSinceThePreviousRunBegan() throws Exception {
        // The cursor after a run: store 0, customers, no page, not started, then each store's since.
        String cursor = rows("SELECT cursor FROM crm_sync_state WHERE source = 'shopify:graphql-sync'").get(0);
        assertThat(cursor).startsWith("0|customers|||");
        String since = cursor.split("\\|", -1)[4].split(",")[0];
        SHOPIFY.queries.clear();
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 0);
        assertThat(SHOPIFY.queries).hasSize(3).allSatisfy(q -> assertThat(q).containsEntry("query", "updated_at:>'" + since + "'"));
    }

    @Test
    @Order(11)
    void aLaterRunWritesTheOrderAndProductChangedSince() throws Exception {
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        SHOPIFY.put("products", product(8801000000003L, "Cashmere Mittens", "DRAFT", "Gloves", "55.0", now));
        Map<String, Object> changed = order(6012745400004L, "#2004", 7412883374099L, "2025-03-13T15:00:00Z", now, now, "REFUNDED",
                "UNFULFILLED", "76.0", List.of(line(15005, 2, "38.0", 8801000000001L)),
                List.of(refund(9902, "2025-03-14T07:59:00Z", null, "10.0"), refund(9903, now, "Changed mind", "66.0")));
        SHOPIFY.put("orders", changed);
        SHOPIFY.queries.clear();
        // One product, and the order with its one line and two refunds.
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 1 + 1 + 1 + 2);
        assertThat(STORE.crmProducts()).containsExactlyElementsOf(STORE.expectedProducts());
        assertThat(STORE.crmOrders()).containsExactlyElementsOf(STORE.expectedOrders());
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
        assertThat(STORE.crmReturns()).containsExactlyElementsOf(STORE.expectedReturns());
    }

    @Test
    @Order(12)
    void aRefusedTokenFailsTheSyncClearlyAndChangesNothing() throws Exception {
        List<String> before = rows("SELECT concat_ws('|', id, updated_at) FROM customers ORDER BY id");
        Map<String, Object> job = STORE.runJob("graphql-sync", "{\"full\": true, \"url\": \"" + SHOPIFY.url() + "/bad\"}");
        assertThat(job).containsEntry("state", "FAILED").containsEntry("message", "Shopify refused the access token for " + SHOP + " (401)");
        assertThat(rows("SELECT concat_ws('|', id, updated_at) FROM customers ORDER BY id")).containsExactlyElementsOf(before);
    }

    @Test
    @Order(14)
    void aDataRequestIsRecordedAndARedactErasesTheCustomerButKeepsTheOrders() throws Exception {
        String customerKey = SHOP + "/gid://shopify/Customer/7412883013651";
        Map<String, Object> customer = Map.of("id", 7412883013651L, "email", "ava.thompson@example.com", "phone", "+12125550147");
        Map<String, Object> request = Map.of("shop_id", 954889, "shop_domain", SHOP, "orders_requested", List.of(6012745392211L),
                "customer", customer, "data_request", Map.of("id", 9999));
        assertThat(sent("customers/data_request", "data-request-1", request)).isEqualTo("Applied");
        assertThat(rows("SELECT note FROM shopify_webhooks WHERE webhook_id = 'data-request-1'"))
                .containsExactly("Data request 9999 for customer 7412883013651 recorded: answer it from the CRM's data");

        String naming = "FROM shopify_webhooks WHERE body LIKE '%7412883013651%' OR body LIKE '%ava.thompson@example.com%' OR body LIKE '%+12125550147%'";
        int bodies = Integer.parseInt(rows("SELECT count(*) " + naming).get(0)) + 1;
        Map<String, Object> redact = Map.of("shop_id", 954889, "shop_domain", SHOP, "customer", customer,
                "orders_to_redact", List.of(6012745392211L));
        assertThat(sent("customers/redact", "redact-1", redact)).isEqualTo("Applied");
        assertThat(rows("SELECT note FROM shopify_webhooks WHERE webhook_id = 'redact-1'"))
                .containsExactly("Customer 7412883013651 erased; " + bodies + " delivery bodies erased");
        assertThat(rows("SELECT concat_ws('|', coalesce(email, '-'), coalesce(full_name, '-'), coalesce(phone, '-'), coalesce(notes, '-')) "
                + "FROM customers WHERE shopify_key = '" + customerKey + "'")).containsExactly("-|-|-|-");
        assertThat(rows("SELECT count(*) " + naming)).containsExactly("0");
        // The orders stay, as anonymous facts of the shop.
        assertThat(rows("SELECT o.order_number FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.shopify_key = '"
                + customerKey + "' ORDER BY o.order_number")).containsExactly("northwind-knits #1001", "northwind-knits #1099");
    }

    @Test
    @Order(15)
    void theAdminCustomersExportImportsEveryCustomerWithoutShopifysQuotes() throws Exception {
        Map<String, Object> job = importCsv("shopify:customers-csv", Files.readString(Fixtures.shopify("shopify_customers_export.csv")));
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 23).containsEntry("errorCount", 0);
        assertThat(importedCustomers()).containsExactly(
                "7412883013651|Ava Thompson|ava.thompson@example.com|+12125550147|true|VIP,newsletter",
                "7412883046419|Łukasz Wójcik|lukasz.wojcik@example.pl|+48 22 555 01 23|false|-",
                "7412883079187|Zoë O'Connor|zoe.oconnor@example.ie|-|true|wholesale",
                "7412883111955|José María García Pérez|jm.garcia@example.es|+34915550142|true|b2b,repeat-customer",
                "7412883144723|太郎 田中|taro.tanaka@example.jp|+81 3-5555-0199|false|-",
                "7412883177491|Hương Nguyễn Thị|huong.nguyen@example.com|+84 28 5555 0134|true|newsletter",
                "7412883210259|Søren Kierkegård|soren.k@example.dk|+4555550117|false|-",
                "7412883243027|Björn Müller-Lüdenscheidt|bjoern.mueller@example.de|+49 351 5550123|true|lead",
                "7412883275795|-|no.name.buyer@example.net|-|true|-",
                "7412883308563|Oliver Bennett|-|+447700900123|false|pos",
                "7412883341331|Chloé Tremblay|chloe.tremblay@example.ca|+15145550172|true|VIP",
                "7412883374099|Ethan Walsh|ethan.walsh@example.com|+1 617-555-0110|false|-",
                "7412883406867|Mia Nguyen|mia.nguyen@example.com.au|+61491570006|true|newsletter,VIP",
                "7412883439635|João Silva|joao.silva@example.com.br|+55 11 5555-0100|false|-",
                "7412883472403|María Fernanda López|mafer.lopez@example.mx|+52 33 5555 0101|true|-",
                "7412883505171|Priya Sharma|priya.sharma@example.in|+919876543210|true|newsletter",
                "7412883537939|Renée D'Amour-Saint-Pierre|renee.damour@example.fr|+33 1 55 55 01 11|false|repeat customer",
                "7412883570707|Riverside School District Purchasing|ap@riverside-schools.example.org|+1 951-555-0188|false|b2b,tax-exempt,net-30",
                "7412883603475|נועה כהן|noa.cohen@example.co.il|+972 3-555-0123|true|-",
                "7412883636243|Γιώργος Παπαδόπουλος|giorgos.p@example.gr|+30 21 0555 0125|false|-",
                "7412883669011|Lena Schmidt|lena.schmidt@example.at|+43 1 5550123|true|newsletter",
                "7412883701779|Kwame Mensah|kwame.mensah+shop@example.com|+16505550163|true|VIP,wholesale,referral",
                "7412883734547|Ingrid Ås|ingrid.as@example.no|+47 22 55 50 12|false|-");
        // Customers the sync wrote are the same entries, found by email (Taro's synced order stays his).
        assertThat(rows("SELECT concat_ws('|', c.shopify_customer_id, c.shopify_key) FROM customers c WHERE c.email = 'taro.tanaka@example.jp'"))
                .containsExactly("7412883144723|" + SHOP + "/gid://shopify/Customer/7412883144723");
        assertThat(rows("SELECT notes FROM customers WHERE shopify_customer_id = '7412883079187'"))
                .containsExactly("Prefers \"leave at front desk\".\nCall before 9am, never after.");
    }

    @Test
    @Order(16)
    void anOlderExportHeaderIsRecognisedAndUpdatesByEmail() throws Exception {
        String before2022 = "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,Country Code,Zip,Phone,"
                + "Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt\n"
                + "José María,García Pérez,jm.garcia@example.es,,,,Madrid,Madrid,M,Spain,ES,28014,'+34915550142,no,2300.00,12,b2b,,no\n"
                + "Hana,Novak,hana.novak@example.cz,,,,Praha,,,Czech Republic,CZ,11000,'+420 555 010 203,yes,15.00,1,,,no\n";
        Map<String, Object> job = importCsv("shopify:customers-csv", before2022);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 2).containsEntry("errorCount", 0);
        assertThat(rows("SELECT concat_ws('|', coalesce(shopify_customer_id, '-'), full_name, phone, accepts_marketing, "
                + "list_aggr(tags, 'string_agg', ',')) FROM customers "
                + "WHERE email IN ('jm.garcia@example.es', 'hana.novak@example.cz') ORDER BY email"))
                .containsExactly("-|Hana Novak|+420 555 010 203|true", "7412883111955|José María García Pérez|+34915550142|false|b2b");
    }

    @Test
    @Order(17)
    void theAdminOrdersExportBecomesOrdersWithTheirLineItemsInOneImport() throws Exception {
        // #1001 came by webhook and #1002 by the sync: the export's rows of them update those entries.
        List<String> before = rows("SELECT concat_ws('|', id, shopify_key) FROM orders WHERE order_number IN "
                + "('northwind-knits #1001', 'northwind-knits #1002') ORDER BY order_number");
        assertThat(before).hasSize(2);
        String csv = Files.readString(Fixtures.shopify("shopify_orders_export.csv"));
        Map<String, Object> job = importCsv("shopify:orders-csv", csv);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 16).containsEntry("errorCount", 0);
        // The fixture's 8 orders: a voided payment is Cancelled, a refunded one Refunded, else the fulfilment decides.
        List<String> orders = List.of(
                "northwind-knits #1001|2025-03-03 19:22:07+00|205.93|USD|Fulfilled|ava.thompson@example.com",
                "northwind-knits #1002|2025-03-05 08:14:55+00|389.00|PLN|Pending|lukasz.wojcik@example.pl",
                "northwind-knits #1003|2025-03-07 17:40:10+00|158.95|EUR|Fulfilled|jm.garcia@example.es",
                "northwind-knits #1004|2025-03-08 17:31:45+00|52.26|USD|Fulfilled|-",
                "northwind-knits #1005|2025-03-10 01:11:03+00|69.19|USD|Cancelled|ethan.walsh@example.com",
                "northwind-knits #1006|2025-03-11 01:02:41+00|12800.00|JPY|Pending|taro.tanaka@example.jp",
                "northwind-knits #1007|2025-03-12 15:00:12+00|2445.00|USD|Fulfilled|ap@riverside-schools.example.org",
                "northwind-knits #1008|2025-03-15 21:47:28+00|192.50|EUR|Pending|zoe.oconnor@example.ie");
        List<String> items = List.of(
                "northwind-knits #1001|" + LINE + "#1001/MCS-CHR-M|2|89.00", "northwind-knits #1001|" + LINE + "#1001/WCK-01|1|24.00", "northwind-knits #1002|" + LINE + "#1002/LDC-NAT-200|1|389.00",
                "northwind-knits #1003|" + LINE + "#1003/CPO-SND|1|69.00", "northwind-knits #1003|" + LINE + "#1003/GNK-08|1|35.00", "northwind-knits #1003|" + LINE + "#1003/SOB-HUI-250|2|25.00",
                "northwind-knits #1004|" + LINE + "#1004/BWC-TALL|2|14.00", "northwind-knits #1004|" + LINE + "#1004/LTT-SGE|1|20.00", "northwind-knits #1005|" + LINE + "#1005/CWB-OLV|1|59.00",
                "northwind-knits #1006|" + LINE + "#1006/HBS-01|2|4000.00", "northwind-knits #1006|" + LINE + "#1006/TNG-AI-3|1|4800.00", "northwind-knits #1007|" + LINE + "#1007/CSB-L-BLU|40|45.00",
                "northwind-knits #1007|" + LINE + "#1007/LHC-10|20|30.00", "northwind-knits #1008|" + LINE + "#1008/AWT-CRM|1|120.00", "northwind-knits #1008|" + LINE + "#1008/Gift Card - €50|1|50.00",
                "northwind-knits #1008|" + LINE + "#1008/HTM-SEA|1|15.00");
        String ordersQuery = "SELECT concat_ws('|', o.order_number, o.order_date, printf('%.2f', o.total_amount), o.currency, o.status, "
                + "coalesce(c.email, '-')) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.order_number BETWEEN 'northwind-knits #1001' AND 'northwind-knits #1008' ORDER BY 1";
        String itemsQuery = "SELECT concat_ws('|', o.order_number, i.shopify_key, i.quantity, printf('%.2f', i.unit_price)) FROM order_items i "
                + "JOIN orders o ON o.id = i.order_id WHERE i.shopify_key LIKE '" + LINE + "#100%' ORDER BY 1";
        assertThat(rows(ordersQuery)).containsExactlyElementsOf(orders);
        assertThat(rows(itemsQuery)).containsExactlyElementsOf(items);
        String keys = "SELECT concat_ws('|', id, shopify_key) FROM orders WHERE order_number IN "
                + "('northwind-knits #1001', 'northwind-knits #1002') ORDER BY order_number";
        assertThat(rows(keys)).containsExactlyElementsOf(before)
                .containsExactly(before.get(0).split("\\|")[0] + "|" + ORDER_KEY, before.get(1).split("\\|")[0] + "|" + SHOP + "/gid://shopify/Order/6012745425187");
        // Imported again: the same orders and lines, updated in place.
        assertThat(importCsv("shopify:orders-csv", csv)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(rows(ordersQuery)).containsExactlyElementsOf(orders);
        assertThat(rows(itemsQuery)).containsExactlyElementsOf(items);

        // Cancelled orders (`Cancelled at` set) are Cancelled whatever the payment says, as the webhooks and the sync decide:
        // one cancelled without a refund (still paid), one cancelled and refunded.
        List<String> header = List.of(csv.substring(0, csv.indexOf('\n')).split(","));
        String cancelled = String.join("\n", String.join(",", header),
                exportRow(header, "#1009", "6012745655571", "paid", "2025-03-16 09:00:00 -0500", "2025-03-16 10:30:00 -0500"),
                exportRow(header, "#1010", "6012745688339", "refunded", "2025-03-17 09:00:00 -0500", "2025-03-18 11:00:00 -0500")) + "\n";
        assertThat(importCsv("shopify:orders-csv", cancelled)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(rows("SELECT concat_ws('|', order_number, status) FROM orders WHERE order_number IN ('northwind-knits #1009', "
                + "'northwind-knits #1010') ORDER BY 1")).containsExactly("northwind-knits #1009|Cancelled", "northwind-knits #1010|Cancelled");

        // #1003, imported first, then changed on Shopify and synced: still one order with its three lines.
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        SHOPIFY.put("orders", order(6012745458963L, "#1003", null, "2025-03-07T17:40:10Z", now, null, "PAID", "FULFILLED", "160.0",
                List.of(line(16002, "CPO-SND", 1, "70.0", null), line(16003, "SOB-HUI-250", 2, "25.0", null),
                        line(16004, "GNK-08", 1, "40.0", null)), List.of()));
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED");
        assertThat(rows("SELECT concat_ws('|', shopify_key, printf('%.2f', total_amount), currency) FROM orders "
                + "WHERE order_number = 'northwind-knits #1003'")).containsExactly(SHOP + "/gid://shopify/Order/6012745458963|160.00|USD");
        assertThat(rows("SELECT concat_ws('|', i.shopify_key, i.quantity, printf('%.2f', i.unit_price)) FROM order_items i "
                + "JOIN orders o ON o.id = i.order_id WHERE o.order_number = 'northwind-knits #1003' ORDER BY 1")).containsExactly(
                LINE + "#1003/CPO-SND|1|70.00", LINE + "#1003/GNK-08|1|40.00", LINE + "#1003/SOB-HUI-250|2|25.00");
    }

    @Test
    @Order(18)
    void aProductUpdateAppliesUnlessOlderAndADeletedCustomerIsDeleted() throws Exception {
        Map<String, Object> product = node("admin_graphql_api_id", "gid://shopify/Product/8801000000009", "id", 8801000000009L,
                "title", "Lambswool Socks", "product_type", "Socks", "status", "active", "updated_at", "2025-03-20T10:00:00-04:00",
                "variants", List.of(node("price", "18.00"), node("price", "14.50")));
        assertThat(sent("products/update", "product-new", product)).isEqualTo("Applied");
        Map<String, Object> older = new LinkedHashMap<>(product);
        older.put("title", "Old Socks");
        older.put("updated_at", "2025-03-19T10:00:00-04:00");
        assertThat(sent("products/update", "product-old", older)).isEqualTo("Ignored");
        assertThat(rows("SELECT concat_ws('|', name, category, printf('%.2f', price), status) FROM products WHERE shopify_key = '"
                + SHOP + "/gid://shopify/Product/8801000000009'")).containsExactly("Lambswool Socks|Socks|14.50|Active");

        Map<String, Object> customer = node("id", 7412883999001L, "admin_graphql_api_id", "gid://shopify/Customer/7412883999001",
                "email", "short.lived@example.com", "first_name", "Short", "last_name", "Lived", "updated_at", "2025-03-20T10:00:00-04:00");
        assertThat(sent("customers/create", "customer-new", customer)).isEqualTo("Applied");
        assertThat(rows("SELECT full_name FROM customers WHERE email = 'short.lived@example.com'")).containsExactly("Short Lived");
        assertThat(sent("customers/delete", "customer-gone", node("id", 7412883999001L, "phone", null, "addresses", List.of(),
                "admin_graphql_api_id", "gid://shopify/Customer/7412883999001"))).isEqualTo("Applied");
        assertThat(rows("SELECT note FROM shopify_webhooks WHERE webhook_id = 'customer-gone'")).containsExactly("Customer 7412883999001 deleted");
        assertThat(rows("SELECT count(*) FROM customers WHERE email = 'short.lived@example.com'")).containsExactly("0");
    }

    @Test
    @Order(19)
    void deliveriesFromConcurrentSendersAreAcknowledgedThenEachAppliedOnceInOrder() throws Exception {
        int senders = 8;
        int versions = 5;
        List<List<String>> answers = fromSenders(senders, sender -> {
            List<String> bodies = new java.util.ArrayList<>();
            for (int v = 0; v < versions; v++) {
                String at = "2025-04-01T10:0" + v + ":00Z";
                Map<String, Object> customer = node("id", 7412883910000L + sender, "admin_graphql_api_id",
                        "gid://shopify/Customer/" + (7412883910000L + sender), "email", "sender" + sender + "@example.com",
                        "first_name", "Sender" + sender, "last_name", "Version" + v, "updated_at", at);
                bodies.add(send(SHOP, secret, "customers/update", "burst-" + sender + "-" + v, at, customer).body());
            }
            return bodies;
        });
        for (List<String> answer : answers) {
            assertThat(answer).containsOnly("{\"state\":\"Received\"}").hasSize(versions);
        }
        moveJournalAndApply();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!rows("SELECT count(*) FROM shopify_webhooks WHERE webhook_id LIKE 'burst-%' AND state = 'Received'").equals(List.of("0"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // Each version is newer than the one before: applied out of order, one would have been Ignored.
        assertThat(rows("SELECT concat_ws('|', state, count(*)) FROM shopify_webhooks WHERE webhook_id LIKE 'burst-%' GROUP BY state"))
                .containsExactly("Applied|" + senders * versions);
        assertThat(rows("SELECT concat_ws('|', email, full_name) FROM customers WHERE email LIKE 'sender%@example.com' ORDER BY email"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, senders)
                        .mapToObj(t -> "sender" + t + "@example.com|Sender" + t + " Version" + (versions - 1)).toList());
    }

    @Test
    @Order(20)
    void twoStoresSyncSideBySideKeyedByTheirShop() throws Exception {
        // The second store was read (empty) by every run so far; what it gains now is read by the next.
        String cursor = rows("SELECT cursor FROM crm_sync_state WHERE source = 'shopify:graphql-sync'").get(0);
        String secondSince = cursor.split("\\|", -1)[4].split(",", -1)[1];
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        SHOPIFY2.queries.clear();
        SHOPIFY2.put("customers", node("id", "gid://shopify/Customer/7412883144723", "firstName", "Hana", "lastName", "Novak",
                "defaultEmailAddress", node("emailAddress", "hana.alpine@example.cz"), "defaultPhoneNumber", null,
                "updatedAt", now, "note", null, "tags", List.of("alpine")));
        // The same GIDs as the first store's product, order and customer (Taro): other entries, keyed by shop.
        SHOPIFY2.put("products", product(8801000000001L, "Merino Beanie", "ACTIVE", "Hats", "42.0", now));
        Map<String, Object> order = order(6012745400001L, "#2001", 7412883144723L, "2025-03-15T11:00:00Z", now, null,
                "PAID", "FULFILLED", "84.0", List.of(line(25001, 2, "42.0", 8801000000001L)), List.of());
        order.put("customer", node("id", "gid://shopify/Customer/7412883144723", "defaultEmailAddress", node("emailAddress", "hana.alpine@example.cz")));
        SHOPIFY2.put("orders", order);
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED");

        assertThat(rows("SELECT concat_ws('|', shopify_key, name, printf('%.2f', price)) FROM products "
                + "WHERE shopify_key LIKE '%/gid://shopify/Product/8801000000001' ORDER BY shopify_key")).containsExactly(
                SHOP2 + "/gid://shopify/Product/8801000000001|Merino Beanie|42.00", SHOP + "/gid://shopify/Product/8801000000001|Merino Beanie|38.00");
        assertThat(rows("SELECT concat_ws('|', o.order_number, o.shopify_shop, printf('%.2f', o.total_amount), c.email, c.shopify_key) "
                + "FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.shopify_key LIKE '%/gid://shopify/Order/6012745400001' "
                + "ORDER BY o.order_number")).containsExactly(
                "alpine-yarns #2001|" + SHOP2 + "|84.00|hana.alpine@example.cz|" + SHOP2 + "/gid://shopify/Customer/7412883144723",
                "northwind-knits #2001|" + SHOP + "|140.50|taro.tanaka@example.jp|" + SHOP + "/gid://shopify/Customer/7412883144723");
        assertThat(rows("SELECT concat_ws('|', i.quantity, printf('%.2f', i.unit_price), p.shopify_key) FROM order_items i "
                + "JOIN products p ON p.id = i.product_id WHERE i.shopify_key = '" + SHOP2 + "/#2001/SKU-25001'"))
                .containsExactly("2|42.00|" + SHOP2 + "/gid://shopify/Product/8801000000001");
        // The second store was asked for its own changes; the cursor keeps one since per store.
        assertThat(SHOPIFY2.queries).hasSize(3).allSatisfy(q -> assertThat(q).containsEntry("query", "updated_at:>'" + secondSince + "'"));
        String[] since = rows("SELECT cursor FROM crm_sync_state WHERE source = 'shopify:graphql-sync'").get(0).split("\\|", -1)[4].split(",", -1);
        assertThat(since).hasSize(2).doesNotContain("");
    }

    @Test
    @Order(21)
    void eachStoreSignsWithItsOwnSecretAndShopRedactErasesOnlyThatShop() throws Exception {
        Map<String, Object> customer = node("id", 7412883144799L, "admin_graphql_api_id", "gid://shopify/Customer/7412883144799",
                "email", "lea.alpine@example.ch", "first_name", "Lea", "last_name", "Frei", "updated_at", "2025-03-16T10:00:00Z");
        assertThat(send(SHOP2, secret, "customers/create", "alpine-1", null, customer).statusCode()).isEqualTo(401);
        assertThat(applied("alpine-1", send(SHOP2, SECRET2, "customers/create", "alpine-1", null, customer))).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', email, full_name) FROM customers WHERE shopify_shop = '" + SHOP2 + "' ORDER BY email"))
                .containsExactly("hana.alpine@example.cz|Hana Novak", "lea.alpine@example.ch|Lea Frei");
        String firstStore = "SELECT concat_ws('|', id, email, full_name, phone) FROM customers WHERE shopify_shop = '" + SHOP + "' "
                + "UNION ALL SELECT concat_ws('|', id, length(body)) FROM shopify_webhooks WHERE shop = '" + SHOP + "' ORDER BY 1";
        List<String> before = rows(firstStore);

        assertThat(applied("alpine-redact", send(SHOP2, SECRET2, "shop/redact", "alpine-redact", null,
                node("shop_id", 954890, "shop_domain", SHOP2)))).isEqualTo("Applied");
        assertThat(rows("SELECT note FROM shopify_webhooks WHERE webhook_id = 'alpine-redact'"))
                .containsExactly("Shop " + SHOP2 + " erased: 2 customers (those no other store links), 2 delivery bodies");
        assertThat(rows("SELECT concat_ws('|', shopify_key, coalesce(email, '-'), coalesce(full_name, '-')) FROM customers "
                + "WHERE shopify_shop = '" + SHOP2 + "' ORDER BY shopify_key")).containsExactly(
                SHOP2 + "/gid://shopify/Customer/7412883144723|-|-", SHOP2 + "/gid://shopify/Customer/7412883144799|-|-");
        assertThat(rows("SELECT count(body) FROM shopify_webhooks WHERE shop = '" + SHOP2 + "'")).containsExactly("0");
        // The shop's orders stay as anonymous facts; the other store is untouched.
        assertThat(rows("SELECT order_number FROM orders WHERE shopify_shop = '" + SHOP2 + "'")).containsExactly("alpine-yarns #2001");
        assertThat(rows(firstStore)).containsExactlyElementsOf(before);
    }

    @Test
    @Order(13)
    void aSyncKilledMidRunResumesAtItsLastCommittedPageAndEndsAsAnUninterruptedRun() throws Exception {
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Object> heldAfter = new java.util.concurrent.atomic.AtomicReference<>();
        SHOPIFY.beforeAnswer = (connection, variables) -> {
            if (connection.equals("orders") && variables.get("after") != null && heldAfter.compareAndSet(null, variables.get("after"))) {
                reached.countDown();
                awaitLatch(killed);
            }
        };
        String id = STORE.startJob("graphql-sync", "{\"full\": true}");
        awaitLatch(reached);
        // The server waits for the second page of orders: customers, products and the first orders page are committed.
        server.kill();
        killed.countDown();
        SHOPIFY.beforeAnswer = (connection, variables) -> { };

        server = CrmProcess.start(Path.of("target", "shopify-e2e-server.log"), arguments);
        assertThat(STORE.job(id)).containsEntry("state", "INTERRUPTED");
        // The cursor committed with the first orders page: store 0, orders, after that page, the run's start, no since yet.
        assertThat(rows("SELECT cursor FROM crm_sync_state WHERE source = 'shopify:graphql-sync'").get(0))
                .startsWith("0|orders|" + heldAfter.get() + "|").endsWith("Z|");
        SHOPIFY.queries.clear();
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED");
        // Resumed at the page it was waiting for: nothing committed before was asked for again.
        assertThat(SHOPIFY.queries.get(0)).containsEntry("after", heldAfter.get()).containsEntry("query", null);
        assertThat(STORE.crmCustomers()).containsExactlyElementsOf(STORE.expectedCustomers());
        assertThat(STORE.crmProducts()).containsExactlyElementsOf(STORE.expectedProducts());
        assertThat(STORE.crmOrders()).containsExactlyElementsOf(STORE.expectedOrders());
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
        assertThat(STORE.crmReturns()).containsExactlyElementsOf(STORE.expectedReturns());
    }

    @Test
    @Order(22)
    void deliveriesAppliedInOneBatchHaveTheOutcomesTheyHaveOneAtATime() throws Exception {
        // Stored while the server is down, so the next pass applies them together, in trigger order.
        Map<String, Object> buyer = node("id", 7412883920001L, "admin_graphql_api_id", "gid://shopify/Customer/7412883920001",
                "email", "batch.buyer@example.com", "first_name", "Batch", "last_name", "Buyer", "updated_at", "2025-05-01T10:00:00Z");
        Map<String, Object> created = batchOrder("2025-05-01T10:00:00Z", "50.00", buyer);
        Map<String, Object> refund = node("id", 1023456789400L, "admin_graphql_api_id", "gid://shopify/Refund/1023456789400",
                "order_id", 6012745392400L, "created_at", "2025-05-02T10:00:00Z", "note", "Too big",
                "transactions", List.of(node("kind", "refund", "status", "success", "amount", "10.00")));
        Map<String, Object> older = batchOrder("2025-04-30T10:00:00Z", "999.00", buyer);
        Map<String, Object> renamed = new LinkedHashMap<>(buyer);
        renamed.put("last_name", "Buyer-Two");
        renamed.put("updated_at", "2025-05-03T10:00:00Z");
        Map<String, Object> newer = batchOrder("2025-05-03T10:00:00Z", "60.00", renamed);
        Map<String, Object> orphan = new LinkedHashMap<>(refund);
        orphan.put("id", 1023456789401L);
        orphan.put("admin_graphql_api_id", "gid://shopify/Refund/1023456789401");
        orphan.put("order_id", 6012745392499L);
        server.close();
        String database = arguments.stream().filter(a -> a.startsWith("--crm.database=")).findFirst().orElseThrow().substring("--crm.database=".length());
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:" + database);
             java.sql.PreparedStatement insert = db.prepareStatement("INSERT INTO shopify_webhooks (id, created_at, updated_at, webhook_id, "
                     + "topic, shop, triggered_at, body, state) VALUES (?, now(), now(), ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?, 'Received')")) {
            List<List<Object>> deliveries = List.of(List.of("batch-created", "orders/create", created), List.of("batch-refund", "refunds/create", refund),
                    List.of("batch-older", "orders/updated", older), List.of("batch-newer", "orders/updated", newer),
                    List.of("batch-orphan", "refunds/create", orphan));
            for (int i = 0; i < deliveries.size(); i++) {
                insert.setLong(1, 900_001 + i);
                insert.setString(2, (String) deliveries.get(i).get(0));
                insert.setString(3, (String) deliveries.get(i).get(1));
                insert.setString(4, SHOP);
                insert.setString(5, "2025-05-04T10:00:0" + i + "Z");
                insert.setString(6, JSON.writeValueAsString(deliveries.get(i).get(2)));
                insert.executeUpdate();
            }
        }
        server = CrmProcess.start(Path.of("target", "shopify-e2e-server.log"), arguments);
        // The start's move of the journal asks for a pass, which may apply them before the job does: the job waits for it.
        assertThat(STORE.runJob("apply-webhooks", null)).containsEntry("state", "SUCCEEDED");
        assertThat(rows("SELECT concat_ws('|', webhook_id, state, note) FROM shopify_webhooks WHERE webhook_id LIKE 'batch-%' ORDER BY id"))
                .containsExactly("batch-created|Applied", "batch-refund|Applied",
                        "batch-older|Ignored|Older than what is stored (updated_at 2025-04-30T10:00:00Z)", "batch-newer|Applied",
                        "batch-orphan|Received|Waits for its order to arrive");
        String key = SHOP + "/gid://shopify/Order/6012745392400";
        assertThat(rows("SELECT concat_ws('|', o.order_number, printf('%.2f', o.total_amount), c.full_name, "
                + "(SELECT count(*) FROM order_items i WHERE i.order_id = o.id), (SELECT printf('%.2f', sum(r.amount)) FROM returns r WHERE r.order_id = o.id)) "
                + "FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.shopify_key = '" + key + "'"))
                .containsExactly("northwind-knits #1400|60.00|Batch Buyer-Two|1|10.00");
        assertThat(rows("SELECT concat_ws('|', total_orders, printf('%.2f', counted_order_total), printf('%.2f', refunded_amount), "
                + "printf('%.2f', lifetime_value)) FROM customers WHERE email = 'batch.buyer@example.com'"))
                .containsExactly("1|60.00|10.00|50.00");
    }

    /** Order #1400 of the batch test as of {@code updatedAt}: one line, paid, of {@code customer}. */
    private static Map<String, Object> batchOrder(String updatedAt, String total, Map<String, Object> customer) {
        return node("id", 6012745392400L, "admin_graphql_api_id", "gid://shopify/Order/6012745392400", "name", "#1400",
                "created_at", "2025-05-01T10:00:00Z", "updated_at", updatedAt, "total_price", total, "currency", "USD",
                "financial_status", "paid", "fulfillment_status", null, "cancelled_at", null, "customer", customer,
                "line_items", List.of(node("sku", "SKU-B1", "name", "Batch item", "quantity", 2, "price", "25.00")));
    }

    // ---- helpers ----

    private static Map<String, Object> importCsv(String importer, String csv) throws Exception {
        HttpResponse<String> answer = server.post("/imports/" + importer, Map.of("Content-Type", "text/csv"), csv.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return STORE.awaitJob((String) JSON.readValue(answer.body(), Map.class).get("jobId"));
    }

    /** The one row of a one-line order of Ava's in the orders export's columns {@code header}, the others empty. */
    private static String exportRow(List<String> header, String name, String id, String financialStatus, String createdAt, String cancelledAt) {
        Map<String, String> cells = Map.ofEntries(Map.entry("Name", name), Map.entry("Id", id), Map.entry("Email", "ava.thompson@example.com"),
                Map.entry("Financial Status", financialStatus), Map.entry("Fulfillment Status", "unfulfilled"), Map.entry("Currency", "USD"),
                Map.entry("Total", "49.00"), Map.entry("Created at", createdAt), Map.entry("Cancelled at", cancelledAt),
                Map.entry("Lineitem quantity", "1"), Map.entry("Lineitem name", "Wool Care Kit"), Map.entry("Lineitem price", "49.00"),
                Map.entry("Lineitem sku", "WCK-01"));
        return String.join(",", header.stream().map(column -> cells.getOrDefault(column, "")).toList());
    }

    private static List<String> importedCustomers() throws Exception {
        return rows("SELECT concat_ws('|', shopify_customer_id, coalesce(full_name, '-'), coalesce(email, '-'), coalesce(phone, '-'), "
                + "accepts_marketing, coalesce(nullif(list_aggr(tags, 'string_agg', ','), ''), '-')) "
                + "FROM customers WHERE shopify_customer_id IS NOT NULL ORDER BY shopify_customer_id");
    }

    @Test
    @Order(23)
    void deliveriesRepeatedWithinOneGroupCommitAreStoredAndAppliedOnce() throws Exception {
        int senders = 16;
        int distinct = 4;
        List<String> bodies = fromSenders(senders, sender -> {
            int customer = sender % distinct;
            Map<String, Object> json = node("id", 7412883950000L + customer, "admin_graphql_api_id",
                    "gid://shopify/Customer/" + (7412883950000L + customer), "email", "repeat" + customer + "@example.com",
                    "first_name", "Repeat", "last_name", "Customer " + customer, "updated_at", "2025-04-02T10:00:00Z");
            return send(SHOP, secret, "customers/update", "repeat-" + customer, null, json).body();
        });
        // Sent at once, all are journaled, and most moved by the same insert: within it as against what is stored, each id counts once.
        assertThat(bodies).containsExactlyElementsOf(java.util.Collections.nCopies(senders, "{\"state\":\"Received\"}"));
        moveJournalAndApply();
        for (int c = 0; c < distinct; c++) {
            assertThat(applied("repeat-" + c)).isEqualTo("Applied");
        }
        assertThat(rows("SELECT concat_ws('|', webhook_id, event_key, state) FROM shopify_webhooks WHERE webhook_id LIKE 'repeat-%' ORDER BY 1"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, distinct)
                        .mapToObj(c -> "repeat-" + c + "|customers/update event-repeat-" + c + "|Applied").toList());
        assertThat(rows("SELECT concat_ws('|', email, full_name) FROM customers WHERE email LIKE 'repeat%@example.com' ORDER BY email"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, distinct)
                        .mapToObj(c -> "repeat" + c + "@example.com|Repeat Customer " + c).toList());
        // Sent again in later commits, under the same webhook id or only the same event: each is found stored.
        List<String> later = fromSenders(2 * distinct, sender -> {
            Map<String, Object> json = node("id", 7412883950000L + sender % distinct, "updated_at", "2025-04-03T10:00:00Z");
            String webhookId = sender < distinct ? "repeat-" + sender : "repeat-again-" + sender;
            return sendEvent(SHOP, secret, "customers/update", webhookId, "event-repeat-" + sender % distinct, json).body();
        });
        assertThat(later).containsExactlyElementsOf(java.util.Collections.nCopies(2 * distinct, "{\"state\":\"Received\"}"));
        moveJournalAndApply();
        assertThat(rows("SELECT count(*) FROM shopify_webhooks WHERE webhook_id LIKE 'repeat-%'")).containsExactly(String.valueOf(distinct));
    }

    @Test
    @Order(24)
    void anOlderExportImportedAgainChangesNothingAndAChangedRowUpdatesItsCustomer() throws Exception {
        // About 2022: no Customer ID, and customers without email, found again by phone, else by name and address.
        String header = "First Name,Last Name,Email,Accepts Email Marketing,Company,Address1,Address2,City,Province,Province Code,Country,"
                + "Country Code,Zip,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt\n";
        String mateo = "Mateo,Rossi,mateo.rossi@example.it,yes,,Via Roma 1,,Milano,Milano,MI,Italy,IT,20121,,no,80.00,1,,,no\n";
        String aiko = "Aiko,Sato,,no,,,,Osaka,Osaka,27,Japan,JP,530-0001,'+81 6-5555-0142,no,0.00,0,pos,Walk-in,no\n";
        String tomas = "Tomás,Novák,,yes,Novák Atelier,Karlova 12,,Brno,,,Czech Republic,CZ,60200,,no,0.00,0,,,no\n";
        String otherTomas = "Tomás,Novák,,no,,Vodičkova 3,,Praha,,,Czech Republic,CZ,11000,,no,0.00,0,,,no\n";
        String file = header + mateo + aiko + tomas + otherTomas;
        String keyed = "SELECT concat_ws('|', full_name, coalesce(email, '-'), coalesce(phone, '-'), accepts_marketing, "
                + "coalesce(shopify_export_key, '-'), coalesce(notes, '-'), coalesce(list_aggr(tags, 'string_agg', ','), '-')) FROM customers "
                + "WHERE email = 'mateo.rossi@example.it' OR shopify_export_key IS NOT NULL ORDER BY 1";
        String stamps = "SELECT concat_ws('|', id, updated_at) FROM customers WHERE email = 'mateo.rossi@example.it' "
                + "OR shopify_export_key IS NOT NULL ORDER BY id";
        assertThat(importCsv("shopify:customers-csv", file)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 4)
                .containsEntry("errorCount", 0);
        List<String> imported = List.of(
                "Aiko Sato|-|+81 6-5555-0142|false|" + SHOP + "/phone:+81 6-5555-0142|Walk-in|pos",
                "Mateo Rossi|mateo.rossi@example.it|-|true|-|-|-",
                "Tomás Novák|-|-|false|" + SHOP + "/name:Tomás Novák Vodičkova 3 Praha 11000 CZ|-|-",
                "Tomás Novák|-|-|true|" + SHOP + "/name:Tomás Novák Novák Atelier Karlova 12 Brno 60200 CZ|-|-");
        assertThat(rows(keyed)).containsExactlyElementsOf(imported);
        List<String> before = rows(stamps);

        // The same file again: nothing new, nothing written.
        assertThat(importCsv("shopify:customers-csv", file)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(rows(keyed)).containsExactlyElementsOf(imported);
        assertThat(rows(stamps)).containsExactlyElementsOf(before);

        // Changed rows update the same customers: Aiko's note and tags, Tomás (Brno) unsubscribed.
        String changed = header + mateo + aiko.replace("pos,Walk-in", "\"pos, vip\",Regular") + tomas.replace("Tomás,Novák,,yes", "Tomás,Novák,,no")
                + otherTomas;
        assertThat(importCsv("shopify:customers-csv", changed)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(rows(keyed)).containsExactly(
                "Aiko Sato|-|+81 6-5555-0142|false|" + SHOP + "/phone:+81 6-5555-0142|Regular|pos,vip",
                "Mateo Rossi|mateo.rossi@example.it|-|true|-|-|-",
                "Tomás Novák|-|-|false|" + SHOP + "/name:Tomás Novák Novák Atelier Karlova 12 Brno 60200 CZ|-|-",
                "Tomás Novák|-|-|false|" + SHOP + "/name:Tomás Novák Vodičkova 3 Praha 11000 CZ|-|-");
        List<String> after = rows(stamps);
        assertThat(after.stream().map(row -> row.split("\\|")[0]).toList())
                .containsExactlyElementsOf(before.stream().map(row -> row.split("\\|")[0]).toList());
        // Only the two changed customers were written.
        assertThat(java.util.stream.IntStream.range(0, after.size()).filter(i -> !after.get(i).equals(before.get(i))).count()).isEqualTo(2);
    }

    /** What each of {@code senders} threads answers, all released at once, in sender order. */
    private static <T> List<T> fromSenders(int senders, SenderWork<T> work) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<T>> answers = new java.util.ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                answers.add(pool.submit(() -> {
                    go.await();
                    return work.send(sender);
                }));
            }
            go.countDown();
            List<T> results = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<T> answer : answers) {
                results.add(answer.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    @FunctionalInterface
    private interface SenderWork<T> {
        T send(int sender) throws Exception;
    }

    @Test
    @Order(25)
    void anOrderWithMoreLinesAndRefundsThanAPageReadsIsReadWholeWithinShopifysQueryCost() throws Exception {
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        List<Map<String, Object>> lines = java.util.stream.IntStream.rangeClosed(1, 320)
                .mapToObj(i -> line(17000 + i, i % 4 + 1, i + ".25", i % 2 == 0 ? 8801000000001L : null)).toList();
        // More refunds than one query of an order's lines and refunds could read (50 before): Order.refunds is a list, not paged.
        List<Map<String, Object>> refunds = java.util.stream.IntStream.rangeClosed(1, 60)
                .mapToObj(i -> refund(9910 + i, String.format("2025-03-21T10:%02d:00Z", i - 1), "Part " + i, i + ".50")).toList();
        SHOPIFY.put("orders", order(6012745400005L, "#2005", 7412883144723L, "2025-03-20T10:00:00Z", now, null, "PARTIALLY_REFUNDED",
                "FULFILLED", "9876.0", lines, refunds));
        SHOPIFY.queries.clear();
        SHOPIFY.requestedCosts.clear();
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED");
        assertThat(rows("SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.order_number = 'northwind-knits #2005'"))
                .containsExactly("320");
        assertThat(STORE.crmItems()).containsExactlyElementsOf(STORE.expectedItems());
        assertThat(STORE.crmReturns()).containsExactlyElementsOf(STORE.expectedReturns());
        assertThat(rows("SELECT count(*) FROM returns r JOIN orders o ON o.id = r.order_id WHERE o.order_number = 'northwind-knits #2005'"))
                .containsExactly("60");
        // Its page read 10 lines and 5 refunds; the rest was read by order: 249 lines, then the last 61, then all 60 refunds.
        assertThat(SHOPIFY.queries.stream().filter(q -> q.containsKey("id")).map(q -> q.get("id")).toList())
                .containsExactly("gid://shopify/Order/6012745400005", "gid://shopify/Order/6012745400005", "gid://shopify/Order/6012745400005");
        // Every query within Shopify's limit: a page of 3 orders 3 + 3 x 66, the rest of an order's lines exactly 1,000 (1 + 3 +
        // 249 x 4), its refunds 1 + 2 + 250 x 3.
        assertThat(SHOPIFY.requestedCosts).allSatisfy(cost -> assertThat(cost).isLessThanOrEqualTo(FakeShopify.MAX_COST))
                .contains(3L + 3 * 66, 1_000L, 753L);
        // The bucket keeps what each query actually cost: after the page, less than the 1,000 the rest of the lines asks
        // for was left, and after those 249 lines none. The client waited each time for the next query's own requested
        // cost (waiting for the last query's, 201 after the page, Shopify would have throttled it).
        assertThat(SHOPIFY.unpaced).hasValue(0);
    }

    @Test
    @Order(26)
    void aQueryShopifyFindsTooCostlyFailsTheSyncNamingThePageSizeAndChangesNothing() throws Exception {
        String everything = "SELECT concat_ws('|', id, updated_at) FROM orders UNION ALL SELECT concat_ws('|', id, updated_at) FROM order_items "
                + "UNION ALL SELECT concat_ws('|', id, updated_at) FROM customers UNION ALL SELECT concat_ws('|', id, updated_at) FROM returns ORDER BY 1";
        List<String> before = rows(everything);
        SHOPIFY.maxCost = 20;
        Map<String, Object> job;
        try {
            job = STORE.runJob("graphql-sync", "{\"full\": true}");
        } finally {
            SHOPIFY.maxCost = FakeShopify.MAX_COST;
        }
        // The run's first query, a page of 3 customers, costs 3 + 3 x 6.
        assertThat(job).containsEntry("state", "FAILED").containsEntry("message", "Shopify refused a query for " + SHOP
                + " as too costly: it would cost 21 points, above the 20 it allows in one query (MAX_COST_EXCEEDED);"
                + " lower setting crm.plugins.shopify.page-size");
        assertThat(rows(everything)).containsExactlyElementsOf(before);
    }

    @Test
    @Order(27)
    void aPageSizeAboveWhatOneQueryAffordsStopsTheSyncBeforeAnyQuery() throws Exception {
        List<String> before = rows("SELECT concat_ws('|', id, updated_at) FROM orders ORDER BY id");
        server.close();
        // The class's last test: no test after it needs the server back on the usual page size, so @AfterAll stops this one.
        server = CrmProcess.start(Path.of("target", "shopify-e2e-server.log"), arguments.stream()
                .map(a -> a.startsWith("--crm.plugins.shopify.page-size=") ? "--crm.plugins.shopify.page-size=50" : a).toList());
        SHOPIFY.queries.clear();
        assertThat(STORE.runJob("graphql-sync", "{\"full\": true}")).containsEntry("state", "FAILED").containsEntry("message",
                "Setting crm.plugins.shopify.page-size is 50: a page of 50 orders would cost Shopify 3303 points, above the 1000 it allows"
                        + " in one query; set it between 1 and 15, or leave it out");
        assertThat(SHOPIFY.queries).isEmpty();
        assertThat(rows("SELECT concat_ws('|', id, updated_at) FROM orders ORDER BY id")).containsExactlyElementsOf(before);
    }

    /** The store's products and orders beside the sample customers; none of the orders is Ava's, whom the webhooks tests own. */
    private static void putProductsAndOrders() {
        SHOPIFY.put("products", product(8801000000001L, "Merino Beanie", "ACTIVE", "Hats", "38.0", "2025-03-02T10:00:00Z"));
        SHOPIFY.put("products", product(8801000000002L, "Alpaca Scarf", "ARCHIVED", "Scarves", "64.5", "2025-03-05T12:30:00Z"));
        SHOPIFY.put("orders", order(6012745400001L, "#2001", 7412883144723L, "2025-03-07T09:00:00Z", "2025-03-08T09:00:00Z", null,
                "PAID", "FULFILLED", "140.5", List.of(line(15001, 2, "38.0", 8801000000001L), line(15002, 1, "64.5", 8801000000002L)), List.of()));
        SHOPIFY.put("orders", order(6012745400002L, "#2002", 7412883341331L, "2025-03-10T11:00:00Z", "2025-03-12T09:05:00Z", null,
                "REFUNDED", "FULFILLED", "38.0", List.of(line(15003, 1, "38.0", 8801000000001L)),
                List.of(refund(9901, "2025-03-12T09:00:00Z", "Too small", "38.0"))));
        SHOPIFY.put("orders", order(6012745400003L, "#2003", null, "2025-03-11T08:00:00Z", "2025-03-11T10:00:00Z", "2025-03-11T10:00:00Z",
                "VOIDED", "UNFULFILLED", "25.0", List.of(line(15004, 1, "25.0", null)), List.of()));
        SHOPIFY.put("orders", order(6012745400004L, "#2004", 7412883374099L, "2025-03-13T15:00:00Z", "2025-03-14T08:00:00Z", null,
                "PARTIALLY_REFUNDED", "UNFULFILLED", "76.0", List.of(line(15005, 2, "38.0", 8801000000001L)),
                List.of(refund(9902, "2025-03-14T07:59:00Z", null, "10.0"))));
        // The admin orders export's #1002, synced before the export is imported.
        SHOPIFY.put("orders", order(6012745425187L, "#1002", null, "2025-03-05T08:14:55Z", "2025-03-05T08:20:00Z", null,
                "PAID", "UNFULFILLED", "389.0", List.of(line(16001, "LDC-NAT-200", 1, "389.0", null)), List.of()));
    }

    private static void awaitLatch(java.util.concurrent.CountDownLatch latch) {
        try {
            assertThat(latch.await(120, java.util.concurrent.TimeUnit.SECONDS)).as("waited for the sync").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A fixture delivery exactly as stored, with its recorded headers and signature. */
    private static HttpResponse<String> deliver(String file) throws Exception {
        return server.post("/plugins/shopify/webhooks", headersOf(file), bytes(file));
    }

    /** A fixture delivery, answered Received at once; its state once the applier is done with it. */
    private static String delivered(String file) throws Exception {
        return applied(headersOf(file).get("X-Shopify-Webhook-Id"), deliver(file));
    }

    /** {@code json} sent to the first store as {@link #send} does; its state once the applier is done with it. */
    private static String sent(String topic, String webhookId, Map<String, Object> json) throws Exception {
        return applied(webhookId, send(SHOP, secret, topic, webhookId, null, json));
    }

    /**
     * Checks the fast answer, then waits (with a deadline) until the applier has applied or ignored
     * the delivery, or noted why it waits; returns its state.
     */
    private static String applied(String webhookId, HttpResponse<String> answer) throws Exception {
        assertThat(answer.body()).isEqualTo("{\"state\":\"Received\"}");
        return applied(webhookId);
    }

    /** Moves every journaled delivery into shopify_webhooks and applies them (job apply-webhooks), so what is stored can be counted. */
    private static void moveJournalAndApply() throws Exception {
        assertThat(STORE.runJob("apply-webhooks", null)).containsEntry("state", "SUCCEEDED");
    }

    /** Waits (with a deadline) until the applier has applied or ignored the stored delivery, or noted why it waits; returns its state. */
    private static String applied(String webhookId) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> row = rows("SELECT concat_ws('|', state, coalesce(note, '')) FROM shopify_webhooks WHERE webhook_id = '" + webhookId + "'");
            if (row.isEmpty()) {
                Thread.sleep(20);
                continue;
            }
            if (row.get(0).startsWith("Received|Not applied yet")) {
                throw new AssertionError("delivery " + webhookId + " failed: " + row.get(0));
            }
            if (!row.equals(List.of("Received|"))) {
                return row.get(0).split("\\|")[0];
            }
            Thread.sleep(20);
        }
        throw new AssertionError("delivery " + webhookId + " was not applied");
    }

    /** {@code json} sent compactly as Shopify sends bodies, signed here with {@code key}. */
    private static HttpResponse<String> send(String shop, String key, String topic, String webhookId, String triggeredAt,
                                             Map<String, Object> json) throws Exception {
        return send(shop, key, topic, webhookId, "event-" + webhookId, triggeredAt, json);
    }

    /** {@link #send}, as another delivery of the event {@code eventId}. */
    private static HttpResponse<String> sendEvent(String shop, String key, String topic, String webhookId, String eventId,
                                                  Map<String, Object> json) throws Exception {
        return send(shop, key, topic, webhookId, eventId, null, json);
    }

    private static HttpResponse<String> send(String shop, String key, String topic, String webhookId, String eventId, String triggeredAt,
                                             Map<String, Object> json) throws Exception {
        byte[] body = JSON.writeValueAsBytes(json);
        return server.post("/plugins/shopify/webhooks", ShopifyDelivery.headers(shop, key, topic, webhookId, eventId, triggeredAt, body), body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headersOf(String file) {
        Map<String, String> sent = new LinkedHashMap<>();
        ((Map<String, String>) headers.get(file)).forEach((name, value) -> {
            if (!name.startsWith("_")) {
                sent.put(name, value);
            }
        });
        return sent;
    }

    private static byte[] bytes(String file) throws Exception {
        return Files.readAllBytes(Fixtures.shopify(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture(String file) throws Exception {
        return JSON.readValue(bytes(file), LinkedHashMap.class);
    }

    private static List<String> rows(String select) throws Exception {
        return server.sql(select).stream().map(row -> String.valueOf(row.get(0))).toList();
    }
}
