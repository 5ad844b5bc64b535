package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.sync.EntryRef;
import dev.storefront.crm.api.sync.GuestCustomer;
import dev.storefront.crm.api.sync.IfValid;
import dev.storefront.crm.api.sync.SyncDeletion;
import dev.storefront.crm.api.sync.SyncRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** WooCommerce REST v3 resources (parsed JSON) as CRM records, keyed by WooCommerce id. */
final class WooRecords {

    /** The further customer fields a guest's billing details fill ({@link GuestCustomer} fills the others): field, billing key. */
    static final Map<String, String> GUEST_BILLING = Map.of("billing_company", "company", "billing_city", "city", "billing_country", "country");

    private WooRecords() {
    }

    static SyncRecord customer(Map<String, Object> json) {
        Map<String, Object> billing = map(json.get("billing"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("woocommerce_id", number(json.get("id")));
        values.put("email", text(json.get("email")));
        values.put("first_name", text(json.get("first_name")));
        values.put("last_name", text(json.get("last_name")));
        values.put("full_name", join(text(json.get("first_name")), text(json.get("last_name"))));
        values.put("phone", phone(billing));
        values.put("billing_company", text(billing.get("company")));
        values.put("billing_city", text(billing.get("city")));
        values.put("billing_country", text(billing.get("country")));
        values.put("registered_at", gmt(json.get("date_created_gmt")));
        return new SyncRecord("customers", List.of("woocommerce_id", "email"), values);
    }

    /** The order, preceded by its guest customer if any, followed by its products, line items and refunds. */
    static List<SyncRecord> order(Map<String, Object> json) {
        List<SyncRecord> records = new ArrayList<>();
        Map<String, Object> billing = map(json.get("billing"));
        Map<String, Object> shipping = map(json.get("shipping"));
        Long customerId = number(json.get("customer_id"));
        Object customer = null;
        if (customerId != null && customerId > 0) {
            customer = new EntryRef("customers", "woocommerce_id", customerId);
        } else if (text(billing.get("email")) != null) {
            // The phone goes with the further fields, written only when valid (phone below).
            GuestCustomer guest = new GuestCustomer(text(billing.get("email")), text(billing.get("first_name")), text(billing.get("last_name")),
                    null);
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("phone", phone(billing));
            GUEST_BILLING.forEach((field, key) -> more.put(field, text(billing.get(key))));
            records.add(guest.record(more));
            customer = guest.ref();
        }
        Long orderId = number(json.get("id"));
        List<Map<String, Object>> lines = list(json.get("line_items"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("woocommerce_id", orderId);
        values.put("order_number", "WC-" + (text(json.get("number")) == null ? orderId : text(json.get("number"))));
        values.put("customer", customer);
        values.put("order_date", gmt(json.get("date_created_gmt")));
        values.put("total_amount", text(json.get("total")));
        values.put("currency", text(json.get("currency")));
        values.put("status", WooStatus.toCrm(text(json.get("status"))));
        values.put("woocommerce_status", text(json.get("status")));
        values.put("woocommerce_modified_at", gmt(json.get("date_modified_gmt")));
        values.put("payment_method", text(json.get("payment_method_title")));
        values.put("items", String.join(", ", lines.stream().map(l -> text(l.get("name")) + " × " + l.get("quantity")).toList()));
        values.put("shipping_address", join(text(shipping.get("address_1")), text(shipping.get("address_2")),
                text(shipping.get("postcode")), text(shipping.get("city")), text(shipping.get("country"))));
        records.add(new SyncRecord("orders", List.of("woocommerce_id"), values));
        Map<String, Long> lineKeys = lines.stream().collect(java.util.stream.Collectors.groupingBy(line -> lineKey(orderId, line),
                java.util.stream.Collectors.counting()));
        for (Map<String, Object> line : lines) {
            Long productId = number(line.get("product_id"));
            Object product = null;
            if (productId != null && productId > 0) {
                Map<String, Object> productValues = new LinkedHashMap<>();
                productValues.put("woocommerce_id", productId);
                productValues.put("name", text(line.get("name")));
                productValues.put("sku", text(line.get("sku")));
                records.add(new SyncRecord("products", List.of("woocommerce_id", "sku"), productValues));
                product = new EntryRef("products", "woocommerce_id", productId);
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("woocommerce_id", number(line.get("id")));
            // The key of the line in an order export whose items carry no id; two lines it would not tell apart get none.
            item.put("woocommerce_line_key", lineKeys.get(lineKey(orderId, line)) == 1 ? lineKey(orderId, line) : null);
            item.put("order", new EntryRef("orders", "woocommerce_id", orderId));
            item.put("product", product);
            item.put("quantity", number(line.get("quantity")));
            item.put("unit_price", line.get("price") == null ? null : line.get("price").toString());
            item.put("product_name", text(line.get("name")));
            item.put("sku", text(line.get("sku")));
            records.add(new SyncRecord("order_items", List.of("woocommerce_id", "woocommerce_line_key"), item));
        }
        List<Map<String, Object>> refunds = list(json.get("refunds"));
        Long firstRefund = refunds.stream().map(refund -> number(refund.get("id"))).filter(java.util.Objects::nonNull).min(Long::compare).orElse(null);
        for (Map<String, Object> refund : refunds) {
            records.add(refund(refund, orderId, customer, number(refund.get("id")).equals(firstRefund)));
        }
        return records;
    }

    /** {@code <order id>/<SKU>}, or the line's name when it has no SKU: an order export's key of a line without id ({@code OrderCsvImporter}). */
    private static String lineKey(Long orderId, Map<String, Object> line) {
        String sku = text(line.get("sku"));
        return orderId + "/" + (sku != null ? sku : text(line.get("name")));
    }

    /** What an order moved to the trash takes out of the CRM: its items and refunds, then the order itself. */
    static List<SyncDeletion> trashed(Map<String, Object> json) {
        return List.of(SyncDeletion.of("order_items", "woocommerce_id", ids(json.get("line_items"))),
                SyncDeletion.of("returns", "woocommerce_id", ids(json.get("refunds"))),
                SyncDeletion.of("orders", "woocommerce_id", List.of(number(json.get("id")))));
    }

    /**
     * The returns an order CSV import made of the refunded totals of those of these orders that have no refund
     * (any longer). An order with refunds needs none: its first refund takes the total's place ({@link #order}).
     */
    static SyncDeletion refundTotals(List<Map<String, Object>> orders) {
        return SyncDeletion.of("returns", "woocommerce_refunded_order", orders.stream().filter(order -> list(order.get("refunds")).isEmpty())
                .map(order -> number(order.get("id"))).toList());
    }

    private static List<Long> ids(Object items) {
        return list(items).stream().map(item -> number(item.get("id"))).toList();
    }

    /**
     * A refund ({@code refunds[]} of the order: id, reason, total as a negative text) as a return
     * resolved by Refund, keyed by the refund's id. The order JSON carries no refund date, so the
     * return has none. The order's {@code first} refund (lowest id) also holds the order's id as
     * woocommerce_refunded_order, the key of the return an order CSV export without refund ids makes of
     * the order's refunded total: found by it, that return becomes this refund, and an export imported
     * later finds this refund and adds no total beside the refunds ({@code OrderCsvImporter}).
     */
    private static SyncRecord refund(Map<String, Object> json, Long orderId, Object customer, boolean first) {
        String total = text(json.get("total"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("woocommerce_id", number(json.get("id")));
        values.put("order", new EntryRef("orders", "woocommerce_id", orderId));
        values.put("customer", customer);
        values.put("reason", text(json.get("reason")));
        values.put("resolution", "Refund");
        values.put("status", "Closed");
        // WooCommerce writes refunds as negative totals; a return's amount is what went back. Kept
        // as text so a malformed total is refused by the CRM's number check, naming the field.
        values.put("amount", total != null && total.startsWith("-") ? total.substring(1) : total);
        if (!first) {
            return new SyncRecord("returns", List.of("woocommerce_id"), values);
        }
        values.put("woocommerce_refunded_order", orderId);
        return new SyncRecord("returns", List.of("woocommerce_id", "woocommerce_refunded_order"), values);
    }

    /**
     * The billing phone, written only when it is a valid phone ({@link IfValid}): WooCommerce's checkout takes any of digits,
     * spaces and {@code # _ - + / ( ) .} ({@code "-"}, {@code "12"}), and its admin anything, and a customer must not be
     * left out of the CRM for it. A customer's stored phone then stays.
     */
    private static IfValid phone(Map<String, Object> billing) {
        String phone = text(billing.get("phone"));
        return phone == null ? null : new IfValid(phone);
    }

    /** WooCommerce writes GMT times without an offset. */
    static String gmt(Object value) {
        String text = text(value);
        return text == null ? null : text + "Z";
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : text;
    }

    static Long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = text(value);
        return text == null ? null : Long.parseLong(text);
    }

    static String join(String... parts) {
        List<String> kept = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                kept.add(part.strip());
            }
        }
        return kept.isEmpty() ? null : String.join(" ", kept);
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
