package dev.storefront.crm.shopify;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import dev.storefront.crm.api.sync.GuestCustomer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Shopify resources (webhook payloads, parsed JSON) as CRM field values, each keyed by
 * {@code <shop>/<GID>} ({@link WebhookBatch} writes them), and the deletes and erasures of the
 * privacy topics, done inside the caller's transaction.
 */
final class ShopifyWrites {

    /** A customer's personal data, erased by the redact topics (the export key is made of the phone or the name and address). */
    private static final List<String> PERSONAL = List.of("email", "phone", "first_name", "last_name", "full_name", "notes", "tags",
            "shopify_export_key");

    /**
     * How a customer record finds its entry: by shop and GID, else by email (one first known by email gains its key),
     * else by its phone's export key (one an older admin export wrote without id or email).
     */
    static final List<String> CUSTOMER_KEYS = List.of("shopify_key", "email", "shopify_export_key");

    /** What applying a payload did (DELETED: nothing, its customer was deleted in Shopify before). */
    enum Outcome { APPLIED, OLDER, WAITING, DELETED }

    private final CrmContext crm;
    private final String shop;

    ShopifyWrites(CrmContext crm, String shop) {
        this.crm = crm;
        this.shop = shop;
    }

    /**
     * A customer's fields from a payload (a customer's, or the one an order carries), found by {@link #CUSTOMER_KEYS}.
     * The 2026-07 shape has no tags and no consent: the stored ones stay.
     */
    Map<String, Object> customerValues(Map<String, Object> json) {
        Map<String, Object> values = keyed(json, "Customer");
        values.put("email", text(json.get("email")));
        values.put("first_name", text(json.get("first_name")));
        values.put("last_name", text(json.get("last_name")));
        values.put("full_name", fullName(text(json.get("first_name")), text(json.get("last_name"))));
        String phone = text(json.get("phone"));
        // As the customers export's Phone: the customer's own, else its default address's.
        values.put("phone", phone != null ? phone : text(map(json.get("default_address")).get("phone")));
        values.put("shopify_export_key", exportKey(shop, phone));
        values.put("notes", text(json.get("note")));
        // The original shape joins them with ", ".
        if (json.containsKey("tags")) {
            values.put("tags", tags(json.get("tags")));
        }
        // The original shape's consent objects (null for a customer without email or phone: no consent), before them accepts_marketing.
        if (json.containsKey("email_marketing_consent")) {
            values.put("accepts_marketing", MarketingConsent.given(map(json.get("email_marketing_consent")).get("state")));
        } else if (json.containsKey("accepts_marketing")) {
            values.put("accepts_marketing", MarketingConsent.given(json.get("accepts_marketing")));
        }
        if (json.containsKey("sms_marketing_consent")) {
            values.put("accepts_sms_marketing", MarketingConsent.given(map(json.get("sms_marketing_consent")).get("state")));
        }
        return values;
    }

    /**
     * The guest of an order without a customer account: its email ({@code email}, else {@code contact_email}, else
     * the billing address's), billing name and phone (the order's phone without one); null without an email.
     */
    static GuestCustomer guest(Map<String, Object> order) {
        Map<String, Object> billing = map(order.get("billing_address"));
        String email = Stream.of(order.get("email"), order.get("contact_email"), billing.get("email")).map(ShopifyWrites::text)
                .filter(Objects::nonNull).findFirst().orElse(null);
        return guest(email, billing.get("first_name"), billing.get("last_name"), billing.get("phone"), order.get("phone"));
    }

    /** A guest from an order's values, whatever the shape names them (a webhook's, the Admin API's); null without an email. */
    static GuestCustomer guest(String email, Object firstName, Object lastName, Object billingPhone, Object orderPhone) {
        String phone = text(billingPhone) != null ? text(billingPhone) : text(orderPhone);
        return email == null ? null : new GuestCustomer(email, text(firstName), text(lastName), phone);
    }

