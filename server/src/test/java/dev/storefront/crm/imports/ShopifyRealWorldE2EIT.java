package dev.storefront.crm.imports;

import static dev.storefront.crm.imports.ShopifyStoreData.money;
import static dev.storefront.crm.imports.ShopifyStoreData.node;
import static dev.storefront.crm.imports.ShopifyStoreData.refund;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.plugins.CrmProcess;
import dev.storefront.crm.plugins.FakeShopify;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What real stores send that the plainer tests leave out, through the real plugin jar and server (a child
 * process on a database of this class's own) and a Shopify-like server holding only what the test puts:
 * guest orders (no customer, an email), marketing consent in each shape Shopify has written it, a customer an
 * older admin export knew by its phone alone, an order edited after it was placed, a cancelled order, money in
 * a presentment currency, a customer whose phone is its default address's, and the delete of a customer the CRM
 * holds orders of; on the webhooks, the bulk sync
 * and the paged sync. Each test owns its customers and orders.
 */
class ShopifyRealWorldE2EIT {

    private static final String SHOP = "tundra-tees.myshopify.com";
    private static final String SECRET = "tundra_tees_webhook_secret";
    private static final FakeShopify SHOPIFY = new FakeShopify(false);
    private static final ShopifyStoreData STORE = new ShopifyStoreData(SHOPIFY, SHOP, "gid://shopify/Order/", () -> ShopifyRealWorldE2EIT.server,
            java.time.ZoneOffset.UTC);
    /** A customers export of about 2021 and before: no Customer ID, consent as Accepts Marketing. */
    private static final String OLDER_CUSTOMERS_HEADER = "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,"
            + "Country,Country Code,Zip,Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt\n";
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ShopifyStoreData.startServer("shopify-real-world", SHOP, SECRET, SHOPIFY, "--crm.plugins.shopify.bulk-poll-ms=20");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY.close();
    }

    @Test
    void aGuestOrderBelongsToTheCustomerWithItsEmailElseToOneMadeFromItsBillingDetails() throws Exception {
        assertThat(deliver("customers/create", "guest-account", customer(8100000000001L, "ada.guest@example.com", "Ada", "Lind", null,
                "2025-07-01T09:00:00Z"))).isEqualTo("Applied");
        Map<String, Object> known = order(6200000000001L, "#6001", "2025-07-02T10:00:00Z", "120.00", null, List.of());
        known.put("email", "ada.guest@example.com");
        known.put("billing_address", node("first_name", "Ada", "last_name", "Lind", "phone", null));
        assertThat(deliver("orders/create", "guest-known", known)).isEqualTo("Applied");
        // Named by contact_email alone: a customer is made from the billing details.
        Map<String, Object> unknown = order(6200000000002L, "#6002", "2025-07-03T10:00:00Z", "45.50", null, List.of());
        unknown.put("contact_email", "noor.guest@example.com");
        unknown.put("billing_address", node("first_name", "Noor", "last_name", "Haddad", "phone", "+4791234567"));
        assertThat(deliver("orders/create", "guest-unknown", unknown)).isEqualTo("Applied");
        Map<String, Object> refund = node("id", 1200000000001L, "admin_graphql_api_id", "gid://shopify/Refund/1200000000001",
                "order_id", 6200000000002L, "created_at", "2025-07-04T10:00:00Z", "note", "Too small",
                "transactions", List.of(node("kind", "refund", "status", "success", "amount", "5.50")));
        assertThat(deliver("refunds/create", "guest-refund", refund)).isEqualTo("Applied");

        assertThat(rows("SELECT concat_ws('|', o.order_number, c.email) FROM orders o JOIN customers c ON c.id = o.customer_id "
                + "WHERE o.order_number IN ('tundra-tees #6001', 'tundra-tees #6002') ORDER BY 1"))
                .containsExactly("tundra-tees #6001|ada.guest@example.com", "tundra-tees #6002|noor.guest@example.com");
        assertThat(rows(metrics("'ada.guest@example.com', 'noor.guest@example.com'"))).containsExactly(
                "ada.guest@example.com|Ada Lind|-|1|120.00|0.00",
                "noor.guest@example.com|Noor Haddad|+4791234567|1|45.50|5.50");
        assertThat(rows("SELECT c.email FROM returns r JOIN customers c ON c.id = r.customer_id WHERE r.shopify_key = '" + SHOP
                + "/gid://shopify/Refund/1200000000001'")).containsExactly("noor.guest@example.com");
    }

    @Test
    void aGuestOrderWithoutAPhoneOrNameKeepsTheCustomersAndOneThatGivesThemUpdatesThem() throws Exception {
        assertThat(deliver("customers/create", "kept-account", customer(8100000000071L, "gus.kept@example.com", "Gus", "Kept", "+4790000071",
                "2025-07-01T09:00:00Z"))).isEqualTo("Applied");
        // No billing address, no phone: the customer's name and phone stay.
        Map<String, Object> bare = order(6200000000071L, "#6071", "2025-07-02T10:00:00Z", "10.00", null, List.of());
        bare.put("email", "gus.kept@example.com");
        assertThat(deliver("orders/create", "kept-bare", bare)).isEqualTo("Applied");
        assertThat(rows(metrics("'gus.kept@example.com'"))).containsExactly("gus.kept@example.com|Gus Kept|+4790000071|1|10.00|0.00");
        // A billing address with a name and a phone: those given update.
        Map<String, Object> given = order(6200000000072L, "#6072", "2025-07-03T10:00:00Z", "20.00", null, List.of());
        given.put("email", "gus.kept@example.com");
        given.put("billing_address", node("first_name", "Gustav", "last_name", "Kemp", "phone", "+4790000072"));
        assertThat(deliver("orders/create", "kept-given", given)).isEqualTo("Applied");
        assertThat(rows(metrics("'gus.kept@example.com'"))).containsExactly("gus.kept@example.com|Gustav Kemp|+4790000072|2|30.00|0.00");
    }

    @Test
    void consentIsReadFromEveryShapeOfTheWebhooksAndTheSmsColumnOfTheExport() throws Exception {
        Map<String, Object> created = customer(8100000000011L, "sol.consent@example.com", "Sol", "Berg", "+4790000011", "2025-07-01T09:00:00Z");
        created.put("email_marketing_consent", node("state", "subscribed", "opt_in_level", "single_opt_in", "consent_updated_at",
                "2025-07-01T09:00:00Z"));
        created.put("sms_marketing_consent", node("state", "subscribed", "opt_in_level", "single_opt_in", "consent_updated_at",
                "2025-07-01T09:00:00Z", "consent_collected_from", "SHOPIFY"));
        assertThat(deliver("customers/create", "consent-1", created)).isEqualTo("Applied");
        String consent = "SELECT concat_ws('|', accepts_marketing, accepts_sms_marketing) FROM customers WHERE email = 'sol.consent@example.com'";
        assertThat(rows(consent)).containsExactly("true|true");

        // The older shape: accepts_marketing alone, the SMS consent left as stored.
        Map<String, Object> older = customer(8100000000011L, "sol.consent@example.com", "Sol", "Berg", "+4790000011", "2025-07-02T09:00:00Z");
        older.put("accepts_marketing", false);
        assertThat(deliver("customers/update", "consent-2", older)).isEqualTo("Applied");
        assertThat(rows(consent)).containsExactly("false|true");

        // The 2026-07 shape has no consent: both stay.
        assertThat(deliver("customers/update", "consent-3", customer(8100000000011L, "sol.consent@example.com", "Sol", "Berg", "+4790000011",
                "2025-07-03T09:00:00Z"))).isEqualTo("Applied");
        assertThat(rows(consent)).containsExactly("false|true");

        // Pending (a double opt-in not confirmed yet) is no consent; a customer without phone has no SMS consent object.
        Map<String, Object> pending = customer(8100000000011L, "sol.consent@example.com", "Sol", "Berg", null, "2025-07-04T09:00:00Z");
        pending.put("email_marketing_consent", node("state", "pending", "opt_in_level", "confirmed_opt_in", "consent_updated_at", null));
        pending.put("sms_marketing_consent", null);
        assertThat(deliver("customers/update", "consent-4", pending)).isEqualTo("Applied");
        assertThat(rows(consent)).containsExactly("false|false");

        assertThat(STORE.importCsv("shopify:customers-csv", ShopifyStoreData.CUSTOMERS_HEADER
                + "'8100000000012,Sms,Yes,sms.yes@example.com,no,,,,,,,,,'+4790000012,yes,0.00,0,,no,\n"
                + "'8100000000013,Sms,No,sms.no@example.com,yes,,,,,,,,,'+4790000013,no,0.00,0,,no,\n"))
                .containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(rows("SELECT concat_ws('|', email, accepts_marketing, accepts_sms_marketing) FROM customers "
                + "WHERE email IN ('sms.yes@example.com', 'sms.no@example.com') ORDER BY email"))
                .containsExactly("sms.no@example.com|true|false", "sms.yes@example.com|false|true");
    }

    @Test
    void aCustomerAnOlderExportKeptByItsPhoneIsTheOneAWebhookLaterNamesByIdAndEmail() throws Exception {
        assertThat(STORE.importCsv("shopify:customers-csv", OLDER_CUSTOMERS_HEADER
                + "Eli,Export,,,Storgata 1,,Oslo,,,Norway,NO,'0150,'+4790000021,yes,0.00,0,,Kept by phone,no\n"))
                .containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(deliver("customers/create", "export-key", customer(8100000000021L, "eli.export@example.com", "Eli", "Export", "+4790000021",
                "2025-07-01T09:00:00Z"))).isEqualTo("Applied");
        assertThat(rows("SELECT concat_ws('|', shopify_key, email, phone, shopify_export_key) FROM customers WHERE full_name = 'Eli Export'"))
                .containsExactly(SHOP + "/gid://shopify/Customer/8100000000021|eli.export@example.com|+4790000021|" + SHOP + "/phone:+4790000021");
    }

    @Test
    void aCustomerWithoutAPhoneOfItsOwnKeepsItsDefaultAddressPhoneAsTheExportReadsIt() throws Exception {
        assertThat(STORE.importCsv("shopify:customers-csv", ShopifyStoreData.CUSTOMERS_HEADER
                + "'8100000000061,Ola,Adresse,ola.address@example.com,no,,Storgata 6,,Oslo,,NO,'0160,'+47 22 55 00 61,,no,0.00,0,,no,\n"))
                .containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        String phone = "SELECT coalesce(phone, '-') FROM customers WHERE email = 'ola.address@example.com'";
        assertThat(rows(phone)).containsExactly("+47 22 55 00 61");

        Map<String, Object> updated = customer(8100000000061L, "ola.address@example.com", "Ola", "Adresse", null, "2025-07-02T09:00:00Z");
        updated.put("default_address", node("address1", "Storgata 6", "city", "Oslo", "zip", "0160", "country_code", "NO",
                "phone", "+47 22 55 00 61", "default", true));
        assertThat(deliver("customers/update", "address-1", updated)).isEqualTo("Applied");
        assertThat(rows(phone)).containsExactly("+47 22 55 00 61");

        // The default address changed: its phone with it.
        Map<String, Object> moved = new LinkedHashMap<>(updated);
        moved.put("updated_at", "2025-07-03T09:00:00Z");
        moved.put("default_address", node("address1", "Kirkegata 1", "city", "Bergen", "zip", "5003", "country_code", "NO",
                "phone", "+47 55 55 00 61", "default", true));
        assertThat(deliver("customers/update", "address-2", moved)).isEqualTo("Applied");
        assertThat(rows(phone)).containsExactly("+47 55 55 00 61");
    }

    @Test
    void anEditedOrderKeepsTheLinesItHoldsAfterTheEdit() throws Exception {
        Map<String, Object> placed = order(6200000000101L, "#6101", "2025-07-05T10:00:00Z", "32.00", null, List.of(
                webhookLine("EDIT-A", 2, 2, "10.00"), webhookLine("EDIT-B", 1, 1, "5.00"), webhookLine("EDIT-C", 1, 1, "7.00")));
        assertThat(deliver("orders/create", "edit-1", placed)).isEqualTo("Applied");
        String items = "SELECT concat_ws('|', i.shopify_key, i.quantity, printf('%.2f', i.unit_price)) FROM order_items i JOIN orders o "
                + "ON o.id = i.order_id WHERE o.order_number = 'tundra-tees #6101' ORDER BY 1";
        assertThat(rows(items)).containsExactly(SHOP + "/#6101/EDIT-A|2|10.00", SHOP + "/#6101/EDIT-B|1|5.00", SHOP + "/#6101/EDIT-C|1|7.00");

        // An order edit: one more of A; B removed (Shopify keeps it listed, its current quantity 0); C no longer listed.
        Map<String, Object> edited = order(6200000000101L, "#6101", "2025-07-05T12:00:00Z", "30.00", null, List.of(
                webhookLine("EDIT-A", 3, 3, "10.00"), webhookLine("EDIT-B", 1, 0, "5.00")));
        assertThat(deliver("orders/updated", "edit-2", edited)).isEqualTo("Applied");
        assertThat(rows(items)).containsExactly(SHOP + "/#6101/EDIT-A|3|10.00");
    }

    @Test
    void aCancelledOrderInAPresentmentCurrencyLeavesTheMetricsInShopMoney() throws Exception {
        Map<String, Object> buyer = customer(8100000000031L, "vera.cancel@example.com", "Vera", "Holm", null, "2025-07-01T09:00:00Z");
        assertThat(deliver("customers/create", "cancel-customer", buyer)).isEqualTo("Applied");
        Map<String, Object> placed = order(6200000000201L, "#6201", "2025-07-06T10:00:00Z", "80.00", buyer, List.of(webhookLine("CAN-1", 1, 1, "80.00")));
        placed.put("presentment_currency", "EUR");
        placed.put("total_price_set", node("shop_money", node("amount", "80.00", "currency_code", "USD"),
                "presentment_money", node("amount", "73.60", "currency_code", "EUR")));
        assertThat(deliver("orders/create", "cancel-1", placed)).isEqualTo("Applied");
        String order = "SELECT concat_ws('|', o.status, o.currency, printf('%.2f', o.total_amount)) FROM orders o WHERE o.order_number = 'tundra-tees #6201'";
        assertThat(rows(order)).containsExactly("Pending|USD|80.00");
        assertThat(rows(metrics("'vera.cancel@example.com'"))).containsExactly("vera.cancel@example.com|Vera Holm|-|1|80.00|0.00");

        Map<String, Object> cancelled = new LinkedHashMap<>(placed);
        cancelled.put("updated_at", "2025-07-06T11:00:00Z");
        cancelled.put("cancelled_at", "2025-07-06T11:00:00Z");
        cancelled.put("cancel_reason", "customer");
        cancelled.put("financial_status", "voided");
        assertThat(deliver("orders/cancelled", "cancel-2", cancelled)).isEqualTo("Applied");
        assertThat(rows(order)).containsExactly("Cancelled|USD|80.00");
        assertThat(rows(metrics("'vera.cancel@example.com'"))).containsExactly("vera.cancel@example.com|Vera Holm|-|0|0.00|0.00");
    }

    @Test
    void deletingACustomerTheCrmHoldsOrdersOfKeepsIt() throws Exception {
        Map<String, Object> buyer = customer(8100000000041L, "kai.keep@example.com", "Kai", "Keep", null, "2025-07-01T09:00:00Z");
        assertThat(deliver("customers/create", "delete-customer-1", buyer)).isEqualTo("Applied");
        assertThat(deliver("orders/create", "delete-order", order(6200000000301L, "#6301", "2025-07-07T10:00:00Z", "15.00", buyer, List.of())))
                .isEqualTo("Applied");
        assertThat(deliver("customers/create", "delete-customer-2", customer(8100000000042L, "dee.gone@example.com", "Dee", "Gone", null,
                "2025-07-01T09:00:00Z"))).isEqualTo("Applied");

        assertThat(deliver("customers/delete", "delete-1", node("id", 8100000000041L, "admin_graphql_api_id", "gid://shopify/Customer/8100000000041")))
                .isEqualTo("Applied|Customer 8100000000041 kept: the CRM holds orders of it (of another store, or imported)");
        assertThat(deliver("customers/delete", "delete-2", node("id", 8100000000042L, "admin_graphql_api_id", "gid://shopify/Customer/8100000000042")))
                .isEqualTo("Applied|Customer 8100000000042 deleted");
        assertThat(rows(metrics("'kai.keep@example.com', 'dee.gone@example.com'"))).containsExactly("kai.keep@example.com|Kai Keep|-|1|15.00|0.00");
    }

    @Test
    void theBulkAndThePagedSyncLinkGuestsReadConsentAdoptExportRowsAndKeepEditedLines() throws Exception {
        assertThat(STORE.importCsv("shopify:customers-csv", OLDER_CUSTOMERS_HEADER
                + "Sync,Phone,,,Storgata 2,,Oslo,,,Norway,NO,'0151,'+4790000051,no,0.00,0,,,no\n"
                + "Page,Phone,,,Storgata 3,,Oslo,,,Norway,NO,'0152,'+4790000052,no,0.00,0,,,no\n"))
                .containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        SHOPIFY.put("customers", node("id", "gid://shopify/Customer/8100000000051", "firstName", "Sync", "lastName", "Phone",
                "defaultEmailAddress", node("emailAddress", "sync.phone@example.com", "marketingState", "SUBSCRIBED"),
                "defaultPhoneNumber", node("phoneNumber", "+4790000051", "marketingState", "NOT_SUBSCRIBED"),
                "updatedAt", "2025-03-01T10:00:00Z", "note", null, "tags", List.of()));
        SHOPIFY.put("orders", adminOrder("6300000000001", "#7001", "2025-03-02T10:00:00Z", "50.00", null, "bulk.guest@example.com",
                node("firstName", "Bea", "lastName", "Bulk", "phone", "+4790000061"),
                List.of(adminLine(71, "SYNC-A", 2, 2, "10.00"), adminLine(72, "SYNC-B", 1, 1, "20.00"), adminLine(73, "SYNC-C", 1, 0, "10.00")),
                List.of(refund(9950, "2025-03-03T10:00:00Z", null, "10.00"))));
        SHOPIFY.put("orders", adminOrder("6300000000002", "#7002", "2025-03-02T11:00:00Z", "30.00", "gid://shopify/Customer/8100000000051", null,
                null, List.of(), List.of()));
        // A guest order of Sync Phone's email without a name or phone: the customer keeps those it has.
        SHOPIFY.put("orders", adminOrder("6300000000004", "#7004", "2025-03-02T12:00:00Z", "0.00", null, "sync.phone@example.com",
                node("firstName", null, "lastName", null, "phone", null), List.of(), List.of()));
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(SHOPIFY.bulkQueries).containsExactly("customers", "products", "orders");
        String customers = "SELECT concat_ws('|', coalesce(shopify_key, '-'), coalesce(email, '-'), full_name, accepts_marketing, "
                + "accepts_sms_marketing, coalesce(total_orders, 0), printf('%.2f', coalesce(counted_order_total, 0)), "
                + "printf('%.2f', coalesce(refunded_amount, 0))) FROM customers WHERE full_name IN ('Bea Bulk', 'Sync Phone', 'Page Phone') ORDER BY 1";
        String synced = SHOP + "/gid://shopify/Customer/8100000000051|sync.phone@example.com|Sync Phone|true|false";
        assertThat(rows(customers)).containsExactly("-|-|Page Phone|false|false|0|0.00|0.00", "-|bulk.guest@example.com|Bea Bulk|false|false|1|50.00|10.00",
                synced + "|2|30.00|0.00");
        String phones = "SELECT concat_ws('|', email, phone) FROM customers WHERE email IN ('sync.phone@example.com', 'bulk.guest@example.com') ORDER BY 1";
        assertThat(rows(phones)).containsExactly("bulk.guest@example.com|+4790000061", "sync.phone@example.com|+4790000051");
        String items = "SELECT concat_ws('|', i.shopify_key, i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id "
                + "WHERE o.order_number = 'tundra-tees #7001' ORDER BY 1";
        // SYNC-C was removed by an edit before the export: no item.
        assertThat(rows(items)).containsExactly(SHOP + "/#7001/SYNC-A|2", SHOP + "/#7001/SYNC-B|1");

        // A later run pages: the second export row's customer arrives with its id and email (consent in the older objects),
        // a guest order names the synced customer's email, and #7001 is edited (SYNC-B no longer listed, one SYNC-A less).
        Map<String, Object> page = node("id", "gid://shopify/Customer/8100000000052", "firstName", "Page", "lastName", "Phone",
                "defaultEmailAddress", node("emailAddress", "page.phone@example.com"), "defaultPhoneNumber", node("phoneNumber", "+4790000052"),
                "emailMarketingConsent", node("marketingState", "SUBSCRIBED"), "smsMarketingConsent", node("marketingState", "SUBSCRIBED"),
                "updatedAt", "2025-05-01T10:00:00Z", "note", null, "tags", List.of());
        SHOPIFY.put("customers", page);
        SHOPIFY.put("orders", adminOrder("6300000000003", "#7003", "2025-05-01T11:00:00Z", "20.00", null, "sync.phone@example.com",
                node("firstName", "Sync", "lastName", "Phone", "phone", null), List.of(), List.of()));
        SHOPIFY.put("orders", adminOrder("6300000000001", "#7001", "2025-05-02T10:00:00Z", "50.00", null, "bulk.guest@example.com",
                node("firstName", "Bea", "lastName", "Bulk", "phone", "+4790000061"),
                List.of(adminLine(71, "SYNC-A", 2, 1, "10.00"), adminLine(73, "SYNC-C", 1, 0, "10.00")),
                List.of(refund(9950, "2025-03-03T10:00:00Z", null, "10.00"))));
        assertThat(STORE.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED").containsEntry("errorCount", 0);
        assertThat(SHOPIFY.bulkQueries).hasSize(3);
        assertThat(rows(customers)).containsExactly("-|bulk.guest@example.com|Bea Bulk|false|false|1|50.00|10.00",
                SHOP + "/gid://shopify/Customer/8100000000051|sync.phone@example.com|Sync Phone|true|false|3|50.00|0.00",
                SHOP + "/gid://shopify/Customer/8100000000052|page.phone@example.com|Page Phone|true|true|0|0.00|0.00");
        assertThat(rows(items)).containsExactly(SHOP + "/#7001/SYNC-A|1");
        // #7003, a guest order of Sync Phone's email without a phone, left the phone the export gave.
        assertThat(rows(phones)).containsExactly("bulk.guest@example.com|+4790000061", "sync.phone@example.com|+4790000051");
    }

    /** Each customer of {@code emails}: email, name, phone, counted orders, their total and the refunded amount. */
    private static String metrics(String emails) {
        return "SELECT concat_ws('|', email, full_name, coalesce(phone, '-'), coalesce(total_orders, 0), printf('%.2f', coalesce(counted_order_total, 0)), "
                + "printf('%.2f', coalesce(refunded_amount, 0))) FROM customers WHERE email IN (" + emails + ") ORDER BY email";
    }

    /** A customer webhook payload of the 2026-07 shape (no tags, no consent). */
    private static Map<String, Object> customer(long id, String email, String first, String last, String phone, String updatedAt) {
        return node("id", id, "admin_graphql_api_id", "gid://shopify/Customer/" + id, "email", email, "first_name", first, "last_name", last,
                "phone", phone, "note", null, "created_at", "2025-07-01T09:00:00Z", "updated_at", updatedAt);
    }

    /** An order webhook payload in USD, paid, unfulfilled, without email; {@code customer} null for a guest's. */
    private static Map<String, Object> order(long id, String name, String updatedAt, String total, Map<String, Object> customer,
                                             List<Map<String, Object>> lines) {
        return node("id", id, "admin_graphql_api_id", "gid://shopify/Order/" + id, "name", name, "email", null, "contact_email", null,
                "phone", null, "customer", customer, "currency", "USD", "presentment_currency", "USD", "created_at", "2025-07-01T10:00:00Z",
                "updated_at", updatedAt, "cancelled_at", null, "financial_status", "paid", "fulfillment_status", null, "total_price", total,
                "billing_address", null, "line_items", lines);
    }

    /** A webhook's line item: its ordered quantity and, after edits and refunds, its current one. */
    private static Map<String, Object> webhookLine(String sku, int quantity, int current, String price) {
        return node("sku", sku, "name", "Line " + sku, "quantity", quantity, "current_quantity", current, "price", price);
    }

    /** An Admin API order node in USD, paid and unfulfilled; {@code customer} null for a guest's, then its {@code email} and billing address. */
    private static Map<String, Object> adminOrder(String id, String name, String updatedAt, String total, String customer, String email,
                                                  Map<String, Object> billing, List<Map<String, Object>> lines, List<Map<String, Object>> refunds) {
        return node("id", "gid://shopify/Order/" + id, "name", name, "email", email, "phone", null, "createdAt", "2025-03-02T09:00:00Z",
                "updatedAt", updatedAt, "cancelledAt", null, "displayFinancialStatus", "PAID", "displayFulfillmentStatus", "UNFULFILLED",
                "currencyCode", "USD", "totalPriceSet", money(total), "customer", customer == null ? null : node("id", customer),
                "billingAddress", billing, "lineItems", node("nodes", lines), "refunds", refunds);
    }

    private static Map<String, Object> adminLine(long id, String sku, int quantity, int current, String price) {
        return node("id", "gid://shopify/LineItem/" + id, "sku", sku, "name", "Line " + sku, "quantity", quantity, "currentQuantity", current,
                "originalUnitPriceSet", money(price), "product", null);
    }

    private static String deliver(String topic, String webhookId, Map<String, Object> json) throws Exception {
        return STORE.deliver(SECRET, topic, webhookId, json);
    }

    private static List<String> rows(String select) throws Exception {
        return STORE.rows(select);
    }
}
