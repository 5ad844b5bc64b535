package dev.storefront.crm.woocommerce;

import java.util.Map;
import org.pf4j.Extension;

/**
 * The Customer/Order/Coupon Export plugin's "Legacy - One Row per Item" order format: one row per line item under
 * the legacy headers ({@code Order ID, Date, Order Status, ..., Billing Email, ..., Item SKU, Item Name, Item Amount,
 * Row Price}), read with the mappings of the default formats ({@link OrderCsvImporter}). It has no customer id,
 * order number, currency, refunds, item or product ids: every order is linked to the customer of its billing email
 * (created or updated from the billing details, as a guest's), numbered {@code WC-<order id>}, its items keyed by
 * order and SKU (else name) and linked to the product of that SKU; currency and refunds are left as stored.
 */
@Extension
public class OrderLegacyPerItemCsvImporter extends OrderCsvImporter {

    /** The default format's columns under their legacy headers; the default's other columns the legacy format lacks. */
    private static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("order_id", "Order ID"), Map.entry("date", "Date"),
            Map.entry("order_date", "Date"), Map.entry("status", "Order Status"), Map.entry("order_total", "Order Total"),
            Map.entry("payment_method", "Payment Method"), Map.entry("billing_first_name", "Billing First Name"),
            Map.entry("billing_last_name", "Billing Last Name"), Map.entry("billing_email", "Billing Email"),
            Map.entry("billing_phone", "Billing Phone"), Map.entry("billing_company", "Billing Company"),
            Map.entry("billing_city", "Billing City"), Map.entry("billing_country", "Billing Country"),
            Map.entry("shipping_address_1", "Shipping Address 1"), Map.entry("shipping_address_2", "Shipping Address 2"),
            Map.entry("shipping_postcode", "Shipping Post code"), Map.entry("shipping_city", "Shipping City"),
            Map.entry("shipping_country", "Shipping Country"));
    /** An item's fields: {@code Item Amount} is its quantity, {@code Row Price} its line total. */
    private static final Map<String, String> ITEM_HEADERS = Map.of("name", "Item Name", "sku", "Item SKU", "quantity", "Item Amount",
            "total", "Row Price");

    public OrderLegacyPerItemCsvImporter() {
        // A column the format lacks stays its default name: absent from the file, it reads as empty where the mapping
        // allows that (customer_id | '0'), and a field read from it alone is left as stored.
        super(column -> HEADERS.containsKey(column) ? quoted(HEADERS.get(column)) : column,
                new ItemColumns(key -> ITEM_HEADERS.containsKey(key) ? quoted(ITEM_HEADERS.get(key)) : null, null,
                        quoted("Item SKU") + " | " + quoted("Item Name")));
    }

    private static String quoted(String header) {
        return '"' + header + '"';
    }

    /** The legacy format writes status labels ({@code Completed}, {@code On hold}), as the shop's admin shows them. */
    @Override
    String status(String column) {
        return WooStatus.labelMapping(column);
    }

    @Override
    public String name() {
        return "orders-legacy-per-item-csv";
    }

    @Override
    public String description() {
        return "WooCommerce order export CSV, legacy one row per item (Order ID, Date, Order Status, Order Total, Billing *, Shipping *,"
                + " Item SKU, Item Name, Item Amount, Row Price)";
    }
}
