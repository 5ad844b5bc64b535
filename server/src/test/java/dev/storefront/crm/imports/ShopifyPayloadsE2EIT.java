package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import dev.storefront.crm.plugins.Fixtures;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shopify's data as real stores send it, through the real plugin jar and server (a child process on a
 * database of this class's own): webhook payloads with null fields, phones in E.164 and local form, money
 * with more decimals than cents, a shop currency other than USD beside the buyer's presentment money, tags in
 * the original payload shape; an orders export whose lines carry a discount and a refund; a customers export
 * with every way Shopify has written email marketing consent. Each test owns its customers and orders.
 */
class ShopifyPayloadsE2EIT {

    private static final String SHOP = "fjord-wool.myshopify.com";
    private static final String SECRET = "fjord_wool_webhook_secret";
    private static final FakeShopify SHOPIFY = new FakeShopify();
    private static final ShopifyStoreData STORE = new ShopifyStoreData(SHOPIFY, SHOP, "gid://shopify/Order/", () -> ShopifyPayloadsE2EIT.server,
            java.time.ZoneOffset.UTC);
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ShopifyStoreData.startServer("shopify-payloads", SHOP, SECRET, SHOPIFY);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
    }

    @Test
    void aGuestOrderInEurosWithLongDecimalsIsStoredInShopMoneyWithoutCustomer() throws Exception {
        Map<String, Object> order = node("id", 6100000000001L, "admin_graphql_api_id", "gid://shopify/Order/6100000000001", "name", "#5001",
                "email", null, "phone", null, "customer", null, "currency", "EUR", "presentment_currency", "USD",
                "created_at", "2025-06-01T10:00:00+02:00", "updated_at", "2025-06-01T10:00:05+02:00", "cancelled_at", null,
                "financial_status", "paid", "fulfillment_status", null, "total_price", "49.995",
                "total_price_set", node("shop_money", node("amount", "49.995", "currency_code", "EUR"),
                        "presentment_money", node("amount", "54.10", "currency_code", "USD")),
                "line_items", List.of(
                        node("sku", "", "name", "Gift Wrap", "quantity", 1, "price", "4.9951",
                                "price_set", node("shop_money", node("amount", "4.9951", "currency_code", "EUR"),
                                        "presentment_money", node("amount", "5.41", "currency_code", "USD"))),
                        node("sku", "HAT-1", "name", "Fjord Hat", "quantity", 2, "price", "22.50", "price_set",
                                node("shop_money", node("amount", "22.50", "currency_code", "EUR"),
                                        "presentment_money", node("amount", "24.35", "currency_code", "USD")))));
        assertThat(deliver("orders/create", "guest-order", order)).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', order_number, order_date, printf('%.2f', total_amount), currency, status, coalesce(customer_id, -1)) "
                + "FROM orders WHERE shopify_key = '" + SHOP + "/gid://shopify/Order/6100000000001'"))
                .containsExactly("fjord-wool #5001|2025-06-01 08:00:00+00|50.00|EUR|Pending|-1");
        // Lines keyed by SKU, by name when the SKU is empty; prices in shop money to the cent.
        assertThat(rows("SELECT concat_ws('|', i.shopify_key, i.quantity, printf('%.2f', i.unit_price)) FROM order_items i JOIN orders o "
                + "ON o.id = i.order_id WHERE o.order_number = 'fjord-wool #5001' ORDER BY 1"))
                .containsExactly(SHOP + "/#5001/Gift Wrap|1|5.00", SHOP + "/#5001/HAT-1|2|22.50");

        // Its refund: the successful refund transactions summed before rounding, a failed one left out; the store's day (UTC here).
        Map<String, Object> refund = node("id", 1100000000001L, "admin_graphql_api_id", "gid://shopify/Refund/1100000000001",
                "order_id", 6100000000001L, "created_at", "2025-06-05T01:30:00+02:00", "note", null, "transactions", List.of(
                        node("kind", "refund", "status", "success", "amount", "3.3333333", "currency", "EUR"),
                        node("kind", "refund", "status", "success", "amount", "3.3333333", "currency", "EUR"),
                        node("kind", "refund", "status", "failure", "amount", "50.00", "currency", "EUR")));
        assertThat(deliver("refunds/create", "guest-refund", refund)).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', printf('%.2f', r.amount), r.return_date, coalesce(r.reason, '-'), coalesce(r.customer_id, -1)) "
                + "FROM returns r JOIN orders o ON o.id = r.order_id WHERE o.order_number = 'fjord-wool #5001'"))
                .containsExactly("6.67|2025-06-04|-|-1");
    }

    @Test
    void aCustomerWithoutEmailKeepsItsPhoneAsWrittenAndTagsOfTheOriginalShapeEmptyAsNull() throws Exception {
        Map<String, Object> created = node("id", 7500000000001L, "admin_graphql_api_id", "gid://shopify/Customer/7500000000001",
                "email", null, "first_name", "Ingrid", "last_name", null, "phone", "+4722555012", "note", null,
                "tags", "VIP,  wholesale ,", "updated_at", "2025-06-02T09:00:00Z");
        assertThat(deliver("customers/create", "phone-customer", created)).isEqualTo("Applied");
        String customer = "SELECT concat_ws('|', full_name, coalesce(email, '-'), phone, coalesce(list_aggr(tags, 'string_agg', ','), 'null')) "
                + "FROM customers WHERE shopify_key = '" + SHOP + "/gid://shopify/Customer/7500000000001'";
        assertThat(rows(customer)).containsExactly("Ingrid|-|+4722555012|VIP,wholesale");

        Map<String, Object> updated = new java.util.LinkedHashMap<>(created);
        updated.put("phone", "22 55 50 12");
        updated.put("email", "ingrid@example.no");
        updated.put("tags", "");
        updated.put("updated_at", "2025-06-03T09:00:00Z");
        assertThat(deliver("customers/update", "phone-customer-2", updated)).isEqualTo("Applied");
        assertThat(rows(customer)).containsExactly("Ingrid|ingrid@example.no|22 55 50 12|null");
    }

    @Test
    void anOrdersExportLineWithADiscountAndARefundKeepsItsPriceAndTheOrderItsTotal() throws Exception {
        String csv = Files.readString(Fixtures.shopify("shopify_orders_export.csv"));
        List<String> header = List.of(csv.substring(0, csv.indexOf('\n')).split(","));
        Map<String, String> first = Map.ofEntries(Map.entry("Name", "#5101"), Map.entry("Email", ""), Map.entry("Financial Status", "partially_refunded"),
                Map.entry("Fulfillment Status", "fulfilled"), Map.entry("Currency", "NOK"), Map.entry("Subtotal", "1,250.00"),
                Map.entry("Total", "1,190.00"), Map.entry("Discount Code", "SPRING"), Map.entry("Discount Amount", "60.00"),
                Map.entry("Created at", "2025-06-04 12:00:00 +0200"), Map.entry("Lineitem quantity", "2"), Map.entry("Lineitem name", "Lusekofte"),
                Map.entry("Lineitem price", "500.00"), Map.entry("Lineitem sku", "LUS-01"), Map.entry("Refunded Amount", "250.00"),
                Map.entry("Id", "6100000000101"), Map.entry("Lineitem discount", "50.00"));
        Map<String, String> second = Map.of("Name", "#5101", "Created at", "2025-06-04 12:00:00 +0200", "Lineitem quantity", "1",
                "Lineitem name", "Votter", "Lineitem price", "250.00", "Lineitem sku", "VOT-02", "Lineitem discount", "10.00");
        String file = String.join("\n", String.join(",", header), row(header, first), row(header, second)) + "\n";
        assertThat(importCsv("shopify:orders-csv", file)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(rows("SELECT concat_ws('|', order_number, order_date, printf('%.2f', total_amount), currency, status) FROM orders "
                + "WHERE order_number = 'fjord-wool #5101'")).containsExactly("fjord-wool #5101|2025-06-04 10:00:00+00|1190.00|NOK|Fulfilled");
        assertThat(rows("SELECT concat_ws('|', i.shopify_key, i.quantity, printf('%.2f', i.unit_price)) FROM order_items i JOIN orders o "
                + "ON o.id = i.order_id WHERE o.order_number = 'fjord-wool #5101' ORDER BY 1"))
                .containsExactly(SHOP + "/#5101/LUS-01|2|500.00", SHOP + "/#5101/VOT-02|1|250.00");
    }

    @Test
    void aCustomersExportReadsEveryWayShopifyWroteEmailConsent() throws Exception {
        List<String> consents = List.of("yes", "no", "Yes", "NO", "TRUE", "false", "", "subscribed", "not_subscribed", "unsubscribed", "pending");
        StringBuilder file = new StringBuilder(ShopifyStoreData.CUSTOMERS_HEADER);
        for (int i = 0; i < consents.size(); i++) {
            file.append("'75000000001").append(String.format("%02d", i)).append(",Consent,").append(i).append(",consent").append(i)
                    .append("@example.com,").append(consents.get(i)).append(",,,,,,,,,,no,0.00,0,,no,\n");
        }
        assertThat(importCsv("shopify:customers-csv", file.toString())).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        // An empty cell is no consent: the field's default, false.
        assertThat(rows("SELECT concat_ws('|', email, coalesce(CAST(accepts_marketing AS VARCHAR), '-')) FROM customers "
                + "WHERE email LIKE 'consent%@example.com' ORDER BY shopify_customer_id")).containsExactly(
                "consent0@example.com|true", "consent1@example.com|false", "consent2@example.com|true", "consent3@example.com|false",
                "consent4@example.com|true", "consent5@example.com|false", "consent6@example.com|false", "consent7@example.com|true",
                "consent8@example.com|false", "consent9@example.com|false", "consent10@example.com|false");
    }

    /** One row of the orders export: {@code cells} in the columns of {@code header}, the others empty. */
    private static String row(List<String> header, Map<String, String> cells) {
        return String.join(",", header.stream().map(column -> {
            String value = cells.getOrDefault(column, "");
            return value.contains(",") ? "\"" + value + "\"" : value;
        }).toList());
    }

    private static Map<String, Object> importCsv(String importer, String csv) throws Exception {
        return STORE.importCsv(importer, csv);
    }

    private static String deliver(String topic, String webhookId, Map<String, Object> json) throws Exception {
        return STORE.deliver(SECRET, topic, webhookId, json);
    }

    private static List<String> rows(String select) throws Exception {
        return STORE.rows(select);
    }
}
