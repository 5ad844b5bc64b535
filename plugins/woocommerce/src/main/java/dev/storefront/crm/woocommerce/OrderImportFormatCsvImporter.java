package dev.storefront.crm.woocommerce;

import java.util.Map;
import org.pf4j.Extension;

/**
 * The Customer/Order/Coupon Export plugin's "CSV Import" order format ({@code import}, the file its sister plugin, the
 * Customer/Order/Coupon CSV Import Suite, reads): one row per order, the default format's columns under the names of
 * WooCommerce's REST API ({@code id, created_at, total, total_refunded, currency, customer_user, ...}), its
 * {@code line_items} and {@code refunds} cells JSON arrays of objects with the same keys as the default format's
 * {@code key:value} lists ({@code [{"id":3288,"name":"Hoodie","product_id":45,"sku":"woo-hoodie","quantity":2,
 * "total":"76.50",...}]}). Read with the default format's mappings ({@link OrderCsvImporter}), so either file, and the
 * REST sync, key the same orders, customers, items and refunds.
 */
@Extension
public class OrderImportFormatCsvImporter extends OrderCsvImporter {

    /** The default format's columns this format names otherwise; the others have the same names in both. */
    private static final Map<String, String> HEADERS = Map.of("order_id", "id", "date", "created_at", "order_date", "created_at",
            "order_total", "total", "refunded_total", "total_refunded", "order_currency", "currency", "customer_id", "customer_user");

    public OrderImportFormatCsvImporter() {
        super(column -> HEADERS.getOrDefault(column, column), LINE_ITEMS_CELL);
    }

    @Override
    public String name() {
        return "orders-import-csv";
    }

    @Override
    public String description() {
        return "WooCommerce order export CSV, \"CSV Import\" format (id, order_number, created_at, status, total, total_refunded, currency,"
                + " customer_user, billing_*, shipping_*, line_items and refunds as JSON)";
    }
}
