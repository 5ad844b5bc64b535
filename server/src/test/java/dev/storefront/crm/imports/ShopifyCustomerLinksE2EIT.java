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

/**
 * One person who buys in two stores, as real stores give it: the same email, a customer GID of each store's own. The
 * CRM holds one customer with a link per store, so one store's {@code customers/redact}, {@code customers/delete} and
 * {@code shop/redact} find exactly that store's person, whichever store wrote it last, and erase or delete it only when
 * no other store still holds it. Real plugin jar and server (a child process on a database of this class's own), three
 * stores side by side; payloads as Shopify documents them (the privacy topics carry {@code shop_domain} and the
 * customer's {@code id}, {@code email} and {@code phone}). Each test owns its people.
 */
class ShopifyCustomerLinksE2EIT {

    private static final String A = "linden-lane.myshopify.com";
    private static final String B = "fjord-goods.myshopify.com";
    /** A third store, the one uninstalled (shop/redact): the others' people stay as they are. */
    private static final String C = "cedar-court.myshopify.com";
    private static final String SECRET = "linden_lane_client_secret";
    private static final FakeShopify SHOPIFY_A = new FakeShopify(false);
    private static final FakeShopify SHOPIFY_B = new FakeShopify(false);
    private static final ShopifyStoreData STORE_A = store(SHOPIFY_A, A);
    private static final ShopifyStoreData STORE_B = store(SHOPIFY_B, B);
    private static final ShopifyStoreData STORE_C = store(SHOPIFY_A, C);
    private static CrmProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ShopifyStoreData.startServer("shopify-customer-links", A, SECRET, SHOPIFY_A,
                "--crm.plugins.shopify.stores[0].shop=" + A, "--crm.plugins.shopify.stores[0].access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.stores[0].url=" + SHOPIFY_A.url(),
                "--crm.plugins.shopify.stores[1].shop=" + B, "--crm.plugins.shopify.stores[1].access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.stores[1].url=" + SHOPIFY_B.url(),
                // Store C reads the same (empty) Admin API as store A when the sync runs.
                "--crm.plugins.shopify.stores[2].shop=" + C, "--crm.plugins.shopify.stores[2].access-token=" + FakeShopify.TOKEN,
                "--crm.plugins.shopify.stores[2].url=" + SHOPIFY_A.url(),
                "--crm.plugins.shopify.bulk-poll-ms=50");
        // A customer as the version before the links stored it (keyed on the customer alone), before any delivery is applied.
        server.graphQl("mutation { createCustomer(input: { fullName: \"Ivo Alt\", firstName: \"Ivo\", lastName: \"Alt\", email: \"ivo.before@example.com\","
                + " shopifyKey: \"" + A + "/gid://shopify/Customer/7100000000009\", shopifyShop: \"" + A + "\" }) { id } }", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        SHOPIFY_A.close();
        SHOPIFY_B.close();
    }

    @Test
    void aRedactFromTheStoreThatDidNotWriteLastFindsItsPersonAndKeepsWhatTheOtherStoreHolds() throws Exception {
        inBothStores(7100000000001L, 9200000000001L, "mira.both@example.com", "Mira", "Novák", "+420555010201", "2025-09-01T09:00:00Z",
                "2025-09-02T09:00:00Z");
        assertThat(person("mira.both@example.com")).containsExactly("Mira Novák|" + B + "/gid://shopify/Customer/9200000000001|"
                + B + "/gid://shopify/Customer/9200000000001," + A + "/gid://shopify/Customer/7100000000001");

        // Store A's redact names A's GID: its link goes, the person stays (store B holds it), A's deliveries are erased.
        redactFromAKeepsTheBPerson(7100000000001L, 9200000000001L, "mira.both@example.com", "Mira Novák", 2);
        assertThat(STORE_A.rows("SELECT concat_ws('|', webhook_id, body IS NULL) FROM shopify_webhooks WHERE webhook_id LIKE 'mira-%' ORDER BY 1"))
                .containsExactly("mira-a-redact|true", "mira-a|true", "mira-b|false");

        // Store B's redact then erases the person: no store holds it any more.
        assertThat(STORE_B.deliver(SECRET, "customers/redact", "mira-b-redact", redact(B, 9200000000001L, "mira.both@example.com",
                "+420555010201"))).isEqualTo("Applied|Customer 9200000000001 erased; 2 delivery bodies erased");
        assertThat(STORE_A.rows("SELECT concat_ws('|', coalesce(email, '-'), coalesce(full_name, '-'), coalesce(phone, '-'), "
                + "(SELECT count(*) FROM shopify_customer_links l WHERE l.customer_id = c.id)) FROM customers c WHERE shopify_key = '" + B
                + "/gid://shopify/Customer/9200000000001'")).containsExactly("-|-|-|0");
    }

