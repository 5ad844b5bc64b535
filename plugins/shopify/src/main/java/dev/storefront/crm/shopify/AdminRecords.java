package dev.storefront.crm.shopify;

import static dev.storefront.crm.shopify.ShopifyWrites.map;
import static dev.storefront.crm.shopify.ShopifyWrites.text;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.api.sync.EntryRef;
import dev.storefront.crm.api.sync.GuestCustomer;
import dev.storefront.crm.api.sync.JsonLines;
import dev.storefront.crm.api.sync.SyncRecord;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Admin GraphQL queries of {@link AdminSync}, one per connection, paged or as a bulk operation
 * ({@link BulkExport}), and their nodes as CRM records keyed by {@code <shop>/<GID>}. An order's
 * records are the order, its line items (pointing at their products) and its refunds as returns; a
 * page holds them together, and in a bulk operation's file the line items follow their order as
 * lines of their own ({@code __parentId}).
 */
final class AdminRecords {

    /** Shopify refuses any single query whose requested cost is above this (MAX_COST_EXCEEDED), whatever its bucket holds. */
    static final int MAX_QUERY_COST = 1_000;
    /** The most a connection's {@code first} may ask for. */
    static final int MOST_FIRST = 250;
    /** A page's size when the setting gives none and the query affords it. */
    static final int DEFAULT_PAGE_SIZE = 50;
    /** Line items read with their order on a page: most orders have fewer; an order with more is read on by itself ({@link #restQuery}). */
    static final int LINE_ITEMS = 10;
    /** Refunds read with their order on a page: an order with as many has its refunds read again by themselves ({@link #refundsQuery}). */
    static final int REFUNDS = 5;

    private static final String PAGE = "(first: $first, after: $after, query: $query, sortKey: UPDATED_AT)";
    private static final String LINE = "id sku name quantity currentQuantity originalUnitPriceSet { shopMoney { amount } } product { id }";
    private static final String REFUND = "id createdAt note totalRefundedSet { shopMoney { amount } }";
    private static final String PAGE_INFO = "pageInfo { hasNextPage endCursor }";
    /**
     * A customer's consent states: on its default email address and phone number since 2025-01, before on
     * {@code emailMarketingConsent} / {@code smsMarketingConsent} (still answered, deprecated); the first given is read.
     */
    private static final String EMAIL_CONSENT = "defaultEmailAddress.marketingState | emailMarketingConsent.marketingState";
    private static final String SMS_CONSENT = "defaultPhoneNumber.marketingState | smsMarketingConsent.marketingState";
    private static final Map<String, String> NODES = Map.of(
            "customers", "id firstName lastName defaultEmailAddress { emailAddress marketingState }"
                    + " defaultPhoneNumber { phoneNumber marketingState } emailMarketingConsent { marketingState }"
                    + " smsMarketingConsent { marketingState } defaultAddress { phone } updatedAt note tags",
            "products", "id title status productType updatedAt priceRangeV2 { minVariantPrice { amount } }",
            "orders", "id name email phone createdAt updatedAt cancelledAt displayFinancialStatus displayFulfillmentStatus currencyCode"
                    + " totalPriceSet { shopMoney { amount } } customer { id defaultEmailAddress { emailAddress } }"
                    + " billingAddress { firstName lastName phone }");
    /** An order without a customer account but with an email: a guest ({@link GuestCustomer}), in a bulk file's order line. */
    private static final String GUEST = "unless(customer.id, email)";

    private final String shop;
    /** Where a refund's day begins ({@link ShopifyWrites#refundDay}). */
    private final ZoneId storeZone;

    AdminRecords(String shop, ZoneId storeZone) {
        this.shop = shop;
        this.storeZone = storeZone;
    }

    /**
     * The query of one page of {@code connection} (customers, products or orders) changed since {@code $query}: an
     * order with its first {@link #LINE_ITEMS} lines and {@link #REFUNDS} refunds.
     */
    static String query(String connection) {
        String orders = connection.equals("orders") ? " " + lines(LINE_ITEMS, null) + " " + refunds(REFUNDS) : "";
        return "query Page($first: Int!, $after: String, $query: String) {\n  " + connection + PAGE
                + " {\n    edges { cursor node { " + NODES.get(connection) + orders + " } }\n    " + PAGE_INFO + "\n  }\n}";
    }

