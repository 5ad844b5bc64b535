package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook deliveries as Shopify sends them to a real store, late and out of order (it retries a failed delivery up to 8
 * times over 4 hours and promises no order), through the real plugin jar and server (a child process on a database of
 * this class's own): a customer update Shopify retried after the customer's delete, a delete before the create it
 * follows, an update of an order the CRM never saw, a body that begins with a UTF-8 byte order mark and one that is
 * empty. Each test owns its customers and orders.
 */
class ShopifyWebhookEdgesE2EIT {

    private static final String SHOP = "heron-home.myshopify.com";
    private static final String SECRET = "heron_home_webhook_secret";
    private static final FakeShopify SHOPIFY = new FakeShopify(false);
    private static final ShopifyStoreData STORE = new ShopifyStoreData(SHOPIFY, SHOP, "gid://shopify/Order/", () -> ShopifyWebhookEdgesE2EIT.server,
            java.time.ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ShopifyStoreData.startServer("shopify-webhook-edges", SHOP, SECRET, SHOPIFY);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
    }

    @Test
    void aCustomerUpdateRetriedAfterTheCustomersDeleteDoesNotBringItBack() throws Exception {
        assertThat(deliver("customers/create", "late-create", customer(8300000000001L, "ines.gone@example.com", "Inès", "Müller",
                "2025-08-01T09:00:00Z"))).isEqualTo("Applied");
        assertThat(deliver("customers/delete", "late-delete", node("id", 8300000000001L, "phone", null, "addresses", List.of(),
                "tax_exemptions", List.of(), "email_marketing_consent", null, "admin_graphql_api_id", "gid://shopify/Customer/8300000000001")))
                .isEqualTo("Applied|Customer 8300000000001 deleted");
        // An update made before the delete, whose first delivery failed: Shopify delivers it again after.
        assertThat(deliver("customers/update", "late-update", customer(8300000000001L, "ines.gone@example.com", "Inès", "Müller-Berg",
                "2025-08-01T10:00:00Z"))).isEqualTo("Ignored|The customer was deleted in Shopify since (customers/delete applied before)");
        assertThat(rows("SELECT count(*) FROM customers WHERE email = 'ines.gone@example.com'")).containsExactly("0");
    }

    @Test
    void aCustomerCreateDeliveredAfterItsDeleteStoresNothing() throws Exception {
        assertThat(deliver("customers/delete", "early-delete", node("id", 8300000000002L, "admin_graphql_api_id",
                "gid://shopify/Customer/8300000000002"))).isEqualTo("Applied|Customer 8300000000002 not stored");
        assertThat(deliver("customers/create", "late-create-2", customer(8300000000002L, "oskar.brief@example.com", "Oskar", "Brief",
                "2025-08-02T09:00:00Z"))).isEqualTo("Ignored|The customer was deleted in Shopify since (customers/delete applied before)");
        // Another customer of the same batch topics is written as before.
        assertThat(deliver("customers/create", "other-create", customer(8300000000003L, "ylva.here@example.com", "Ylva", "Här",
                "2025-08-02T09:00:00Z"))).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', email, full_name) FROM customers WHERE email IN ('oskar.brief@example.com', 'ylva.here@example.com')"))
                .containsExactly("ylva.here@example.com|Ylva Här");
    }

    @Test
    void anUpdateOfAnOrderNeverSeenCreatesItWithItsCustomerAndLines() throws Exception {
        Map<String, Object> buyer = customer(8300000000004L, "zoe.update@example.com", "Zoë", "Lund", "2025-08-03T09:00:00Z");
        Map<String, Object> order = node("id", 6400000000001L, "admin_graphql_api_id", "gid://shopify/Order/6400000000001", "name", "#8001",
                "email", "zoe.update@example.com", "contact_email", "zoe.update@example.com", "phone", null, "customer", buyer, "currency", "USD",
                "presentment_currency", "USD", "created_at", "2025-08-03T10:00:00Z", "updated_at", "2025-08-03T12:00:00Z", "cancelled_at", null,
                "financial_status", "paid", "fulfillment_status", "fulfilled", "total_price", "47.50", "billing_address", null,
                "line_items", List.of(node("sku", "MUG-1", "name", "Mug", "quantity", 2, "current_quantity", 2, "price", "12.50"),
                        node("sku", "TEA-1", "name", "Tea", "quantity", 1, "current_quantity", 1, "price", "22.50")));
        assertThat(deliver("orders/updated", "never-seen", order)).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', o.order_number, o.status, printf('%.2f', o.total_amount), c.email, c.full_name, c.total_orders, "
                + "printf('%.2f', c.counted_order_total)) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.shopify_key = '" + SHOP
                + "/gid://shopify/Order/6400000000001'")).containsExactly("heron-home #8001|Fulfilled|47.50|zoe.update@example.com|Zoë Lund|1|47.50");
        assertThat(rows("SELECT concat_ws('|', i.shopify_key, i.quantity, printf('%.2f', i.unit_price)) FROM order_items i JOIN orders o "
                + "ON o.id = i.order_id WHERE o.order_number = 'heron-home #8001' ORDER BY 1"))
                .containsExactly(SHOP + "/#8001/MUG-1|2|12.50", SHOP + "/#8001/TEA-1|1|22.50");
    }

    @Test
    void aBodyBeginningWithAByteOrderMarkIsSignedAsSentAndApplied() throws Exception {
        byte[] json = JSON.writeValueAsBytes(customer(8300000000005L, "bom.kunde@example.com", "Jürgen", "Øster", "2025-08-04T09:00:00Z"));
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(json, 0, body, 3, json.length);
        assertThat(post("customers/create", "bom-create", body).body()).isEqualTo("{\"state\":\"Received\"}");
        assertThat(STORE.runJob("apply-webhooks", null)).containsEntry("state", "SUCCEEDED");
        assertThat(rows("SELECT concat_ws('|', w.state, c.full_name) FROM shopify_webhooks w, customers c WHERE w.webhook_id = 'bom-create' "
                + "AND c.email = 'bom.kunde@example.com'")).containsExactly("Applied|Jürgen Øster");
    }

    @Test
    void aSignedDeliveryWithAnEmptyBodyIsRefusedAndStoresNothing() throws Exception {
        java.net.http.HttpResponse<String> answer = post("orders/updated", "empty-body", new byte[0]);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("The delivery's body is empty: Shopify sends each orders/updated delivery with its payload as JSON");
        assertThat(STORE.runJob("apply-webhooks", null)).containsEntry("state", "SUCCEEDED");
        assertThat(rows("SELECT count(*) FROM shopify_webhooks WHERE webhook_id = 'empty-body'")).containsExactly("0");
    }

    /** {@code body} posted as Shopify sends it, signed over its bytes. */
    private static java.net.http.HttpResponse<String> post(String topic, String webhookId, byte[] body) throws Exception {
        return server.post("/plugins/shopify/webhooks", ShopifyDelivery.headers(SHOP, SECRET, topic, webhookId, "event-" + webhookId,
                "2025-08-04T09:00:00.000Z", body), body);
    }

    /** A customer webhook payload of the 2026-07 shape (no tags, no consent), without a phone. */
    private static Map<String, Object> customer(long id, String email, String first, String last, String updatedAt) {
        return node("id", id, "admin_graphql_api_id", "gid://shopify/Customer/" + id, "email", email, "first_name", first, "last_name", last,
                "phone", null, "note", null, "created_at", "2025-08-01T09:00:00Z", "updated_at", updatedAt);
    }

    private static String deliver(String topic, String webhookId, Map<String, Object> json) throws Exception {
        return STORE.deliver(SECRET, topic, webhookId, json);
    }

    private static List<String> rows(String select) throws Exception {
        return STORE.rows(select);
    }
}