    @Test
    void aRedactFromTheStoreThatWroteLastKeepsThePersonAndKeysItByTheOtherStore() throws Exception {
        // Store A knows the person from its customers export (csv-shop is the first store), store B by a webhook before it.
        assertThat(STORE_B.deliver(SECRET, "customers/create", "oda-b", customer(9200000000002L, "oda.twice@example.com", "Oda", "Berg", null,
                "2025-09-03T09:00:00Z"))).isEqualTo("Applied");
        assertThat(STORE_A.importCsv("shopify:customers-csv", ShopifyStoreData.CUSTOMERS_HEADER
                + "'7100000000002,Oda,Berg,oda.twice@example.com,no,,,,,,,,,,no,0.00,0,,no,\n")).containsEntry("state", "SUCCEEDED");
        assertThat(person("oda.twice@example.com")).containsExactly("Oda Berg|" + A + "/gid://shopify/Customer/7100000000002|"
                + B + "/gid://shopify/Customer/9200000000002," + A + "/gid://shopify/Customer/7100000000002");

        redactFromAKeepsTheBPerson(7100000000002L, 9200000000002L, "oda.twice@example.com", "Oda Berg", 1);
    }

    @Test
    void aCustomersDeleteFromOneStoreOnlyUnlinksWhileTheOtherStoreHoldsThePerson() throws Exception {
        inBothStores(7100000000003L, 9200000000003L, "pia.dual@example.com", "Pia", "Lund", null, "2025-09-04T09:00:00Z", "2025-09-04T10:00:00Z");
        assertThat(STORE_A.deliver(SECRET, "customers/delete", "pia-a-delete", deleted(7100000000003L)))
                .isEqualTo("Applied|Customer 7100000000003 unlinked from " + A + " and kept: also a customer of " + B);
        assertThat(person("pia.dual@example.com")).containsExactly("Pia Lund|" + B + "/gid://shopify/Customer/9200000000003|"
                + B + "/gid://shopify/Customer/9200000000003");
        assertThat(STORE_B.deliver(SECRET, "customers/delete", "pia-b-delete", deleted(9200000000003L)))
                .isEqualTo("Applied|Customer 9200000000003 deleted");
        assertThat(STORE_A.rows("SELECT count(*) FROM customers WHERE email = 'pia.dual@example.com'")).containsExactly("0");
        assertThat(STORE_A.rows("SELECT count(*) FROM shopify_customer_links WHERE shopify_key LIKE '%/gid://shopify/Customer/%00000000003'"))
                .containsExactly("0");
    }

    @Test
    void anOrderNamingItsBuyerByTheStoresOwnGidFindsThePersonAnotherStoreKeyedLast() throws Exception {
        inBothStores(7100000000004L, 9200000000004L, "rut.order@example.com", "Rut", "Ek", null, "2025-09-05T09:00:00Z", "2025-09-05T10:00:00Z");
        // An app without access to protected customer fields gets the order's customer without its email: only A's GID names it.
        Map<String, Object> buyer = node("id", 7100000000004L, "admin_graphql_api_id", "gid://shopify/Customer/7100000000004", "email", null,
                "first_name", "Rut", "last_name", "Ek", "phone", null, "updated_at", "2025-09-05T09:00:00Z");
        Map<String, Object> order = node("id", 6500000000004L, "admin_graphql_api_id", "gid://shopify/Order/6500000000004", "name", "#4001",
                "email", null, "contact_email", null, "phone", null, "customer", buyer, "currency", "EUR", "created_at", "2025-09-06T10:00:00Z",
                "updated_at", "2025-09-06T10:00:00Z", "cancelled_at", null, "financial_status", "paid", "fulfillment_status", null,
                "total_price", "64.00", "billing_address", null,
                "line_items", List.of(node("id", 1700000000041L, "sku", "CUP-2", "name", "Cup", "quantity", 2, "current_quantity", 2, "price", "32.00")));
        assertThat(STORE_A.deliver(SECRET, "orders/create", "rut-a-order", order)).isEqualTo("Applied");
        assertThat(STORE_A.rows("SELECT concat_ws('|', count(DISTINCT c.id), max(c.email), max(c.total_orders), printf('%.2f', max(c.counted_order_total))) "
                + "FROM customers c WHERE c.full_name = 'Rut Ek'")).containsExactly("1|rut.order@example.com|1|64.00");
        assertThat(STORE_A.rows("SELECT c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.order_number = 'linden-lane #4001'"))
                .containsExactly("rut.order@example.com");
    }