    /** The query of the rest of the lines of an order whose page held only its first ones ({@code $id}): the next {@link #REST_LINES} after {@code $after}. */
    static String restQuery() {
        return "query Rest($id: ID!, $after: String) {\n  order(id: $id) { id " + lines(REST_LINES, "$after") + " }\n}";
    }

    /**
     * The query of the refunds of an order whose page held as many as it reads ({@code $id}): up to {@link #MOST_REFUNDS}.
     * Shopify's {@code Order.refunds} is a list cut at {@code first}, not a connection: it cannot be read on from a cursor.
     */
    static String refundsQuery() {
        return "query Refunds($id: ID!) {\n  order(id: $id) { id " + refunds(MOST_REFUNDS) + " }\n}";
    }

    /** The query of a bulk operation reading all of {@code connection}: an order's line items become lines of their own. */
    static String bulkQuery(String connection) {
        String lines = connection.equals("orders") ? " lineItems { edges { node { " + LINE + " } } } refunds { " + REFUND + " }" : "";
        return "{ " + connection + " { edges { node { " + NODES.get(connection) + lines + " } } } }";
    }

    /*
     * Shopify's requested cost, reckoned before a query runs: a scalar costs 0, an object 1 plus its fields, a
     * connection (or a list cut at first) 2 plus first times its node. The selections above hold no connection
     * but the lines and refunds added here, so a node costs 1 plus one per object it selects (each opens a '{').
     * An order on a page: 1 + 5 objects (totalPriceSet, shopMoney, customer, defaultEmailAddress, billingAddress)
     * + lines 2 + 1 (pageInfo) + 10 x (1 + originalUnitPriceSet, shopMoney, product = 4) + refunds 2 + 5 x
     * (1 + totalRefundedSet, shopMoney = 3) = 6 + 43 + 17 = 66; a page 2 + 1 + first x 66 <= 1,000 holds 15 orders.
     * A customer costs 6 and a product 3: their pages hold the default 50. The rest of an order's lines: 1 + 3 +
     * first x 4 <= 1,000 reads 249 lines at a time; its refunds: 1 + 2 + first x 3 <= 1,000, capped at 250 as a connection is.
     */

    /** Lines read at once for the rest of an order: as many as the query affords. */
    static final int REST_LINES = Math.min(MOST_FIRST, (MAX_QUERY_COST - nodeCost("") - connectionCost(0, LINE, true)) / nodeCost(LINE));
    /** Refunds read by the query of an order's refunds: as many as it affords, at most as many as any {@code first} asks. */
    static final int MOST_REFUNDS = Math.min(MOST_FIRST, (MAX_QUERY_COST - nodeCost("") - connectionCost(0, REFUND, false)) / nodeCost(REFUND));
    /** The requested cost of {@link #restQuery}. */
    static final int REST_COST = nodeCost("") + connectionCost(REST_LINES, LINE, true);
    /** The requested cost of {@link #refundsQuery}. */
    static final int REFUNDS_COST = nodeCost("") + connectionCost(MOST_REFUNDS, REFUND, false);

    /**
     * The most nodes of {@code connection} a page may ask for and stay within {@link #MAX_QUERY_COST}, at most
     * {@link #MOST_FIRST}.
     */
    static int mostPerPage(String connection) {
        return Math.min(MOST_FIRST, (MAX_QUERY_COST - pageCost(connection, 0)) / pageNodeCost(connection));
    }

    /** What a page of {@code first} nodes of {@code connection} costs, as Shopify reckons it. */
    static int pageCost(String connection, int first) {
        return connectionCost(0, "", true) + first * pageNodeCost(connection);
    }

    /** One node of {@code connection} on a page, an order with its first lines and refunds. */
    private static int pageNodeCost(String connection) {
        return nodeCost(NODES.get(connection)) + (connection.equals("orders")
                ? connectionCost(LINE_ITEMS, LINE, true) + connectionCost(REFUNDS, REFUND, false) : 0);
    }

    private static int nodeCost(String fields) {
        return 1 + (int) fields.chars().filter(c -> c == '{').count();
    }

    private static int connectionCost(int first, String fields, boolean pageInfo) {
        return 2 + (pageInfo ? nodeCost("") : 0) + first * nodeCost(fields);
    }

    private static String lines(int first, String after) {
        return "lineItems(first: " + first + (after == null ? "" : ", after: " + after) + ") { nodes { " + LINE + " } " + PAGE_INFO + " }";
    }

    private static String refunds(int first) {
        return "refunds(first: " + first + ") { " + REFUND + " }";
    }

