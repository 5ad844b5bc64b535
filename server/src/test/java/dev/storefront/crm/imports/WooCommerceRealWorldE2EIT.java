package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.plugins.FakeWooCommerce;
import dev.storefront.crm.plugins.PluginServerSupport;
import dev.storefront.crm.plugins.TestPlugins;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The WooCommerce REST sync against what real stores send and how real sites answer, through the real plugin jar and
 * a local store speaking WooCommerce's REST API v3: guest checkouts whose email differs in case from a customer's, or
 * that have none; a store's own status, another currency, a free order, fees, coupons and nested meta data; a line
 * whose product was deleted, a variation with a price of many decimals, emojis and right-to-left text; partial
 * refunds; customers who are shop managers or have no email, phones the store took and the CRM would not ({@code -},
 * {@code 12}); checkout drafts. Then the sites: a host's rate limit ({@code 429} with
 * {@code Retry-After}), a host that caps {@code per_page}, plain permalinks ({@code ?rest_route=}), a web server that
 * drops the {@code Authorization} header, WooCommerce not active. A store and a database of this class's own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WooCommerceRealWorldE2EIT extends PluginServerSupport {

    private static final FakeWooCommerce STORE = new FakeWooCommerce();
    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final String WEBHOOK_SECRET = "whsec_real_world";
    private static final String LONG_NOTE = "Bitte klingeln 🔔 — אנא השאירו ליד הדלת. ".repeat(500);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", () -> TestPlugins.bundledFolder("woocommerce"));
        registry.add("crm.plugins.woocommerce.url", STORE::url);
        registry.add("crm.plugins.woocommerce.consumer-key", () -> FakeWooCommerce.KEY);
        registry.add("crm.plugins.woocommerce.consumer-secret", () -> FakeWooCommerce.SECRET);
        registry.add("crm.plugins.woocommerce.page-size", () -> "3");
        registry.add("crm.plugins.woocommerce.retries", () -> "2");
        registry.add("crm.plugins.woocommerce.retry-backoff-ms", () -> "10");
        registry.add("crm.plugins.woocommerce.webhook-secret", () -> WEBHOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        STORE.close();
    }

    private Map<String, Object> sync(String args) {
        String id = run("mutation($args: String) { runJob(plugin: \"woocommerce\", job: \"rest-sync\", args: $args) { id state } }",
                args == null ? Map.of() : Map.of("args", args)).path("runJob.id").entity(String.class).get();
        return awaitJob(id);
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void ordersAndCustomersAsRealStoresWriteThemAreStoredValueForValue() {
        STORE.add("customers", Map.of("id", 310, "email", "", "first_name", "Walk", "last_name", "In", "role", "customer",
                "billing", Map.of("phone", "", "city", "Tel Aviv", "country", "IL"), "date_created_gmt", "2025-01-02T03:04:05"));
        STORE.add("customers", Map.of("id", 311, "email", "lena.shop@example.de", "first_name", "Lena", "last_name", "Krüger",
                "role", "shop_manager", "billing", Map.of("city", "München", "country", "DE"), "date_created_gmt", "2023-05-06T07:08:09"));
        // Phones WooCommerce's checkout takes and the CRM's phone check does not: the customer is kept, without the phone.
        STORE.add("customers", Map.of("id", 312, "email", "dash.phone@example.com", "first_name", "Dash", "last_name", "Phone",
                "role", "customer", "billing", Map.of("phone", "-", "city", "Leeds", "country", "GB"), "date_created_gmt", "2024-02-03T04:05:06"));
        STORE.add("orders", order(6008, 0, "processing", "USD", "4.50", Map.of("email", "short.phone@example.net", "first_name", "Short",
                "phone", "12"), List.of(line(7009, 48, "Beanie", "woo-beanie", 1, 4.5))));
        // A guest checkout with the email of customer 87 in other case: the same person, not a second customer.
        STORE.add("orders", order(6001, 0, "processing", "USD", "19.00",
                Map.of("email", "Jordan.Blake@Example.COM", "first_name", "Jordan", "last_name", "Blake", "phone", ""),
                List.of(line(7001, 45, "Hoodie - Blue, M", "woo-hoodie-blue-m", 1, 19))));
        // A walk-in sale entered at the till: no customer account, no email.
        STORE.add("orders", order(6002, 0, "completed", "USD", "4.50", Map.of("first_name", "Walk-in", "email", ""),
                List.of(line(7002, 48, "Beanie", "woo-beanie", 1, 4.5))));
        // A store's own status, another currency, a free order (100 % coupon), fees, shipping, nested meta data, a long note.
        Map<String, Object> free = order(6003, 102, "awaiting-shipment", "EUR", "0.00", Map.of("email", "mehmet.yilmaz@example.com.tr"),
                List.of(line(7003, 60, "Cap", "woo-cap", 2, 0)));
        free.put("date_paid", null);
        free.put("customer_note", LONG_NOTE);
        free.put("coupon_lines", List.of(Map.of("id", 7100, "code", "FREE100", "discount", "24.00", "discount_tax", "0.00")));
        free.put("fee_lines", List.of(Map.of("id", 7101, "name", "Gift wrap", "total", "0.00", "total_tax", "0.00")));
        free.put("shipping_lines", List.of(Map.of("id", 7102, "method_title", "Local pickup", "method_id", "local_pickup", "total", "0.00")));
        free.put("meta_data", List.of(Map.of("id", 1, "key", "_wcpdf_invoice_number_data", "value",
                Map.of("number", 1042, "prefix", "INV-", "formatted_number", "INV-1042")), Map.of("id", 2, "key", "_gift_recipients",
                "value", List.of("a@example.com", Map.of("name", "שרה")))));
        STORE.add("orders", free);
        // A line whose product was deleted (product_id 0), a variation whose price WooCommerce computes as total / quantity
        // (25.00 / 3), a name with an emoji and Hebrew.
        STORE.add("orders", order(6004, 91, "processing", "USD", "62.00", Map.of("email", "sofia.ramirez@example.mx"),
                List.of(line(7004, 0, "Discontinued Mug", "", 2, 7.5), variation(7005, 80, 81, "Hoodie - Red, L", "woo-hoodie-red-l", 3,
                        25.0 / 3), line(7006, 82, "Café ☕ כוס", "woo-cup", 1, 22))));
        // Two partial refunds, one without a reason.
        Map<String, Object> refunded = order(6005, 64, "processing", "USD", "80.00", Map.of("email", "amelia.zhang@example.org"),
                List.of(line(7007, 60, "Cap", "woo-cap", 4, 20)));
        refunded.put("refunds", List.of(Map.of("id", 6101, "reason", "", "total", "-5.00"),
                Map.of("id", 6102, "reason", "Strap broke 😞", "total", "-12.34")));
        STORE.add("orders", refunded);

        // Drafts the listing includes and the store's admin hides: the block checkout's (opened by customer 87, never paid)
        // and an empty auto draft.
        STORE.add("orders", order(6006, 87, "checkout-draft", "USD", "19.00", Map.of("email", "jordan.blake@example.com"),
                List.of(line(7008, 45, "Hoodie - Blue, M", "woo-hoodie-blue-m", 1, 19))));
        STORE.add("orders", order(6007, 0, "auto-draft", "USD", "0.00", Map.of("email", ""), List.of()));

        Map<String, Object> job = sync("{\"full\": true}");
        assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);

        Map<String, Map<String, Object>> orders = allNodes("orders", "orderNumber woocommerceId woocommerceStatus status totalAmount currency "
                + "items customer { email woocommerceId } orderItems { nodes { woocommerceId quantity unitPrice productName sku "
                + "product { woocommerceId name sku } } }").stream()
                .collect(Collectors.toMap(o -> (String) o.get("orderNumber"), o -> o));
        assertThat((Map<String, Object>) orders.get("WC-6001").get("customer")).containsEntry("email", "jordan.blake@example.com")
                .containsEntry("woocommerceId", 87);
        assertThat(orders.get("WC-6002").get("customer")).isNull();
        assertThat(orders.get("WC-6002")).containsEntry("status", "FULFILLED").containsEntry("totalAmount", "4.50");
        assertThat(orders.get("WC-6003")).containsEntry("status", "PENDING").containsEntry("woocommerceStatus", "awaiting-shipment")
                .containsEntry("currency", "EUR").containsEntry("totalAmount", "0.00").containsEntry("items", "Cap × 2");
        assertThat(orders.get("WC-6004")).containsEntry("items", "Discontinued Mug × 2, Hoodie - Red, L × 3, Café ☕ כוס × 1");
        Map<Object, Map<String, Object>> lines = ((List<Map<String, Object>>) ((Map<String, Object>) orders.get("WC-6004").get("orderItems"))
                .get("nodes")).stream().collect(Collectors.toMap(l -> l.get("woocommerceId"), l -> l));
        assertThat(lines.get(7004)).containsEntry("productName", "Discontinued Mug").containsEntry("quantity", 2)
                .containsEntry("unitPrice", "7.50").containsEntry("product", null).containsEntry("sku", null);
        assertThat(lines.get(7005)).containsEntry("productName", "Hoodie - Red, L").containsEntry("quantity", 3)
                .containsEntry("unitPrice", "8.33").containsEntry("sku", "woo-hoodie-red-l");
        assertThat((Map<String, Object>) lines.get(7005).get("product")).containsEntry("woocommerceId", 80).containsEntry("sku", "woo-hoodie-red-l");
        assertThat(lines.get(7006)).containsEntry("productName", "Café ☕ כוס").containsEntry("unitPrice", "22.00");

        Map<Object, Map<String, Object>> returns = allNodes("returns", "woocommerceId amount reason order { orderNumber } customer { email }")
                .stream().collect(Collectors.toMap(r -> r.get("woocommerceId"), r -> r));
        assertThat(returns.get(6101)).containsEntry("amount", "5.00").containsEntry("reason", null);
        assertThat(returns.get(6102)).containsEntry("amount", "12.34").containsEntry("reason", "Strap broke 😞");
        assertThat((Map<String, Object>) returns.get(6102).get("customer")).containsEntry("email", "amelia.zhang@example.org");

        // Every customer of the store once (the guest with 87's email is 87), whatever the role; the guest 5241 by email.
        List<Map<String, Object>> customers = allNodes("customers", "email woocommerceId fullName billingCity");
        Map<Object, Map<String, Object>> byId = customers.stream().filter(c -> c.get("woocommerceId") != null)
                .collect(Collectors.toMap(c -> c.get("woocommerceId"), c -> c));
        assertThat(byId.keySet()).containsExactlyInAnyOrder(64, 87, 91, 102, 310, 311, 312);
        assertThat(byId.get(312)).containsEntry("email", "dash.phone@example.com").containsEntry("billingCity", "Leeds");
        assertThat(customersByEmail().get("dash.phone@example.com")).containsEntry("phone", null);
        assertThat(customersByEmail().get("short.phone@example.net")).containsEntry("phone", null).containsEntry("firstName", "Short");
        assertThat((Map<String, Object>) orders.get("WC-6008").get("customer")).containsEntry("email", "short.phone@example.net");
        assertThat(byId.get(310)).containsEntry("email", null).containsEntry("fullName", "Walk In").containsEntry("billingCity", "Tel Aviv");
        assertThat(byId.get(311)).containsEntry("email", "lena.shop@example.de").containsEntry("fullName", "Lena Krüger");
        assertThat(customers).extracting(c -> c.get("email")).filteredOn(e -> e != null && ((String) e).equalsIgnoreCase("jordan.blake@example.com"))
                .hasSize(1);
        assertThat(customers).hasSize(9);

        // No draft is an order of the CRM, nor counts in a customer's metrics: 87 has 5238 and the guest order 6001.
        assertThat(orders).doesNotContainKeys("WC-6006", "WC-6007").hasSize(STORE.all("orders").size() - 2);
        assertThat(customersByEmail().get("jordan.blake@example.com")).containsEntry("totalOrders", 2);

        // A second run over the same store changes nothing and still succeeds.
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(allNodes("customers", "email")).hasSize(9);
    }

    @Test
    @Order(2)
    void aDraftIsWrittenOnceItBecomesAnOrderAndNeverByTheWebhook() throws Exception {
        Map<String, Object> draft = STORE.all("orders").stream().filter(o -> o.get("id").equals(6006)).findFirst().orElseThrow();
        String body = JSON.writeValueAsString(draft);
        HttpResponse<String> delivered = WooCommerceRestE2EIT.webhook(port, body, WooCommerceRestE2EIT.sign(body, WEBHOOK_SECRET));
        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(delivered.body()).isEqualTo("{\"ok\":true,\"ignored\":\"a draft order (checkout-draft)\"}");
        assertThat(orderStatuses()).doesNotContainKey("WC-6006");

        // Paid: the same order, now processing, is read by the next run as any changed order.
        STORE.advance(Duration.ofMinutes(10));
        STORE.modify("orders", 6006, Map.of("status", "processing"));
        assertThat(sync(null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(orderStatuses()).containsEntry("WC-6006", "processing");
        assertThat(customersByEmail().get("jordan.blake@example.com")).containsEntry("totalOrders", 3);
    }

    private Map<String, Object> orderStatuses() {
        return allNodes("orders", "orderNumber woocommerceStatus").stream()
                .collect(Collectors.toMap(o -> (String) o.get("orderNumber"), o -> o.get("woocommerceStatus")));
    }

    @Test
    @Order(3)
    void aRateLimitIsWaitedOutAsRetryAfterAsks() {
        STORE.requests.clear();
        // Longer than the 3 attempts would take at the configured backoff (10 ms, then 20 ms).
        STORE.rateLimit("customers?per_page=3&page=1", 1);
        Map<String, Object> job = sync("{\"full\": true}");
        assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(STORE.requests).filteredOn(r -> r.contains("customers?per_page=3&page=1&")).hasSize(2);
    }

    @Test
    @Order(4)
    void aHostThatServesFewerThanPerPageLosesNothing() {
        STORE.modify("orders", 6004, Map.of("status", "completed"));
        STORE.perPageCap = 2;
        try {
            Map<String, Object> job = sync("{\"full\": true}");
            assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        } finally {
            STORE.perPageCap = 0;
        }
        Map<String, Object> expected = STORE.all("orders").stream().filter(o -> !String.valueOf(o.get("status")).endsWith("draft"))
                .collect(Collectors.toMap(o -> "WC-" + o.get("number"), o -> o.get("status")));
        assertThat(orderStatuses()).isEqualTo(expected);
    }

    @Test
    @Order(5)
    void withoutWooCommerceActiveTheRunSaysSo() {
        STORE.withoutWooCommerce = true;
        try {
            Map<String, Object> job = sync(null);
            assertThat(job).containsEntry("state", "FAILED").containsEntry("message", "The WordPress site at " + STORE.url()
                    + " has no WooCommerce REST API (404 rest_no_route for /wp-json/wc/v3/customers): WooCommerce is not active on it,"
                    + " or older than 3.5");
        } finally {
            STORE.withoutWooCommerce = false;
        }
    }

    @Test
    @Order(6)
    void aServerThatDropsTheAuthorizationHeaderIsAskedWithTheKeyInTheQuery() {
        STORE.dropsAuthorization = true;
        STORE.requests.clear();
        STORE.modify("orders", 6001, Map.of("status", "completed"));
        try {
            Map<String, Object> job = sync(null);
            assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
            // Refused once, then every request with the key in the query string.
            assertThat(STORE.requests.get(0)).doesNotContain("consumer_key");
            assertThat(STORE.requests.subList(1, STORE.requests.size())).allMatch(r -> r.endsWith("&consumer_key=" + FakeWooCommerce.KEY
                    + "&consumer_secret=" + FakeWooCommerce.SECRET));
            assertThat(orderStatuses()).containsEntry("WC-6001", "completed");

            // A key that is refused either way: a message that says what to check, and never the secret.
            STORE.refuseAll = true;
            Map<String, Object> refused = sync(null);
            assertThat(refused).containsEntry("state", "FAILED").containsEntry("message", "WooCommerce refused the consumer key/secret (401"
                    + " woocommerce_rest_cannot_view: \"Sorry, you cannot list resources.\") for /wp-json/wc/v3/customers: check the key"
                    + " and secret, and that the key's user is a Shop manager or Administrator (WooCommerce > Settings > Advanced > REST API)");
        } finally {
            STORE.refuseAll = false;
            STORE.dropsAuthorization = false;
        }
    }

    @Test
    @Order(7)
    void aSiteWithPlainPermalinksIsReadThroughRestRoute() {
        STORE.plainPermalinks = true;
        STORE.requests.clear();
        STORE.modify("orders", 6002, Map.of("status", "refunded"));
        try {
            Map<String, Object> job = sync(null);
            assertThat(job).as("%s", job).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
            assertThat(STORE.requests.get(0)).startsWith("/wp-json/wc/v3/customers?");
            assertThat(STORE.requests.subList(1, STORE.requests.size())).allMatch(r -> r.startsWith("/?rest_route=/wc/v3/"));
            assertThat(orderStatuses()).containsEntry("WC-6002", "refunded");
        } finally {
            STORE.plainPermalinks = false;
        }
    }

    private static Map<String, Object> order(long id, long customerId, String status, String currency, String total,
                                             Map<String, Object> billing, List<Map<String, Object>> lines) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", id);
        order.put("number", String.valueOf(id));
        order.put("status", status);
        order.put("currency", currency);
        order.put("total", total);
        order.put("customer_id", customerId);
        order.put("billing", billing);
        order.put("shipping", Map.of());
        order.put("date_created_gmt", "2025-03-20T10:00:00");
        order.put("line_items", lines);
        order.put("refunds", List.of());
        return order;
    }

    private static Map<String, Object> line(long id, long productId, String name, String sku, int quantity, Number price) {
        return variation(id, productId, 0, name, sku, quantity, price);
    }

    private static Map<String, Object> variation(long id, long productId, long variationId, String name, String sku, int quantity,
                                                 Number price) {
        return Map.of("id", id, "name", name, "product_id", productId, "variation_id", variationId, "quantity", quantity, "sku", sku,
                "price", price, "total", String.format(java.util.Locale.ROOT, "%.2f", price.doubleValue() * quantity));
    }
}