    @Test
    void aFirstSyncLinksTheStoresCustomersSoTheOtherStoresRedactKeepsThem() throws Exception {
        assertThat(STORE_A.deliver(SECRET, "customers/create", "lena-a", customer(7100000000005L, "lena.sync@example.com", "Lena", "Sjö", null,
                "2025-09-07T09:00:00Z"))).isEqualTo("Applied");
        SHOPIFY_B.put("customers", node("id", "gid://shopify/Customer/9200000000005", "firstName", "Lena", "lastName", "Sjö",
                "defaultEmailAddress", node("emailAddress", "lena.sync@example.com", "marketingState", "NOT_SUBSCRIBED"),
                "defaultPhoneNumber", null, "defaultAddress", null, "updatedAt", "2025-09-07T10:00:00Z", "note", null, "tags", List.of()));
        // Each store's first sync reads through bulk operations: store B's customers file links its customers.
        assertThat(STORE_B.runJob("graphql-sync", null)).containsEntry("state", "SUCCEEDED");
        assertThat(person("lena.sync@example.com")).containsExactly("Lena Sjö|" + B + "/gid://shopify/Customer/9200000000005|"
                + B + "/gid://shopify/Customer/9200000000005," + A + "/gid://shopify/Customer/7100000000005");
        redactFromAKeepsTheBPerson(7100000000005L, 9200000000005L, "lena.sync@example.com", "Lena Sjö", 2);
    }

    @Test
    void aShopRedactErasesThePeopleOnlyThatStoreHeldAndKeepsThoseAnotherStoreHolds() throws Exception {
        assertThat(STORE_C.deliver(SECRET, "customers/create", "cedar-only", customer(8800000000001L, "only.cedar@example.com", "Ada", "Cedar",
                "+4560100101", "2025-09-08T09:00:00Z"))).isEqualTo("Applied");
        assertThat(STORE_B.deliver(SECRET, "customers/create", "shared-b", customer(9200000000006L, "shared.cedar@example.com", "Bo", "Fjord",
                null, "2025-09-08T09:00:00Z"))).isEqualTo("Applied");
        assertThat(STORE_C.deliver(SECRET, "customers/create", "shared-c", customer(8800000000002L, "shared.cedar@example.com", "Bo", "Fjord",
                null, "2025-09-08T10:00:00Z"))).isEqualTo("Applied");
        assertThat(STORE_C.deliver(SECRET, "shop/redact", "cedar-redact", node("shop_id", 88001, "shop_domain", C)))
                .isEqualTo("Applied|Shop " + C + " erased: 1 customers (those no other store links), 3 delivery bodies");
        assertThat(STORE_C.rows("SELECT concat_ws('|', coalesce(email, '-'), coalesce(full_name, '-'), coalesce(phone, '-')) FROM customers "
                + "WHERE shopify_key = '" + C + "/gid://shopify/Customer/8800000000001'")).containsExactly("-|-|-");
        assertThat(person("shared.cedar@example.com")).containsExactly("Bo Fjord|" + B + "/gid://shopify/Customer/9200000000006|"
                + B + "/gid://shopify/Customer/9200000000006");
        assertThat(STORE_C.rows("SELECT count(*) FROM shopify_customer_links WHERE shop = '" + C + "'")).containsExactly("0");
    }

