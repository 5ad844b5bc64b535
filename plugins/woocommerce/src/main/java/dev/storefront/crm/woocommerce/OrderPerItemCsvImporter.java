package dev.storefront.crm.woocommerce;

import java.util.function.UnaryOperator;
import org.pf4j.Extension;

/**
 * The Customer/Order/Coupon Export plugin's "Default - One Row per Item" order format: one row per line item, the
 * order's columns repeated on each, the item's in {@code item_id, item_product_id, item_name, item_sku, item_quantity,
 * item_total, ...}. Read with the mappings of the one-row-per-order format ({@link OrderCsvImporter}), so both, and
 * the REST sync, key the same order, customer, item and refund alike: the rows of one order write it once (the last
 * of them in a chunk), each row one order item. The format has no {@code refunds} column: an order's
 * {@code refunded_total} becomes one return, as in an export of the other format made without that column.
 */
@Extension
public class OrderPerItemCsvImporter extends OrderCsvImporter {

    public OrderPerItemCsvImporter() {
        // A row of an order without items carries no item: only rows naming one are items.
        super(UnaryOperator.identity(), new ItemColumns(key -> "item_" + key, null, "item_id | item_name"));
    }

    @Override
    public String name() {
        return "orders-per-item-csv";
    }

    @Override
    public String description() {
        return "WooCommerce order export CSV, one row per item (order_id, order_number, date, status, order_total, refunded_total,"
                + " customer_id, billing_*, shipping_*, item_id, item_product_id, item_name, item_sku, item_quantity, item_total)";
    }
}