    /**
     * How the host writes a bulk operation's file of {@code connection} of {@code shop}, as {@link #of} reads
     * the same nodes from a page: customers, products, or orders then their line items (lines with a
     * {@code __parentId}, keyed by their order's name) then their refunds (items of an order's list).
     */
    static List<JsonLines.Part> bulkParts(String shop, String connection) {
        CsvShop keys = new CsvShop(shop);
        String prefix = "'" + shop + "/'";
        return switch (connection) {
            case "customers" -> {
                Map<String, String> columns = keyedColumns(keys, prefix);
                columns.put("email", "defaultEmailAddress.emailAddress");
                columns.put("first_name", "firstName");
                columns.put("last_name", "lastName");
                columns.put("full_name", "firstName + lastName");
                // As the customers export's Phone: the customer's own, else its default address's.
                columns.put("phone", "defaultPhoneNumber.phoneNumber | defaultAddress.phone");
                columns.put("shopify_export_key", keys.exportKey("phone", "defaultPhoneNumber.phoneNumber"));
                columns.put("accepts_marketing", MarketingConsent.mapping(EMAIL_CONSENT));
                columns.put("accepts_sms_marketing", MarketingConsent.mapping(SMS_CONSENT));
                // No tags is an empty list in the file and stored empty (null), as ShopifyWrites.tags and the CSV import store it.
                columns.put("tags", "nullif(tags, '[]')");
                columns.put("notes", "note");
                // Each customer's link to the store, once the line above keyed the customer by it (CustomerLinks).
                yield List.of(new JsonLines.Part(JsonLines.Rows.ALL, null, new ImportMapping("customers", ShopifyWrites.CUSTOMER_KEYS, columns)),
                        new JsonLines.Part(JsonLines.Rows.ALL, null, CustomerLinks.mapping("concat(" + prefix + ", id)", shop)));
            }
            case "products" -> {
                Map<String, String> columns = keyedColumns(keys, prefix);
                columns.put("name", "title");
                columns.put("category", "productType");
                columns.put("price", "priceRangeV2.minVariantPrice.amount");
                columns.put("status", "status");
                yield everyLine("products", List.of("shopify_key"), columns);
            }
            default -> {
                Map<String, String> order = keyedColumns(keys, prefix);
                order.put("order_number", keys.orderNumber("name"));
                // By key: the store's customers were written just before, each keyed by this store (see README).
                order.put("customer.shopify_key", "concat(" + prefix + ", customer.id)");
                order.put("order_date", "createdAt");
                order.put("total_amount", "totalPriceSet.shopMoney.amount");
                order.put("currency", "currencyCode");
                // As ShopifyWrites.status: cancelled, refunded, fulfilled, else pending.
                order.put("status", "if(cancelledAt, 'Cancelled') | pick(displayFinancialStatus, 'REFUNDED' = 'Refunded')"
                        + " | pick(displayFulfillmentStatus, 'FULFILLED' = 'Fulfilled') | 'Pending'");
                Map<String, String> line = new LinkedHashMap<>();
                line.put("shopify_key", keys.lineKey("^name", "sku | name"));
                keys.putShop(line);
                line.put("order.shopify_key", "concat(" + prefix + ", __parentId)");
                line.put("product.shopify_key", "concat(" + prefix + ", product.id)");
                // As ShopifyWrites.lineItemValues: the quantity after the order's edits; a line removed whole is none.
                line.put("quantity", "currentQuantity | quantity");
                line.put("unit_price", "originalUnitPriceSet.shopMoney.amount");
                Map<String, String> refund = new LinkedHashMap<>();
                refund.put("shopify_key", "concat(" + prefix + ", id)");
                keys.putShop(refund);
                refund.put("order.shopify_key", "concat(" + prefix + ", ^id)");
                refund.put("customer.shopify_key", "concat(" + prefix + ", ^customer.id)");
                // Its day in the store's time zone, as ShopifyWrites.refundDay dates a synced or delivered refund.
                refund.put("return_date", "day(createdAt)");
                refund.put("reason", "note");
                refund.put("resolution", "'Refund'");
                refund.put("status", "'Closed'");
                refund.put("amount", "totalRefundedSet.shopMoney.amount");
                // A guest's order and refunds point at the guest, by email (written before the order).
                Map<String, String> guestOrder = new LinkedHashMap<>();
                guestOrder.put("shopify_key", "concat(" + prefix + ", id)");
                guestOrder.put("customer.email", "email");
                Map<String, String> guestRefund = new LinkedHashMap<>();
                guestRefund.put("shopify_key", "concat(" + prefix + ", id)");
                guestRefund.put("customer.email", "^email");
                yield List.of(new JsonLines.Part(JsonLines.Rows.PARENTS, null, GuestCustomer.mapping("email", "billingAddress.firstName",
                                "billingAddress.lastName", "billingAddress.phone | phone", Map.of(), GUEST)),
                        new JsonLines.Part(JsonLines.Rows.PARENTS, null, new ImportMapping("orders", List.of("shopify_key"), order)),
                        new JsonLines.Part(JsonLines.Rows.PARENTS, null, new ImportMapping("orders", List.of("shopify_key"), guestOrder, GUEST)),
                        // An order's lines in the file are all it has now (OrderLines): stored ones an edit removed are deleted.
                        new JsonLines.Part(JsonLines.Rows.CHILDREN, null, new ImportMapping("order_items", List.of("shopify_key"), line,
                                "nullif(currentQuantity | quantity, '0')"), "order"),
                        new JsonLines.Part(JsonLines.Rows.PARENTS, "refunds", new ImportMapping("returns", List.of("shopify_key"), refund)),
                        new JsonLines.Part(JsonLines.Rows.PARENTS, "refunds", new ImportMapping("returns", List.of("shopify_key"), guestRefund,
                                "unless(^customer.id, ^email)")));
            }
        };
    }