    /** An order's own fields from a payload; its customer is the caller's to set. */
    Map<String, Object> orderValues(Map<String, Object> json) {
        Map<String, Object> values = keyed(json, "Order");
        values.put("order_number", orderNumber(shop, text(json.get("name"))));
        values.put("order_date", text(json.get("created_at")));
        values.put("total_amount", text(json.get("total_price")));
        values.put("currency", text(json.get("currency")));
        values.put("status", status(json.get("cancelled_at"), text(json.get("financial_status")), text(json.get("fulfillment_status"))));
        return values;
    }

    /**
     * The order items of the order {@code json}: its lines as the order stands after its edits (a line's
     * {@code current_quantity}, its quantity less what an edit or a refund removed; a line removed whole is none).
     * Their order is the caller's to set.
     */
    List<Map<String, Object>> lineItemValues(Map<String, Object> json) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> line : list(json.get("line_items"))) {
            Object quantity = currentQuantity(line.get("current_quantity"), line.get("quantity"));
            if (quantity == null) {
                continue;
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("shopify_key", lineKey(shop, text(json.get("name")), text(line.get("sku")), text(line.get("name"))));
            item.put("shopify_shop", shop);
            item.put("quantity", quantity);
            item.put("unit_price", text(line.get("price")));
            items.add(item);
        }
        return items;
    }

    /**
     * A line's quantity as the order stands after its edits: its current quantity (webhook {@code current_quantity},
     * GraphQL {@code currentQuantity}), else its quantity as placed; null for a line removed whole (0).
     */
    static Object currentQuantity(Object current, Object placed) {
        Object quantity = current != null ? current : placed;
        return quantity instanceof Number n && n.longValue() == 0 ? null : quantity;
    }

    /** A product: its title, type as category, lowest variant price, and status (active, draft, archived). */
    Map<String, Object> productValues(Map<String, Object> json) {
        Map<String, Object> values = keyed(json, "Product");
        values.put("name", text(json.get("title")));
        values.put("category", text(json.get("product_type")));
        values.put("price", list(json.get("variants")).stream().map(v -> text(v.get("price"))).filter(Objects::nonNull)
                .map(BigDecimal::new).min(Comparator.naturalOrder()).orElse(null));
        values.put("status", productStatus(text(json.get("status"))));
        return values;
    }

    /**
     * A refund's date: its day in the store's time zone ({@code crm.timezone}), however its time is
     * written (the sync's in UTC, a webhook's with the shop's offset), as the customers' metrics date
     * orders; the bulk export's mapping says the same with {@code day(createdAt)}.
     */
    static LocalDate refundDay(String createdAt, ZoneId storeZone) {
        return OffsetDateTime.parse(createdAt).atZoneSameInstant(storeZone).toLocalDate();
    }

    /**
     * A refund as a return resolved by Refund: the amount refunded is the sum of its successful
     * refund transactions, the date its day in {@code storeZone}. Its order and customer are the caller's to set.
     */
    Map<String, Object> refundValues(Map<String, Object> json, ZoneId storeZone) {
        BigDecimal amount = list(json.get("transactions")).stream()
                .filter(t -> "refund".equals(t.get("kind")) && "success".equals(t.get("status")))
                .map(t -> new BigDecimal(text(t.get("amount")))).reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("shopify_key", shop + "/" + gid(json, "Refund"));
        values.put("shopify_shop", shop);
        values.put("return_date", refundDay(text(json.get("created_at")), storeZone));
        values.put("reason", text(json.get("note")));
        values.put("resolution", "Refund");
        values.put("status", "Closed");
        values.put("amount", amount);
        return values;
    }

    /**
     * {@code customers/delete}: this store's link to the customer is removed, and the customer's entry deleted unless
     * another store still links it or the CRM holds orders of it. Shopify deletes only customers without orders, so
     * those orders came another way (another store's, by the same email, or an import): the customer and its metrics
     * stay. Returns what was done, for the delivery's note.
     */
    String deleteCustomer(Map<String, Object> json) {
        String key = key(json, "Customer");
        Long id = CustomerLinks.customers(crm, List.of(key)).get(key);
        if (id == null) {
            return "Customer " + json.get("id") + " not stored";
        }
        List<String> others = CustomerLinks.otherShops(crm, id, key);
        unlink("shopify_key", key);
        if (!others.isEmpty()) {
            return "Customer " + json.get("id") + " unlinked from " + shop + " and kept: " + alsoOf(others);
        }
        if (find("orders", "customer", id).isPresent()) {
            return "Customer " + json.get("id") + " kept: the CRM holds orders of it (of another store, or imported)";
        }
        crm.delete("customers", id);
        return "Customer " + json.get("id") + " deleted";
    }

    /**
     * {@code customers/redact}: this store's link to the customer is removed and every stored delivery body of this
     * shop that names the customer is erased, this one included; the customer's personal data (name, email, phone,
     * notes, tags) is erased unless another store still links it (it is that store's customer too, and keeps it).
     * Orders and returns stay, as anonymous facts. Returns what was done, for the delivery's note.
     */
    String redact(Map<String, Object> json) {
        Map<String, Object> customer = map(json.get("customer"));
        String id = text(customer.get("id"));
        String key = shop + "/gid://shopify/Customer/" + id;
        Long stored = CustomerLinks.customers(crm, List.of(key)).get(key);
        String done;
        if (stored == null) {
            done = " not stored";
        } else {
            List<String> others = CustomerLinks.otherShops(crm, stored, key);
            forget("shopify_key", key);
            done = others.isEmpty() ? " erased" : " unlinked from " + shop + ", personal data kept: " + alsoOf(others);
        }
        int bodies = 0;
        for (String mention : Stream.of(id, text(customer.get("email")), text(customer.get("phone")))
                .filter(v -> v != null).toList()) {
            Filter ofShop = Filter.and(Filter.compare("shop", Operator.EQ, shop), Filter.compare("body", Operator.CONTAINS, mention));
            for (Map<String, Object> delivery : crm.query(Deliveries.OBJECT, ofShop, List.of(), Deliveries.MOST)) {
                Map<String, Object> cleared = new LinkedHashMap<>();
                cleared.put("body", null);
                crm.update(Deliveries.OBJECT, (Long) delivery.get("id"), cleared);
                bodies++;
            }
        }
        return "Customer " + id + done + "; " + bodies + " delivery bodies erased";
    }

    /**
     * {@code shop/redact} (sent 48 hours after the shop uninstalled the app): the shop's links are removed, the
     * personal data of every customer no other store links is erased, and the body of every stored delivery of the
     * shop, in a few set-based statements; a customer another store still links keeps its data. Orders, items,
     * returns and products stay as anonymous facts, as after {@code customers/redact}.
     */
    String redactShop() {
        long customers = forget("shop", shop);
        long bodies = crm.updateFromQuery(Deliveries.OBJECT, List.of("body"),
                "SELECT \"id\", CAST(NULL AS VARCHAR) AS \"body\" FROM \"" + Deliveries.OBJECT + "\" WHERE \"shop\" = ? AND \"body\" IS NOT NULL", shop);
        return "Shop " + shop + " erased: " + customers + " customers (those no other store links), " + bodies + " delivery bodies";
    }

    /**
     * Removes the links whose {@code field} (shopify_key, shop) is {@code value} and erases the personal data of the
     * customers they named that no other link names; the others are keyed by a store that still links them. Returns
     * how many customers were erased.
     */
    private long forget(String field, String value) {
        String nulls = String.join(", ", PERSONAL.stream()
                .map(f -> "CAST(NULL AS " + (f.equals("tags") ? "VARCHAR[]" : "VARCHAR") + ") AS \"" + f + "\"").toList());
        long erased = crm.updateFromQuery("customers", PERSONAL, "SELECT \"id\", " + nulls + " FROM \"customers\" WHERE \"id\" IN ("
                + CustomerLinks.onlyLinkedBy(field) + ")", value, value);
        unlink(field, value);
        return erased;
    }

    /**
     * Removes the links whose {@code field} is {@code value}; a customer keyed by one of them that another link still
     * names is keyed by that store's instead, so its key is always one a store holds.
     */
    private void unlink(String field, String value) {
        crm.updateFromQuery("customers", List.of("shopify_key", "shopify_shop"), CustomerLinks.otherKeys(field), value, value, value);
        CustomerLinks.unlink(crm, field, value);
    }

    private static String alsoOf(List<String> shops) {
        return "also a customer of " + String.join(", ", shops);
    }

    /**
     * A customer's export key ({@link CsvShop#exportKey}) from its phone, which Shopify keeps to one customer of a
     * store: so a customer an older admin export wrote without id or email, by its phone, is the one a webhook or
     * the sync later names by its GID and email, not a second one. Null without a phone.
     */
    static String exportKey(String shop, String phone) {
        return phone == null ? null : shop + "/phone:" + phone;
    }

    /** Shopify's product status (ACTIVE, active, DRAFT, ARCHIVED) as the CRM's option (Active, Draft, Archived). */
    static String productStatus(String status) {
        return status == null ? null : status.charAt(0) + status.substring(1).toLowerCase(Locale.ROOT);
    }

    /** Orders of several stores never share a number: {@code northwind-knits #1001}. */
    static String orderNumber(String shop, String name) {
        return shop.replace(".myshopify.com", "") + " " + name;
    }

    /**
     * A line of an order: Shopify's admin CSV export has no line ids, so every path keys a line by
     * its order's name and its SKU, or its name when it has none ({@link CsvShop#lineKey}).
     */
    static String lineKey(String shop, String orderName, String sku, String name) {
        return shop + "/" + orderName + "/" + (sku != null ? sku : name);
    }

    /**
     * Cancelled, refunded, fulfilled, else pending: the CRM's order statuses, from the webhook's
     * lower-case statuses or the GraphQL API's upper-case ones.
     */
    static String status(Object cancelledAt, String financial, String fulfillment) {
        if (cancelledAt != null) {
            return "Cancelled";
        }
        if ("refunded".equalsIgnoreCase(financial)) {
            return "Refunded";
        }
        return "fulfilled".equalsIgnoreCase(fulfillment) ? "Fulfilled" : "Pending";
    }

    private Map<String, Object> keyed(Map<String, Object> json, String type) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("shopify_key", key(json, type));
        values.put("shopify_shop", shop);
        values.put("shopify_updated_at", text(json.get("updated_at")));
        return values;
    }

    private String key(Map<String, Object> json, String type) {
        return shop + "/" + gid(json, type);
    }

    private Optional<Map<String, Object>> find(String object, String field, Object value) {
        return crm.query(object, Filter.compare(field, Operator.EQ, value), List.of(), 1).stream().findFirst();
    }

    static String gid(Map<String, Object> json, String type) {
        String gid = text(json.get("admin_graphql_api_id"));
        return gid != null ? gid : "gid://shopify/" + type + "/" + json.get("id");
    }

    /**
     * A customer's tags from a list (the Admin API) or a text joined with commas (a webhook, the CSV
     * export), each trimmed; null when there are none, as an empty CSV cell is stored, so "tags is
     * empty" finds every customer without tags whatever path wrote it.
     */
    static List<String> tags(Object value) {
        Stream<?> items = value instanceof List<?> list ? list.stream() : value == null ? Stream.empty() : Arrays.stream(value.toString().split(","));
        List<String> tags = items.map(ShopifyWrites::text).filter(Objects::nonNull).toList();
        return tags.isEmpty() ? null : tags;
    }

    static String fullName(String first, String last) {
        return first == null ? last : last == null ? first : first + " " + last;
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : text;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