    @Test
    void aCustomerStoredBeforeTheLinksExistedIsLinkedAtTheFirstPassAndFoundByItsKey() throws Exception {
        // The redact finds the customer by its link alone: the first pass over deliveries linked it to the store that keyed it.
        assertThat(STORE_A.deliver(SECRET, "customers/redact", "ivo-a-redact", redact(A, 7100000000009L, "ivo.before@example.com", null)))
                .isEqualTo("Applied|Customer 7100000000009 erased; 1 delivery bodies erased");
        assertThat(STORE_A.rows("SELECT concat_ws('|', coalesce(email, '-'), coalesce(full_name, '-')) FROM customers WHERE shopify_key = '" + A
                + "/gid://shopify/Customer/7100000000009'")).containsExactly("-|-");
    }

    /**
     * Store A's {@code customers/redact} of its customer {@code aId} (webhook id {@code <first part of the email>-a-redact}),
     * whom store B holds as {@code bId}: the person stays, keyed and linked by store B alone.
     */
    private static void redactFromAKeepsTheBPerson(long aId, long bId, String email, String name, int bodies) throws Exception {
        assertThat(STORE_A.deliver(SECRET, "customers/redact", email.substring(0, email.indexOf('.')) + "-a-redact", redact(A, aId, email, null)))
                .isEqualTo("Applied|Customer " + aId + " unlinked from " + A + ", personal data kept: also a customer of " + B + "; " + bodies
                        + " delivery bodies erased");
        assertThat(person(email)).containsExactly(name + "|" + B + "/gid://shopify/Customer/" + bId + "|" + B + "/gid://shopify/Customer/" + bId);
    }

    /**
     * The same person created in store A as {@code aId}, then in store B as {@code bId} (webhook ids
     * {@code <first part of the email>-a} and {@code -b}): store B writes it last.
     */
    private static void inBothStores(long aId, long bId, String email, String first, String last, String phone, String aUpdated,
                                     String bUpdated) throws Exception {
        String name = email.substring(0, email.indexOf('.'));
        assertThat(STORE_A.deliver(SECRET, "customers/create", name + "-a", customer(aId, email, first, last, phone, aUpdated))).isEqualTo("Applied");
        assertThat(STORE_B.deliver(SECRET, "customers/create", name + "-b", customer(bId, email, first, last, phone, bUpdated))).isEqualTo("Applied");
    }

    /** The customer with {@code email}: its name, its own key, and its stores' links (their keys, in text order). */
    private static List<String> person(String email) throws Exception {
        return STORE_A.rows("SELECT concat_ws('|', c.full_name, c.shopify_key, (SELECT string_agg(l.shopify_key, ',' ORDER BY l.shopify_key) "
                + "FROM shopify_customer_links l WHERE l.customer_id = c.id)) FROM customers c WHERE c.email = '" + email + "'");
    }

    /** A customer webhook payload of the 2026-07 shape (no tags, no consent). */
    private static Map<String, Object> customer(long id, String email, String first, String last, String phone, String updatedAt) {
        return node("id", id, "admin_graphql_api_id", "gid://shopify/Customer/" + id, "email", email, "first_name", first, "last_name", last,
                "phone", phone, "note", null, "created_at", "2025-09-01T08:00:00Z", "updated_at", updatedAt);
    }

    /** {@code customers/redact} as Shopify sends it: the shop, the customer's id, email and phone, its orders to redact. */
    private static Map<String, Object> redact(String shop, long id, String email, String phone) {
        return node("shop_id", 71001, "shop_domain", shop, "customer", node("id", id, "email", email, "phone", phone), "orders_to_redact", List.of());
    }

    /** {@code customers/delete} as Shopify sends it: the id and little else. */
    private static Map<String, Object> deleted(long id) {
        return node("id", id, "phone", null, "addresses", List.of(), "tax_exemptions", List.of(), "email_marketing_consent", null,
                "admin_graphql_api_id", "gid://shopify/Customer/" + id);
    }

    private static ShopifyStoreData store(FakeShopify shopify, String shop) {
        return new ShopifyStoreData(shopify, shop, "gid://shopify/Order/", () -> ShopifyCustomerLinksE2EIT.server, java.time.ZoneOffset.UTC);
    }
}