    private static List<JsonLines.Part> everyLine(String object, List<String> keys, Map<String, String> columns) {
        return List.of(new JsonLines.Part(JsonLines.Rows.ALL, null, new ImportMapping(object, keys, columns)));
    }

    /** {@code shopify_key} ({@code <shop>/<GID>}), {@code shopify_shop} and {@code shopify_updated_at} of a node's line. */
    private static Map<String, String> keyedColumns(CsvShop keys, String prefix) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("shopify_key", "concat(" + prefix + ", id)");
        keys.putShop(columns);
        columns.put("shopify_updated_at", "updatedAt");
        return columns;
    }

    List<SyncRecord> of(String connection, Map<String, Object> node) {
        return switch (connection) {
            case "customers" -> List.of(customer(node), CustomerLinks.record(shop + "/" + node.get("id"), shop, ref("customers", node)));
            case "products" -> List.of(product(node));
            default -> order(node);
        };
    }

    /** A customer keyed by shop and GID, then by email (one first known by email gains its key). */
    private SyncRecord customer(Map<String, Object> node) {
        String first = text(node.get("firstName"));
        String last = text(node.get("lastName"));
        Map<String, Object> values = keyed(node);
        values.put("email", text(map(node.get("defaultEmailAddress")).get("emailAddress")));
        values.put("first_name", first);
        values.put("last_name", last);
        values.put("full_name", ShopifyWrites.fullName(first, last));
        String phone = text(map(node.get("defaultPhoneNumber")).get("phoneNumber"));
        values.put("phone", phone != null ? phone : text(map(node.get("defaultAddress")).get("phone")));
        values.put("shopify_export_key", ShopifyWrites.exportKey(shop, phone));
        values.put("accepts_marketing", MarketingConsent.given(consentState(node, "defaultEmailAddress", "emailMarketingConsent")));
        values.put("accepts_sms_marketing", MarketingConsent.given(consentState(node, "defaultPhoneNumber", "smsMarketingConsent")));
        values.put("tags", ShopifyWrites.tags(node.get("tags")));
        values.put("notes", text(node.get("note")));
        return new SyncRecord("customers", ShopifyWrites.CUSTOMER_KEYS, values);
    }

    /** As {@link #EMAIL_CONSENT} reads it: the state on the default address or number, else on the older consent object. */
    private static Object consentState(Map<String, Object> node, String channel, String olderConsent) {
        Object state = map(node.get(channel)).get("marketingState");
        return state != null ? state : map(node.get(olderConsent)).get("marketingState");
    }

    /** A product: its title, type as category, lowest variant price, and status (ACTIVE, DRAFT, ARCHIVED). */
    private SyncRecord product(Map<String, Object> node) {
        Map<String, Object> values = keyed(node);
        values.put("name", text(node.get("title")));
        values.put("category", text(node.get("productType")));
        values.put("price", text(money(map(node.get("priceRangeV2")).get("minVariantPrice"))));
        values.put("status", ShopifyWrites.productStatus(text(node.get("status"))));
        return new SyncRecord("products", List.of("shopify_key"), values);
    }

    private List<SyncRecord> order(Map<String, Object> node) {
        List<SyncRecord> records = new ArrayList<>();
        EntryRef order = ref("orders", node);
        Map<String, Object> customer = map(node.get("customer"));
        GuestCustomer guest = customer.isEmpty() ? guest(node) : null;
        if (guest != null) {
            records.add(guest.record(Map.of()));
        }
        EntryRef buyer = !customer.isEmpty() ? buyer(customer) : guest != null ? guest.ref() : null;
        Map<String, Object> values = keyed(node);
        values.put("order_number", ShopifyWrites.orderNumber(shop, text(node.get("name"))));
        values.put("customer", buyer);
        values.put("order_date", text(node.get("createdAt")));
        values.put("total_amount", text(money(node.get("totalPriceSet"))));
        values.put("currency", text(node.get("currencyCode")));
        values.put("status", ShopifyWrites.status(node.get("cancelledAt"), text(node.get("displayFinancialStatus")),
                text(node.get("displayFulfillmentStatus"))));
        records.add(new SyncRecord("orders", List.of("shopify_key"), values));
        for (Map<String, Object> line : ShopifyWrites.list(map(node.get("lineItems")).get("nodes"))) {
            Object quantity = ShopifyWrites.currentQuantity(line.get("currentQuantity"), line.get("quantity"));
            if (quantity != null) {
                records.add(lineItem(order, text(node.get("name")), line, quantity));
            }
        }
        for (Map<String, Object> refund : ShopifyWrites.list(node.get("refunds"))) {
            Map<String, Object> returned = gid(refund);
            returned.put("order", order);
            returned.put("customer", buyer);
            returned.put("return_date", ShopifyWrites.refundDay(text(refund.get("createdAt")), storeZone));
            returned.put("reason", text(refund.get("note")));
            returned.put("resolution", "Refund");
            returned.put("status", "Closed");
            returned.put("amount", text(money(refund.get("totalRefundedSet"))));
            records.add(new SyncRecord("returns", List.of("shopify_key"), returned));
        }
        return records;
    }

    /** A line item of the order {@code order} named {@code orderName} ({@code #1001}), keyed as {@link ShopifyWrites#lineKey}. */
    private SyncRecord lineItem(EntryRef order, String orderName, Map<String, Object> line, Object quantity) {
        Map<String, Object> product = map(line.get("product"));
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("shopify_key", ShopifyWrites.lineKey(shop, orderName, text(line.get("sku")), text(line.get("name"))));
        item.put("shopify_shop", shop);
        item.put("order", order);
        item.put("product", product.isEmpty() ? null : ref("products", product));
        item.put("quantity", quantity);
        item.put("unit_price", text(money(line.get("originalUnitPriceSet"))));
        return new SyncRecord("order_items", List.of("shopify_key"), item);
    }

    /** The shop money amount of a MoneyBag ({@code shopMoney { amount }}) or of a MoneyV2 ({@code amount}). */
    private static Object money(Object bag) {
        Map<String, Object> value = map(bag);
        return value.containsKey("shopMoney") ? map(value.get("shopMoney")).get("amount") : value.get("amount");
    }

    private Map<String, Object> keyed(Map<String, Object> node) {
        Map<String, Object> values = gid(node);
        values.put("shopify_updated_at", text(node.get("updatedAt")));
        return values;
    }

    private Map<String, Object> gid(Map<String, Object> node) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("shopify_key", shop + "/" + node.get("id"));
        values.put("shopify_shop", shop);
        return values;
    }

    /** The guest of an order node without a customer, as {@link ShopifyWrites#guest} reads a webhook's order. */
    private static GuestCustomer guest(Map<String, Object> node) {
        Map<String, Object> billing = map(node.get("billingAddress"));
        return ShopifyWrites.guest(text(node.get("email")), billing.get("firstName"), billing.get("lastName"), billing.get("phone"), node.get("phone"));
    }

    /**
     * The order's customer by email when it has one: a person who buys in several stores is one
     * customer, whose Shopify key is the one of the store that wrote it last.
     */
    private EntryRef buyer(Map<String, Object> customer) {
        String email = text(map(customer.get("defaultEmailAddress")).get("emailAddress"));
        return email != null ? new EntryRef("customers", "email", email) : ref("customers", customer);
    }

    private EntryRef ref(String object, Map<String, Object> node) {
        return new EntryRef(object, "shopify_key", shop + "/" + node.get("id"));
    }
}
