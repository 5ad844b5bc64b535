package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.plugins.FakeWooCommerce;
import dev.storefront.crm.plugins.Fixtures;
import dev.storefront.crm.plugins.PluginE2ESupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The WooCommerce REST sync (plugin job {@code rest-sync}) against a local store serving the
 * real-format fixtures with real pagination headers: pages followed, orders with line items linked
 * to their customers, incremental re-sync by {@code modified_after}, idempotence, bad credentials.
 */
class WooCommerceRestE2EIT extends PluginE2ESupport {

    private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private Map<String, Object> sync(String args) {
        String id = run("mutation($args: String) { runJob(plugin: \"woocommerce\", job: \"rest-sync\", args: $args) { id state } }",
                args == null ? Map.of() : Map.of("args", args)).path("runJob.id").entity(String.class).get();
        return awaitJob(id);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> ordersByNumber() {
        List<Map<String, Object>> nodes = allNodes("orders", "orderNumber woocommerceId woocommerceStatus status totalAmount "
                + "currency orderDate items paymentMethod shippingAddress customer { email woocommerceId fullName } "
                + "orderItems { totalCount nodes { woocommerceId quantity unitPrice productName sku product { name sku woocommerceId } } }");
        Map<String, Map<String, Object>> byNumber = new java.util.LinkedHashMap<>();
        nodes.forEach(n -> byNumber.put((String) n.get("orderNumber"), n));
        return byNumber;
    }

    @Test
    @SuppressWarnings("unchecked")
    void syncFollowsPagesAndImportsOrdersWithLineItemsLinkedToCustomers() {
        STORE.requests.clear();
        Map<String, Object> job = sync("{\"full\": true}");
        assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0).containsEntry("name", "rest-sync");
        // 4 customers and 4 orders, 2 per page: pages 1 and 2 of each, in that order; between them the
        // customer ids (100 a page: one page) and the trashed orders (none: one page); last the order ids.
        assertThat(STORE.requests).hasSize(7);
        assertThat(STORE.requests.get(0)).startsWith("/wp-json/wc/v3/customers?per_page=2&page=1");
        assertThat(STORE.requests.get(1)).startsWith("/wp-json/wc/v3/customers?per_page=2&page=2");
        assertThat(STORE.requests.get(2)).startsWith("/wp-json/wc/v3/customers?role=all&_fields=id&per_page=100&page=1");
        assertThat(STORE.requests.get(3)).startsWith("/wp-json/wc/v3/orders?status=trash&per_page=2&page=1");
        assertThat(STORE.requests.get(4)).startsWith("/wp-json/wc/v3/orders?per_page=2&page=1");
        assertThat(STORE.requests.get(5)).startsWith("/wp-json/wc/v3/orders?per_page=2&page=2");
        assertThat(STORE.requests.get(6)).startsWith("/wp-json/wc/v3/orders?status=any&_fields=id&per_page=100&page=1");

        Map<String, Map<String, Object>> customers = customersByEmail();
        assertThat(customers.get("jordan.blake@example.com")).containsEntry("woocommerceId", 87).containsEntry("firstName", "Jordan")
                .containsEntry("fullName", "Jordan Blake").containsEntry("phone", "(415) 555-0139")
                .containsEntry("billingCity", "San Francisco").containsEntry("billingCountry", "US")
                .containsEntry("registeredAt", "2024-11-28T17:03:55Z");
        assertThat(customers.get("amelia.zhang@example.org")).containsEntry("woocommerceId", 64);
        assertThat(customers.get("mehmet.yilmaz@example.com.tr")).containsEntry("woocommerceId", 102);
        assertThat(customers.get("sofia.ramirez@example.mx")).containsEntry("woocommerceId", 91);

        Map<String, Map<String, Object>> orders = ordersByNumber();
        Map<String, Object> order = orders.get("WC-5238");
        assertThat(order).containsEntry("woocommerceId", 5238).containsEntry("status", "FULFILLED").containsEntry("woocommerceStatus", "completed")
                .containsEntry("totalAmount", "113.82").containsEntry("currency", "USD").containsEntry("items", "Hoodie - Blue, M × 2, Beanie × 1");
        assertThat((Map<String, Object>) order.get("customer")).containsEntry("email", "jordan.blake@example.com").containsEntry("woocommerceId", 87);
        Map<String, Object> items = (Map<String, Object>) order.get("orderItems");
        assertThat(items.get("totalCount")).isEqualTo(2);
        List<Map<String, Object>> lines = (List<Map<String, Object>>) items.get("nodes");
        assertThat(lines).extracting(l -> l.get("productName")).containsExactlyInAnyOrder("Hoodie - Blue, M", "Beanie");
        Map<String, Object> hoodie = lines.stream().filter(l -> "Hoodie - Blue, M".equals(l.get("productName"))).findFirst().orElseThrow();
        assertThat(hoodie).containsEntry("quantity", 2).containsEntry("sku", "woo-hoodie-blue-m");
        assertThat((Map<String, Object>) hoodie.get("product")).containsEntry("sku", "woo-hoodie-blue-m").containsEntry("name", "Hoodie - Blue, M");

        // A guest checkout (customer_id 0) is linked to a customer known by its billing email.
        assertThat((Map<String, Object>) orders.get("WC-5241").get("customer")).containsEntry("email", "priya.raman@example.net");
        assertThat((Map<String, Object>) orders.get("WC-5231").get("customer")).containsEntry("woocommerceId", 64);
        assertThat((Map<String, Object>) orders.get("WC-5236").get("customer")).containsEntry("woocommerceId", 91);

        // A refund (refunds[] of order 5238) is a return resolved by Refund, linked to the order and its customer.
        List<Map<String, Object>> returns = allNodes("returns", "woocommerceId amount reason resolution status order { orderNumber } customer { email }");
        assertThat(returns).filteredOn(r -> Integer.valueOf(5240).equals(r.get("woocommerceId"))).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("amount", "16.41").containsEntry("reason", "Item arrived damaged")
                    .containsEntry("resolution", "REFUND").containsEntry("status", "CLOSED");
            assertThat((Map<String, Object>) r.get("order")).containsEntry("orderNumber", "WC-5238");
            assertThat((Map<String, Object>) r.get("customer")).containsEntry("email", "jordan.blake@example.com");
        });

        // The next run asks for orders changed after this run began on the store's clock, less 300 s.
        String runStart = GMT.format(STORE.now().minusSeconds(300));
        run("{ wooCommerceSyncStatus { configured stream modifiedAfter syncedCustomers syncedOrders } }")
                .path("wooCommerceSyncStatus.stream").entity(String.class).isEqualTo("done")
                .path("wooCommerceSyncStatus.modifiedAfter").entity(String.class).isEqualTo(runStart);
    }

    @Test
    void aLaterRunFetchesOnlyChangedOrdersAndWritesOnlyWhatChanged() {
        sync("{\"full\": true}");
        int customers = customersByEmail().size();
        int orders = ordersByNumber().size();

        STORE.advance(Duration.ofHours(1));
        String since = GMT.format(STORE.now().minusSeconds(300));
        STORE.modify("customers", 87, Map.of("last_name", "Blake-Smith"));
        STORE.modify("orders", 5238, Map.of("status", "refunded"));
        STORE.requests.clear();
        STORE.served.clear();
        Map<String, Object> job = sync(null);
        // 4 customers (WooCommerce has no change filter for them), 1 of them changed; 1 order with
        // 2 line items, each with its product, and 1 refund: 10 records, 2 of them changed.
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0).containsEntry("processed", 10)
                .containsEntry("message", "Synced 10 records: 0 new, 2 changed, 8 unchanged; 0 skipped");
        assertThat(STORE.requests).filteredOn(r -> r.contains("/orders?per_page")).singleElement()
                .satisfies(r -> assertThat(r).contains("modified_after=" + GMT.format(STORE.now().minus(Duration.ofHours(1)).minusSeconds(300))
                        .replace(":", "%3A")).contains("dates_are_gmt=true"));
        // Customers in 2 pages, their 4 ids, no trashed order, 1 changed order, the 4 order ids.
        assertThat(STORE.served).containsExactly(2, 2, 4, 0, 1, 4);
        assertThat(customersByEmail()).hasSize(customers);
        assertThat(ordersByNumber()).hasSize(orders);
        assertThat(customersByEmail().get("jordan.blake@example.com")).containsEntry("lastName", "Blake-Smith");
        assertThat(ordersByNumber().get("WC-5238")).containsEntry("status", "REFUNDED").containsEntry("woocommerceStatus", "refunded");

        // Nothing changed since: the order changed in the overlap is read again, and nothing is written.
        STORE.requests.clear();
        Map<String, Object> idle = sync(null);
        assertThat(idle).containsEntry("state", "SUCCEEDED").containsEntry("processed", 10)
                .containsEntry("message", "Synced 10 records: 0 new, 0 changed, 10 unchanged; 0 skipped");
        assertThat(STORE.requests).filteredOn(r -> r.contains("/orders?") && !r.contains("_fields=id"))
                .allSatisfy(r -> assertThat(r).contains("modified_after=" + since.replace(":", "%3A")));
        STORE.modify("customers", 87, Map.of("last_name", "Blake"));
        STORE.modify("orders", 5238, Map.of("status", "completed"));
        sync(null);
    }

    /**
     * The return an order CSV import made of an order's refunded total (the export has no refund ids) becomes the
     * order's first refund when a webhook delivers the order or the sync reads it, and the export imported again
     * after them adds no total beside the refunds: the order's refunds count once whatever the order of the paths.
     */
    @Test
    void anOrdersRefundsCountOnceWhateverTheOrderOfTheCsvTheWebhookAndTheSync() throws Exception {
        String orders = Files.readString(Path.of("src/test/resources/woocommerce/woocommerce_orders_export.csv"));
        awaitJob(postImport("woocommerce:customers-csv", Files.readString(Fixtures.woocommerce("woocommerce_customer_export.csv")), null));
        assertThat(awaitJob(postImport("woocommerce:orders-csv", orders, null))).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        // One return of the refunded total: the export's, or the order's refund where an earlier sync of this class wrote it.
        assertThat(refundsOf("WC-5238")).singleElement().satisfies(r -> assertThat(r).startsWith("16.41|"));

        String delivery = "{\"id\": 5238, \"number\": \"5238\", \"status\": \"completed\", \"currency\": \"USD\", \"total\": \"113.82\","
                + " \"customer_id\": 87, \"date_created_gmt\": \"2025-03-13T02:40:02\", \"billing\": {}, \"shipping\": {}, \"line_items\": [],"
                + " \"refunds\": [{\"id\": 5240, \"reason\": \"Item arrived damaged\", \"total\": \"-16.41\"}]}";
        assertThat(webhook(port, delivery, sign(delivery, "whsec_test")).statusCode()).isEqualTo(200);
        assertThat(refundsOf("WC-5238")).containsExactly("16.41|refund 5240");

        // The export again, after the webhook: nothing beside the refund, at once (not only after the next sync).
        Map<String, Object> again = awaitJob(postImport("woocommerce:orders-csv", orders, null));
        assertThat(again).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(refundsOf("WC-5238")).containsExactly("16.41|refund 5240");
        sync("{\"full\": true}");
        assertThat(refundsOf("WC-5238")).containsExactly("16.41|refund 5240");
        assertThat(awaitJob(postImport("woocommerce:orders-csv", orders, null))).containsEntry("state", "SUCCEEDED");
        assertThat(refundsOf("WC-5238")).containsExactly("16.41|refund 5240");
    }

    @SuppressWarnings("unchecked")
    private List<String> refundsOf(String orderNumber) {
        return allNodes("returns", "woocommerceId woocommerceRefundedOrder amount order { orderNumber }").stream()
                .filter(r -> r.get("order") != null && orderNumber.equals(((Map<String, Object>) r.get("order")).get("orderNumber")))
                .map(r -> r.get("amount") + "|" + (r.get("woocommerceId") != null ? "refund " + r.get("woocommerceId")
                        : "refunded order " + r.get("woocommerceRefundedOrder"))).toList();
    }

    /**
     * A store's own status (Order Status Manager's awaiting-shipment) syncs as Pending, raw status kept, with every line item;
     * shipped and delivered as the CRM's Shipped and Delivered.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anOrderWithTheStoresOwnStatusSyncsAsPendingWithItsItems() {
        sync("{\"full\": true}");
        STORE.advance(Duration.ofHours(1));
        STORE.modify("orders", 5238, Map.of("status", "awaiting-shipment"));
        Map<String, Object> job = sync(null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        Map<String, Object> order = ordersByNumber().get("WC-5238");
        assertThat(order).containsEntry("status", "PENDING").containsEntry("woocommerceStatus", "awaiting-shipment");
        assertThat(((Map<String, Object>) order.get("orderItems")).get("totalCount")).isEqualTo(2);
        // The statuses shipment-tracking plugins add (Advanced Shipment Tracking's delivered, custom shipped) are the CRM's own.
        for (String shipment : List.of("shipped", "wc-delivered")) {
            STORE.advance(Duration.ofHours(1));
            STORE.modify("orders", 5238, Map.of("status", shipment));
            sync(null);
            assertThat(ordersByNumber().get("WC-5238")).containsEntry("status", shipment.equals("shipped") ? "SHIPPED" : "DELIVERED")
                    .containsEntry("woocommerceStatus", shipment);
        }
        STORE.advance(Duration.ofHours(1));
        STORE.modify("orders", 5238, Map.of("status", "completed"));
        sync(null);
        assertThat(ordersByNumber().get("WC-5238")).containsEntry("status", "FULFILLED").containsEntry("woocommerceStatus", "completed");
    }

    @Test
    void aRunThatDiesHalfWayResumesAtItsLastCommittedPage() {
        sync("{\"full\": true}");
        int customers = customersByEmail().size();
        int orders = ordersByNumber().size();
        STORE.requests.clear();
        // Retried twice (crm.plugins.woocommerce.retries=2), then the job gives up.
        STORE.fail("orders?per_page=2&page=2", 3, FakeWooCommerce.Fault.ERROR_500);
        Map<String, Object> failed = sync("{\"full\": true}");
        assertThat(failed).containsEntry("state", "FAILED");
        assertThat((String) failed.get("message")).startsWith("WooCommerce answered 500 for ").endsWith("(3 attempts)");
        run("{ wooCommerceSyncStatus { stream } }").path("wooCommerceSyncStatus.stream").entity(String.class).isEqualTo("orders");

        // The next run starts at the page that failed: pages committed before are not fetched again.
        STORE.requests.clear();
        Map<String, Object> resumed = sync(null);
        assertThat(resumed).containsEntry("state", "SUCCEEDED");
        assertThat(STORE.requests).hasSize(2);
        assertThat(STORE.requests.get(0)).startsWith("/wp-json/wc/v3/orders?per_page=2&page=2");
        assertThat(STORE.requests.get(1)).startsWith("/wp-json/wc/v3/orders?status=any&_fields=id&per_page=100&page=1");
        assertThat(customersByEmail()).hasSize(customers);
        assertThat(ordersByNumber()).hasSize(orders);
        run("{ wooCommerceSyncStatus { stream } }").path("wooCommerceSyncStatus.stream").entity(String.class).isEqualTo("done");
    }

    @Test
    void refusedCredentialsFailTheJobWithAClearMessage() {
        STORE.refuseAll = true;
        try {
            Map<String, Object> job = sync("{\"full\": true}");
            assertThat(job).containsEntry("state", "FAILED");
            assertThat((String) job.get("message")).isEqualTo("WooCommerce refused the consumer key/secret (401 woocommerce_rest_cannot_view:"
                    + " \"Sorry, you cannot list resources.\") for /wp-json/wc/v3/customers: check the key and secret, and that the key's"
                    + " user is a Shop manager or Administrator (WooCommerce > Settings > Advanced > REST API)");
        } finally {
            STORE.refuseAll = false;
        }
        run("mutation { wooCommerceCheckConnection { ok customers message } }")
                .path("wooCommerceCheckConnection.ok").entity(Boolean.class).isEqualTo(true)
                .path("wooCommerceCheckConnection.customers").entity(Integer.class).isEqualTo(4);
    }

    @Test
    void theKeyAndSecretGoOnlyToTheConfiguredStore() {
        try (FakeWooCommerce elsewhere = new FakeWooCommerce()) {
            STORE.requests.clear();
            Map<String, Object> job = sync("{\"full\": true, \"url\": \"" + elsewhere.url() + "\"}");
            assertThat(job).containsEntry("state", "SUCCEEDED");
            // The whole run against the configured store: customers (2 pages), their ids, trash, orders (2 pages), order ids.
            assertThat(STORE.requests).hasSize(7);
            assertThat(error("mutation { wooCommerceCheckConnection(url: \"" + elsewhere.url() + "\") { ok } }").getMessage())
                    .contains("Unknown field argument 'url'");
            assertThat(elsewhere.requests).isEmpty();
        }
    }

    @Test
    void signedOrderWebhookUpsertsTheOrder() throws Exception {
        sync("{\"full\": true}");
        String body = "{\"id\": 5231, \"number\": \"5231\", \"status\": \"completed\", \"currency\": \"USD\", \"total\": \"30.00\","
                + " \"customer_id\": 64, \"date_created_gmt\": \"2025-03-09T18:47:05\", \"billing\": {\"email\": \"amelia.zhang@example.org\"},"
                + " \"shipping\": {}, \"line_items\": []}";
        HttpResponse<String> unsigned = webhook(port, body, "bm90IHRoZSBzaWduYXR1cmU=");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        HttpResponse<String> signed = webhook(port, body, sign(body, "whsec_test"));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(ordersByNumber().get("WC-5231")).containsEntry("totalAmount", "30.00").containsEntry("status", "FULFILLED");
        sync("{\"full\": true}");
    }

    @Test
    void aGuestOrderWithoutAPhoneOrAddressKeepsThoseOfItsCustomerAndOneThatGivesThemUpdatesThem() throws Exception {
        sync("{\"full\": true}");
        // WooCommerce sends the billing fields a guest left empty as "".
        String bare = guestOrder(99101, "\"first_name\": \"\", \"last_name\": \"\", \"phone\": \"\", \"city\": \"\", \"country\": \"\"");
        assertThat(webhook(port, bare, sign(bare, "whsec_test")).statusCode()).isEqualTo(200);
        assertThat(customersByEmail().get("jordan.blake@example.com")).containsEntry("fullName", "Jordan Blake")
                .containsEntry("phone", "(415) 555-0139").containsEntry("billingCity", "San Francisco").containsEntry("billingCountry", "US");
        String given = guestOrder(99102, "\"first_name\": \"\", \"last_name\": \"\", \"phone\": \"(510) 555-0102\", \"city\": \"Oakland\", \"country\": \"US\"");
        assertThat(webhook(port, given, sign(given, "whsec_test")).statusCode()).isEqualTo(200);
        assertThat(customersByEmail().get("jordan.blake@example.com")).containsEntry("fullName", "Jordan Blake")
                .containsEntry("phone", "(510) 555-0102").containsEntry("billingCity", "Oakland").containsEntry("billingCountry", "US");
        sync("{\"full\": true}");
    }

    /** A guest order of jordan.blake@example.com (customer_id 0) with the billing fields {@code billing} beside its email. */
    private static String guestOrder(long id, String billing) {
        return "{\"id\": " + id + ", \"number\": \"" + id + "\", \"status\": \"processing\", \"currency\": \"USD\", \"total\": \"12.00\","
                + " \"customer_id\": 0, \"date_created_gmt\": \"2025-06-02T08:00:00\", \"date_modified_gmt\": \"2025-06-02T08:00:00\","
                + " \"billing\": {\"email\": \"jordan.blake@example.com\", " + billing + "}, \"shipping\": {}, \"line_items\": []}";
    }

    @Test
    void anOlderDeliveryReplayedAfterANewerOneChangesNothing() throws Exception {
        sync("{\"full\": true}");
        String newer = order5236("refunded", "2025-05-02T10:00:00");
        String older = order5236("processing", "2025-05-01T10:00:00");
        assertThat(webhook(port, newer, sign(newer, "whsec_test")).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = webhook(port, older, sign(older, "whsec_test"));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo("{\"ok\":true,\"ignored\":\"older than the stored order\"}");
        assertThat(ordersByNumber().get("WC-5236")).containsEntry("status", "REFUNDED").containsEntry("woocommerceStatus", "refunded");
        sync("{\"full\": true}");
    }

    /** An order of 3,000 lines is written set-based, as a sync page: every line, product and quantity, in one short transaction. */
    @Test
    void aSignedOrderOf3000LinesIsWrittenWhole() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            lines.append(i == 0 ? "" : ", ").append("{\"id\": ").append(900_001 + i).append(", \"product_id\": ").append(700_001 + i)
                    .append(", \"name\": \"Bulk part ").append(i).append("\", \"sku\": \"BULK-").append(i).append("\", \"quantity\": ")
                    .append(i % 5 + 1).append(", \"price\": 2.5}");
        }
        String body = "{\"id\": 99001, \"number\": \"99001\", \"status\": \"processing\", \"currency\": \"USD\", \"total\": \"22500.00\","
                + " \"customer_id\": 0, \"date_created_gmt\": \"2025-06-01T08:00:00\", \"date_modified_gmt\": \"2025-06-01T08:00:00\","
                + " \"billing\": {\"email\": \"bulk.buyer@example.org\", \"first_name\": \"Bulk\", \"last_name\": \"Buyer\"},"
                + " \"shipping\": {}, \"line_items\": [" + lines + "]}";
        long started = System.nanoTime();
        HttpResponse<String> signed = webhook(port, body, sign(body, "whsec_test"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        System.out.println("WooCommerceRestE2EIT: a signed order of 3,000 lines answered in " + millis + " ms");

        String counts = "SELECT (SELECT count(*) FROM order_items WHERE woocommerce_id BETWEEN 900001 AND 903000), "
                + "(SELECT sum(quantity) FROM order_items WHERE woocommerce_id BETWEEN 900001 AND 903000), "
                + "(SELECT count(*) FROM products WHERE woocommerce_id BETWEEN 700001 AND 703000), "
                + "(SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.woocommerce_id = 99001)";
        run("query($q: String!) { sql(query: $q) { rows } }", Map.of("q", counts)).path("sql.rows[0]").entity(List.class)
                .isEqualTo(List.of(3000, 9000, 3000, 3000));
        Map<String, Object> order = ordersByNumber().get("WC-99001");
        assertThat(order).containsEntry("totalAmount", "22500.00");
        Map<?, ?> customer = (Map<?, ?>) order.get("customer");
        assertThat(customer.get("email")).isEqualTo("bulk.buyer@example.org");
        assertThat(customer.get("fullName")).isEqualTo("Bulk Buyer");
    }

    @Test
    void aWebhookBodyOverTheLimitIsRefusedBeforeTheSignatureCheck() throws Exception {
        String huge = "{\"id\": 1, \"pad\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}";
        HttpResponse<String> response = webhook(port, huge, "bm90IHRoZSBzaWduYXR1cmU=");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("larger than 1048576 bytes (crm.http.max-body-size)");
    }

    @Test
    void pluginPathsWithoutAnEndpointAreAnswered404AndWebhooksAreTimedUnderTheirEndpoint() throws Exception {
        HttpResponse<String> noPlugin = post("/plugins/no-such-plugin/webhooks", "{}");
        assertThat(noPlugin.statusCode()).isEqualTo(404);
        assertThat(noPlugin.body()).isEqualTo("No started plugin no-such-plugin");
        HttpResponse<String> noEndpoint = post("/plugins/woocommerce/webhooks/refunds", "{}");
        assertThat(noEndpoint.statusCode()).isEqualTo(404);
        assertThat(noEndpoint.body()).isEqualTo("Plugin woocommerce has no endpoint /webhooks/refunds");

        assertThat(webhook(port, "{}", "bm90IHRoZSBzaWduYXR1cmU=").statusCode()).isEqualTo(401);
        String prometheus = HttpClient.newHttpClient().send(E2EClient.authorized(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(prometheus).containsPattern(
                "http_server_requests_seconds_count\\{[^}]*status=\"401\"[^}]*uri=\"/plugins/woocommerce/webhooks/orders\"[^}]*\\} [0-9]+");
    }

    private static String order5236(String status, String modifiedGmt) {
        return "{\"id\": 5236, \"number\": \"5236\", \"status\": \"" + status + "\", \"currency\": \"MXN\", \"total\": \"40.00\","
                + " \"customer_id\": 91, \"date_created_gmt\": \"2025-03-12T18:47:05\", \"date_modified_gmt\": \"" + modifiedGmt + "\","
                + " \"billing\": {}, \"shipping\": {}, \"line_items\": []}";
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Delivers {@code body} to the order webhook of the server on {@code port}, signed {@code signature}. */
    static HttpResponse<String> webhook(int port, String body, String signature) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/plugins/woocommerce/webhooks/orders"))
                .header("Content-Type", "application/json").header("X-WC-Webhook-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sign(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
