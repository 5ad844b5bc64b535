package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.api.sync.GuestCustomer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Order exports (one row per order) of the WooCommerce Customer/Order/Coupon Export plugin. The
 * order's customer is linked as the REST sync links it: by WooCommerce customer id, or for a guest
 * checkout (customer_id 0 or empty) with a billing email, a customer created or updated by that email
 * from the billing details ({@link GuestCustomer}); a guest without an email links none. So guests'
 * orders are written after their customers, by a mapping of their own. Then the order's line items (the
 * {@code line_items} cell, see {@link #items()}) and its refunds: the {@code refunds} cell's refunds one
 * by one, keyed by refund id as the sync keys them, or, in an export without that cell, its
 * {@code refunded_total} as one return. WooCommerce statuses become CRM statuses and the raw one is kept
 * in woocommerce_status. The order date is the store's local time ({@code crm.timezone}) unless it
 * carries an offset.
 */
@Extension
public class OrderCsvImporter implements CsvImporter {

    /** Not empty for a guest's order with a billing email (an export may lack the column). */
    private static final String GUEST = "concat(pick(customer_id | '0', '0' = 'guest'), billing_email | '')";
    /** Not empty for every other order: {@code GUEST} negated. */
    private static final String NOT_GUEST = "nullif(if(" + GUEST + ", 'guest') | 'other', 'guest')";
    /** Not empty for an order with refunds ({@code refunded_total} above 0.00) that the export does not list one by one. */
    private static final String REFUNDED_IN_TOTAL = "concat(nullif(nullif(refunded_total | '', '0.00'), '0'), unless(refunds | '', 'in total'))";
    /** An item's SKU; WooCommerce exports a deleted product's as {@code unknown_product}. */
    private static final String ITEM_SKU = "nullif(item('sku'), 'unknown_product')";
    private static final CustomerLink BY_ID = new CustomerLink("customer.woocommerce_id", "nullif(customer_id, '0')", NOT_GUEST);
    private static final CustomerLink GUEST_BY_EMAIL = new CustomerLink("customer.email", "billing_email | ''", GUEST);

    /** How the rows where {@code rows} is not empty name their customer: {@code target} from {@code source}. */
    private record CustomerLink(String target, String source, String rows) {
    }

    @Override
    public String name() {
        return "orders-csv";
    }

    @Override
    public String description() {
        return "WooCommerce order export CSV (order_id, order_number, order_date, status, order_total, customer_id, billing_*, shipping_*,"
                + " line_items, refunds)";
    }

    @Override
    public ImportMapping defaultMapping() {
        return orders(BY_ID);
    }

    /** Guests' customers, then their orders; then the orders' line items and refunds. */
    @Override
    public List<ImportMapping> moreMappings() {
        Map<String, String> billing = new LinkedHashMap<>();
        WooRecords.GUEST_BILLING.forEach((field, key) -> billing.put(field, "billing_" + key + " | ''"));
        ImportMapping guests = GuestCustomer.mapping("billing_email", "billing_first_name", "billing_last_name", "billing_phone", billing, GUEST);
        return List.of(guests, orders(GUEST_BY_EMAIL), items(), refunds(BY_ID), refunds(GUEST_BY_EMAIL),
                refundedTotal(BY_ID), refundedTotal(GUEST_BY_EMAIL));
    }

    private ImportMapping orders(CustomerLink customer) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("WooCommerce ID", "order_id");
        // The same number as the REST sync gives, so both paths agree on one order.
        columns.put("Order Number", "concat('WC-', order_number | order_id)");
        columns.put("Order Date", "local(order_date)");
        columns.put("Status", WooStatus.mapping("status"));
        columns.put("WooCommerce Status", "status");
        columns.put("Total Amount", "order_total");
        columns.put("Currency", "order_currency");
        columns.put("Payment Method", "payment_method");
        columns.put(customer.target(), customer.source());
        columns.put("Shipping Address", "shipping_address_1 + shipping_address_2 + shipping_postcode + shipping_city + shipping_country");
        return new ImportMapping("orders", List.of("woocommerce_id"), columns, customer.rows());
    }

    /**
     * The {@code line_items} cell's items ({@code id:..|name:..|product_id:..|sku:..|quantity:..|total:..|...}, joined
     * by {@code ;}) as order items of the order, as the sync writes an order's lines: keyed by item id (an export
     * whose items carry none, by order and SKU, else name), unit price = line total / quantity, linked to the product
     * of that WooCommerce id, else of that SKU, when the CRM holds one (a deleted product is exported as id 0 and
     * SKU {@code unknown_product}).
     */
    private static ImportMapping items() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("WooCommerce ID", "item('id')");
        columns.put("WooCommerce Line Key", "unless(item('id'), concat(order_id, '/', " + ITEM_SKU + " | item('name')))");
        columns.put("order.woocommerce_id", "order_id");
        columns.put("product.woocommerce_id?", "nullif(item('product_id'), '0')");
        columns.put("product.sku?", ITEM_SKU);
        columns.put("Product Name", "item('name')");
        columns.put("SKU", ITEM_SKU);
        columns.put("Quantity", "item('quantity')");
        columns.put("Unit Price", "per(item('total'), item('quantity'))");
        return new ImportMapping("order_items", List.of("woocommerce_id", "woocommerce_line_key"), columns, null, "line_items", false);
    }

    /**
     * The {@code refunds} cell's refunds ({@code id:..|date:..|amount:..|reason:..}, joined by {@code ;}) as returns
     * resolved by Refund, keyed by refund id: the entries the sync and the webhook write for them.
     */
    private static ImportMapping refunds(CustomerLink customer) {
        Map<String, String> columns = refund(customer, "item('amount')");
        columns.put("WooCommerce ID", "item('id')");
        columns.put("Return Date", "day(local(item('date')))");
        columns.put("Reason", "item('reason')");
        return new ImportMapping("returns", List.of("woocommerce_id"), columns, customer.rows(), "refunds", false);
    }

    /**
     * An order's refunds, in an export that does not list them ({@code refunds} column left out), as one return
     * resolved by Refund, of its {@code refunded_total}, keyed by the order's id: so the customer's metrics net
     * them, as the sync's returns do. Written only where no return holds that key yet: the sync and the webhook
     * give the order's first refund that key ({@link WooRecords}), so a total is not written beside the refunds
     * they wrote, and the next of them to read the order turns the total into its first refund.
     */
    private static ImportMapping refundedTotal(CustomerLink customer) {
        Map<String, String> columns = refund(customer, "refunded_total | ''");
        columns.put("WooCommerce Refunded Order", "order_id");
        return new ImportMapping("returns", List.of("woocommerce_refunded_order"), columns,
                "concat(" + REFUNDED_IN_TOTAL + ", " + customer.rows() + ")", null, true);
    }

    /**
     * What a return of an order's refunds holds, as the sync writes it: the order, its customer, resolution Refund,
     * status Closed, and the {@code amount} without the minus sign WooCommerce may write.
     */
    private static Map<String, String> refund(CustomerLink customer, String amount) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("order.woocommerce_id", "order_id");
        columns.put(customer.target(), customer.source());
        columns.put("Resolution", "'Refund'");
        columns.put("Status", "'Closed'");
        columns.put("Amount", "ltrim(" + amount + ", '-')");
        return columns;
    }
}
