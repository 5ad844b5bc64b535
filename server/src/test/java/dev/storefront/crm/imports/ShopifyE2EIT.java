package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import dev.storefront.crm.plugins.Fixtures;
import dev.storefront.crm.plugins.TestPlugins;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * order, a data request and a redact. Sync: customers from a Shopify-like GraphQL server serving the sample pages with a cost
 * bucket, THROTTLED, 429 and 500 answers, and a refused token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopifyE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SHOP = "northwind-knits.myshopify.com";
    private static final String ORDER_KEY = SHOP + "/gid://shopify/Order/6012745392211";
    private static Map<String, Object> headers;
    private static String secret;
    private static final FakeShopify SHOPIFY = new FakeShopify();
    private static CrmProcess server;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        Map<String, Object> file = JSON.readValue(Files.readString(Fixtures.shopify("shopify_webhook_headers.json")), Map.class);
        headers = (Map<String, Object>) file.get("deliveries");
        secret = (String) file.get("secret");
        Path folder = Files.createTempDirectory("crm-shopify");
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestPlugins.bundledJar("shopify"), plugins.resolve("shopify.jar"));
        server = CrmProcess.start(Path.of("target", "shopify-e2e-server.log"), List.of(
                "--crm.database=" + folder.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(),
                "--crm.plugins-dir=" + plugins,
                "--crm.plugins.shopify.webhook-secret=" + secret,
                "--crm.plugins.shopify.shop=" + SHOP,
                "--crm.plugins.shopify.access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.url=" + SHOPIFY.url(),
                "--crm.plugins.shopify.page-size=3",
                "--crm.plugins.shopify.retries=3",
                "--crm.plugins.shopify.retry-backoff-ms=20"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
    }

    @Test
    @Order(1)
    void aSignedOrderIsStoredThenAppliedWithItsCustomerAndLines() throws Exception {
        HttpResponse<String> answer = deliver("shopify_webhook_orders_create.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"state\":\"Applied\"}");
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
    }

    @Test
    @Order(2)
    void aDuplicateDeliveryChangesNothing() throws Exception {
        List<String> before = rows("SELECT concat_ws('|', id, updated_at) FROM orders UNION ALL SELECT concat_ws('|', id, updated_at) FROM customers");
        assertThat(deliver("shopify_webhook_orders_create.json").body()).isEqualTo("{\"state\":\"Duplicate\"}");
        // Another delivery of the same event (same X-Shopify-Event-Id and topic) is a duplicate too.
        Map<String, String> again = headersOf("shopify_webhook_orders_create.json");
        again.put("X-Shopify-Webhook-Id", "3f1c2a5e-9b7d-4c10-a2e4-f6b8c0d1e2ff");
        assertThat(server.post("/plugins/shopify/webhooks", again, bytes("shopify_webhook_orders_create.json")).body())
                .isEqualTo("{\"state\":\"Duplicate\"}");
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
        assertThat(rows("SELECT count(*) FROM shopify_webhooks")).containsExactly("1");
        assertThat(rows("SELECT printf('%.2f', total_amount) FROM orders WHERE shopify_key = '" + ORDER_KEY + "'")).containsExactly("205.93");
    }

    @Test
    @Order(4)
    void anOlderUpdateIsIgnoredAndANewerOneApplied() throws Exception {
        Map<String, Object> older = fixture("shopify_webhook_orders_create.json");
        older.put("updated_at", "2025-03-03T14:22:09-05:00");
        older.put("total_price", "999.00");
        assertThat(send("orders/updated", "older-1", older).body()).isEqualTo("{\"state\":\"Ignored\"}");
        assertThat(rows("SELECT printf('%.2f', total_amount) FROM orders WHERE shopify_key = '" + ORDER_KEY + "'")).containsExactly("205.93");

        Map<String, Object> newer = fixture("shopify_webhook_orders_create.json");
        newer.put("updated_at", "2025-03-04T10:00:00-05:00");
        newer.put("total_price", "190.00");
        newer.put("financial_status", "refunded");
        assertThat(send("orders/updated", "newer-1", newer).body()).isEqualTo("{\"state\":\"Applied\"}");
        assertThat(rows("SELECT concat_ws('|', printf('%.2f', total_amount), status, shopify_updated_at) FROM orders WHERE shopify_key = '"
                + ORDER_KEY + "'")).containsExactly("190.00|Refunded|2025-03-04 15:00:00+00");
        assertThat(rows("SELECT concat_ws('|', webhook_id, state, note) FROM shopify_webhooks WHERE topic = 'orders/updated' ORDER BY webhook_id"))
                .containsExactly("newer-1|Applied", "older-1|Ignored|Older than what is stored (updated_at 2025-03-03T14:22:09-05:00)");
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void aRefundBecomesAReturnOfItsOrderAndCustomer() throws Exception {
        assertThat(deliver("shopify_webhook_refunds_create.json").body()).isEqualTo("{\"state\":\"Applied\"}");
        Map<String, Object> refund = fixture("shopify_webhook_refunds_create.json");
        BigDecimal amount = ((List<Map<String, Object>>) (List<?>) refund.get("transactions")).stream()
                .filter(t -> "refund".equals(t.get("kind")) && "success".equals(t.get("status")))
                .map(t -> new BigDecimal((String) t.get("amount"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(rows("SELECT concat_ws('|', printf('%.2f', r.amount), r.reason, r.resolution, r.status, r.return_date, o.shopify_key, c.email) "
                + "FROM returns r JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = r.customer_id"))
                .containsExactly(amount.setScale(2) + "|" + refund.get("note") + "|Refund|Closed|2025-03-12|" + ORDER_KEY + "|ava.thompson@example.com");
    }

    @Test
    @Order(6)
    void aRefundBeforeItsOrderWaitsUntilTheOrderArrives() throws Exception {
        Map<String, Object> refund = fixture("shopify_webhook_refunds_create.json");
        refund.put("id", 1023456789099L);
        refund.put("admin_graphql_api_id", "gid://shopify/Refund/1023456789099");
        refund.put("order_id", 6012745392299L);
        assertThat(send("refunds/create", "early-refund", refund).body()).isEqualTo("{\"state\":\"Received\"}");

        Map<String, Object> order = fixture("shopify_webhook_orders_create.json");
        order.put("id", 6012745392299L);
        order.put("admin_graphql_api_id", "gid://shopify/Order/6012745392299");
        order.put("name", "#1099");
        order.put("line_items", List.of());
        assertThat(send("orders/create", "late-order", order).body()).isEqualTo("{\"state\":\"Applied\"}");
        Map<String, Object> job = runJob("apply-webhooks", null);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 1);
        assertThat(rows("SELECT concat_ws('|', o.order_number, printf('%.2f', r.amount)) FROM returns r JOIN orders o ON o.id = r.order_id "
                + "ORDER BY r.shopify_key")).containsExactly("northwind-knits #1001|27.51", "northwind-knits #1099|27.51");
        assertThat(rows("SELECT state FROM shopify_webhooks WHERE webhook_id = 'early-refund'")).containsExactly("Applied");
    }

    @Test
    @Order(7)
    void aNewCustomerIsCreatedKeyedByShopAndId() throws Exception {
        assertThat(deliver("shopify_webhook_customers_create.json").body()).isEqualTo("{\"state\":\"Applied\"}");
        assertThat(rows("SELECT concat_ws('|', full_name, email, phone, shopify_updated_at) FROM customers WHERE shopify_key = '"
                + SHOP + "/gid://shopify/Customer/7412883341331'"))
                .containsExactly("Chloé Tremblay|chloe.tremblay@example.ca|+15145550172|2025-03-10 15:04:52+00");
    }

    @Test
    @Order(8)
    void aFirstSyncReadsEveryCustomerPacedByQueryCost() throws Exception {
        Map<String, Object> job = runJob("graphql-sync", "{\"full\": true}");
        assertThat(job).containsEntry("state", "SUCCEEDED");
        assertThat(crmCustomers()).containsExactlyElementsOf(expectedCustomers());
        // 8 customers, 3 a page; each query costs 30 of a 50-point bucket restored at 25/s: the
        // client waited for the bucket, so Shopify never had to throttle it.
        assertThat(SHOPIFY.queries).hasSize(3);
        assertThat(SHOPIFY.unpaced).hasValue(0);
    }

    @Test
    @Order(9)
    void throttledTooManyRequestsAndServerErrorsAreWaitedOutAndRetried() throws Exception {
        SHOPIFY.queries.clear();
        SHOPIFY.fail(FakeShopify.Fault.THROTTLED, FakeShopify.Fault.TOO_MANY_REQUESTS, FakeShopify.Fault.ERROR_500);
        Map<String, Object> job = runJob("graphql-sync", "{\"full\": true}");
        int customers = SHOPIFY.customers().size();
        assertThat(job).containsEntry("state", "SUCCEEDED")
                .containsEntry("message", "Synced " + customers + " records: 0 new, 0 changed, " + customers + " unchanged; 0 skipped");
        assertThat(SHOPIFY.queries).hasSize(3 + 3);
        assertThat(SHOPIFY.unpaced).hasValue(0);
        assertThat(crmCustomers()).containsExactlyElementsOf(expectedCustomers());
    }

    @Test
    @Order(10)
    void aLaterRunAsksOnlyForCustomersUpdatedSinceThePreviousRunBegan() throws Exception {
        String cursor = rows("SELECT cursor FROM crm_sync_state WHERE source = 'shopify:graphql-sync'").get(0);
        String since = cursor.split("\\|", -1)[2];
        SHOPIFY.queries.clear();
        assertThat(runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("processed", 0);
        assertThat(SHOPIFY.queries).singleElement().satisfies(q -> assertThat(q).containsEntry("query", "updated_at:>'" + since + "'"));
    }

    @Test
    @Order(11)
    void aRefusedTokenFailsTheSyncClearlyAndChangesNothing() throws Exception {
        List<String> before = rows("SELECT concat_ws('|', id, updated_at) FROM customers ORDER BY id");
        Map<String, Object> job = runJob("graphql-sync", "{\"full\": true, \"url\": \"" + SHOPIFY.url() + "/bad\"}");
        assertThat(job).containsEntry("state", "FAILED").containsEntry("message", "Shopify refused the access token for " + SHOP + " (401)");
        assertThat(rows("SELECT concat_ws('|', id, updated_at) FROM customers ORDER BY id")).containsExactlyElementsOf(before);
    }

    @Test
    @Order(12)
    void aDataRequestIsRecordedAndARedactErasesTheCustomerButKeepsTheOrders() throws Exception {
        String customerKey = SHOP + "/gid://shopify/Customer/7412883013651";
        Map<String, Object> customer = Map.of("id", 7412883013651L, "email", "ava.thompson@example.com", "phone", "+12125550147");
        Map<String, Object> request = Map.of("shop_id", 954889, "shop_domain", SHOP, "orders_requested", List.of(6012745392211L),
                "customer", customer, "data_request", Map.of("id", 9999));
        assertThat(send("customers/data_request", "data-request-1", request).body()).isEqualTo("{\"state\":\"Applied\"}");
        assertThat(rows("SELECT note FROM shopify_webhooks WHERE webhook_id = 'data-request-1'"))
                .containsExactly("Data request 9999 for customer 7412883013651 recorded: answer it from the CRM's data");

        String naming = "FROM shopify_webhooks WHERE body LIKE '%7412883013651%' OR body LIKE '%ava.thompson@example.com%' OR body LIKE '%+12125550147%'";
        int bodies = Integer.parseInt(rows("SELECT count(*) " + naming).get(0)) + 1;
        Map<String, Object> redact = Map.of("shop_id", 954889, "shop_domain", SHOP, "customer", customer,
                "orders_to_redact", List.of(6012745392211L));
        assertThat(send("customers/redact", "redact-1", redact).body()).isEqualTo("{\"state\":\"Applied\"}");
        assertThat(rows("SELECT note FROM shopify_webhooks WHERE webhook_id = 'redact-1'"))
                .containsExactly("Customer 7412883013651 erased; " + bodies + " delivery bodies erased");
        assertThat(rows("SELECT concat_ws('|', coalesce(email, '-'), coalesce(full_name, '-'), coalesce(phone, '-'), coalesce(notes, '-')) "
                + "FROM customers WHERE shopify_key = '" + customerKey + "'")).containsExactly("-|-|-|-");
        assertThat(rows("SELECT count(*) " + naming)).containsExactly("0");
        // The orders stay, as anonymous facts of the shop.
        assertThat(rows("SELECT o.order_number FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.shopify_key = '"
                + customerKey + "' ORDER BY o.order_number")).containsExactly("northwind-knits #1001", "northwind-knits #1099");
    }

    // ---- helpers ----

    private static List<String> crmCustomers() throws Exception {
        return rows("SELECT concat_ws('|', shopify_key, email, first_name, last_name, phone, list_aggr(tags, 'string_agg', ',')) "
                + "FROM customers WHERE shopify_key IS NOT NULL ORDER BY shopify_updated_at");
    }

    /** Each customer of the store as the CRM should hold it; an empty value is no value (concat_ws skips it). */
    @SuppressWarnings("unchecked")
    private static List<String> expectedCustomers() {
        return SHOPIFY.customers().stream().map(c -> java.util.stream.Stream.of(SHOP + "/" + c.get("id"),
                        ((Map<String, Object>) (c.get("defaultEmailAddress") == null ? Map.of() : c.get("defaultEmailAddress"))).get("emailAddress"),
                        c.get("firstName"), c.get("lastName"),
                        ((Map<String, Object>) (c.get("defaultPhoneNumber") == null ? Map.of() : c.get("defaultPhoneNumber"))).get("phoneNumber"),
                        String.join(",", (List<String>) c.get("tags")))
                .filter(v -> v != null && !v.toString().isEmpty()).map(String::valueOf).collect(java.util.stream.Collectors.joining("|"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> runJob(String name, String args) throws Exception {
        String id = (String) ((Map<String, Object>) server.graphQl("mutation($job: String!, $args: String) { runJob(plugin: \"shopify\", job: $job, args: $args) { id } }",
                args == null ? Map.of("job", name) : Map.of("job", name, "args", args)).get("runJob")).get("id");
        return awaitJob(id);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitJob(String id) throws Exception {
        for (int i = 0; i < 1200; i++) {
            Map<String, Object> job = (Map<String, Object>) server.graphQl("query($id: ID!) { job(id: $id) { state processed message } }",
                    Map.of("id", id)).get("job");
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("state"))) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    /** A fixture delivery exactly as stored, with its recorded headers and signature. */
    private static HttpResponse<String> deliver(String file) throws Exception {
        return server.post("/plugins/shopify/webhooks", headersOf(file), bytes(file));
    }

    /** {@code json} sent compactly as Shopify sends bodies, signed here with the test secret. */
    private static HttpResponse<String> send(String topic, String webhookId, Map<String, Object> json) throws Exception {
        byte[] body = JSON.writeValueAsBytes(json);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("Content-Type", "application/json");
        sent.put("X-Shopify-Topic", topic);
        sent.put("X-Shopify-Shop-Domain", SHOP);
        sent.put("X-Shopify-Webhook-Id", webhookId);
        sent.put("X-Shopify-Event-Id", "event-" + webhookId);
        sent.put("X-Shopify-Hmac-Sha256", Base64.getEncoder().encodeToString(mac.doFinal(body)));
        return server.post("/plugins/shopify/webhooks", sent, body);
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
