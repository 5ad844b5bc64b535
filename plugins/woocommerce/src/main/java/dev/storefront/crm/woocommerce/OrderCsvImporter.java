package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.api.sync.GuestCustomer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.pf4j.Extension;

/**
 * Order exports of the WooCommerce Customer/Order/Coupon Export plugin, its default format: one row per order,
 * the order's items in a {@code line_items} cell ({@link OrderPerItemCsvImporter} reads its one-row-per-item format
 * with the same mappings, its items in columns). The
 * order's customer is linked as the REST sync links it: by WooCommerce customer id, or for a guest
 * checkout (customer_id 0 or empty) with a billing email, a customer created or updated by that email
 * from the billing details ({@link GuestCustomer}); a guest without an email links none. So guests'
 * orders are written after their customers, by a mapping of their own. Then the order's line items (the
 * {@code line_items} cell, see {@link #items}) and its refunds: the {@code refunds} cell's refunds one
 * by one, keyed by refund id as the sync keys them, or, in an export without that cell, its
 * {@code refunded_total} as one return. WooCommerce statuses become CRM statuses and the raw one is kept
 * in woocommerce_status. The order date is the store's local time ({@code crm.timezone}) unless it
 * carries an offset.
 */
@Extension
public class OrderCsvImporter implements CsvImporter {

    /** How the rows where {@code rows} is not empty name their customer: {@code target} from {@code source}. */
    private record CustomerLink(String target, String source, String rows) {
    }

    /**
     * Where an export writes its line items: {@code field} gives the source of an item's field (WooCommerce's
     * key: {@code id}, {@code product_id}, {@code sku}, ...; null for one the export lacks), {@code cell} the column
     * holding a list of them or null for a row per item, {@code when} the rows that hold an item or null for all.
     */
    record ItemColumns(UnaryOperator<String> field, String cell, String when) {
    }

    /** The default format's {@code line_items} cell. */
    static final ItemColumns LINE_ITEMS_CELL = new ItemColumns(key -> "item('" + key + "')", "line_items", null);

    /** The source of a column of the default format ({@code order_id}, {@code billing_email}) in this importer's format. */
    private final UnaryOperator<String> column;
    private final ItemColumns itemColumns;
    /** Not empty for a guest's order with a billing email (an export may lack the column). */
    private final String guest;
    private final CustomerLink byId;
    private final CustomerLink guestByEmail;

    public OrderCsvImporter() {
        this(UnaryOperator.identity(), LINE_ITEMS_CELL);
    }

    OrderCsvImporter(UnaryOperator<String> column, ItemColumns itemColumns) {
        this.column = column;
        this.itemColumns = itemColumns;
        this.guest = "concat(pick(" + column.apply("customer_id") + " | '0', '0' = 'guest'), " + column.apply("billing_email") + " | '')";
        // Every other order: the guest's rows negated.
        String notGuest = "nullif(if(" + guest + ", 'guest') | 'other', 'guest')";
        this.byId = new CustomerLink("customer.woocommerce_id", "nullif(" + column.apply("customer_id") + " | '', '0')", notGuest);
        this.guestByEmail = new CustomerLink("customer.email", column.apply("billing_email") + " | ''", guest);
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
        return orders(byId);
    }

    /** Guests' customers, then their orders; then the orders' line items and refunds. */
    @Override
    public List<ImportMapping> moreMappings() {
        Map<String, String> billing = new LinkedHashMap<>();
        WooRecords.GUEST_BILLING.forEach((field, key) -> billing.put(field, column.apply("billing_" + key) + " | ''"));
        ImportMapping guests = GuestCustomer.mapping(column.apply("billing_email"), column.apply("billing_first_name"),
                column.apply("billing_last_name"), column.apply("billing_phone"), billing, guest);
        return List.of(guests, orders(guestByEmail), items(), refunds(byId), refunds(guestByEmail), refundedTotal(byId), refundedTotal(guestByEmail));
    }

    private ImportMapping orders(CustomerLink customer) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("WooCommerce ID", col("order_id"));
        // The same number as the REST sync gives, so both paths agree on one order.
        columns.put("Order Number", "concat('WC-', " + col("order_number") + " | " + col("order_id") + ")");
        // Its header is "date" since version 4 of the export plugin, "order_date" before.
        columns.put("Order Date", "local(" + col("date") + " | " + col("order_date") + ")");
        columns.put("Status", status(col("status")));
        columns.put("WooCommerce Status", col("status"));
        columns.put("Total Amount", col("order_total"));
        // An export may lack the column: the currency is then left as stored.
        columns.put("Currency", col("order_currency") + " | ''");
        columns.put("Payment Method", col("payment_method"));
        columns.put(customer.target(), customer.source());
        columns.put("Shipping Address", String.join(" + ", List.of(col("shipping_address_1"), col("shipping_address_2"), col("shipping_postcode"), col("shipping_city"),
                col("shipping_country"))));
        return new ImportMapping("orders", List.of("woocommerce_id"), columns, customer.rows());
    }

    /**
     * The order's line items (in the {@code line_items} cell: {@code id:..|name:..|product_id:..|sku:..|quantity:..|total:..|...},
     * joined by {@code ;}; in a row per item: {@code item_id, item_name, item_product_id, item_sku, ...}) as order items of
     * the order, as the sync writes an order's lines: keyed by item id (an export whose items carry none, by order and
     * SKU, else name), unit price = line total / quantity, linked to the product of that WooCommerce id, else of that
     * SKU, when the CRM holds one (a deleted product is exported as id 0 and SKU {@code unknown_product}).
     */
    private ImportMapping items() {
        UnaryOperator<String> field = itemColumns.field();
        String id = field.apply("id");
        String productId = field.apply("product_id");
        String sku = "nullif(" + field.apply("sku") + ", 'unknown_product')";
        String lineKey = "concat(" + col("order_id") + ", '/', " + sku + " | " + field.apply("name") + ")";
        Map<String, String> columns = new LinkedHashMap<>();
        if (id != null) {
            columns.put("WooCommerce ID", id);
        }
        columns.put("WooCommerce Line Key", id == null ? lineKey : "unless(" + id + ", " + lineKey + ")");
        columns.put("order.woocommerce_id", col("order_id"));
        if (productId != null) {
            columns.put("product.woocommerce_id?", "nullif(" + productId + ", '0')");
        }
        columns.put("product.sku?", sku);
        columns.put("Product Name", field.apply("name"));
        columns.put("SKU", sku);
        columns.put("Quantity", field.apply("quantity"));
        columns.put("Unit Price", "per(" + field.apply("total") + ", " + field.apply("quantity") + ")");
        return new ImportMapping("order_items", List.of("woocommerce_id", "woocommerce_line_key"), columns, itemColumns.when(), itemColumns.cell(),
                false);
    }

    /**
     * The {@code refunds} cell's refunds ({@code id:..|date:..|amount:..|reason:..}, joined by {@code ;}) as returns
     * resolved by Refund, keyed by refund id: the entries the sync and the webhook write for them. As they do, the
     * order's first refund (lowest id) also holds the order's id as woocommerce_refunded_order: found by it, the return
     * an earlier export made of the order's refunded total becomes that refund, in the same write, instead of counting
     * the refunds twice beside them; and an export with only the refunded total, imported after, finds it and adds none.
     */
    private ImportMapping refunds(CustomerLink customer) {
        Map<String, String> columns = refund(customer, "item('amount')");
        columns.put("WooCommerce ID", "item('id')");
        columns.put("WooCommerce Refunded Order", "lowest('id', " + col("order_id") + ")");
        columns.put("Return Date", "day(local(item('date')))");
        columns.put("Reason", "item('reason')");
        return new ImportMapping("returns", List.of("woocommerce_id", "woocommerce_refunded_order"), columns, customer.rows(), "refunds", false);
    }

    /**
     * An order's refunds, in an export that does not list them ({@code refunds} column left out), as one return
     * resolved by Refund, of its {@code refunded_total}, keyed by the order's id: so the customer's metrics net
     * them, as the sync's returns do. Written only where no return holds that key yet: the sync, the webhook and an
     * export's {@code refunds} cell give the order's first refund that key ({@link WooRecords}, {@link #refunds}), so a
     * total is not written beside the refunds they wrote, and the next of them to read the order turns the total into
     * its first refund.
     */
    private ImportMapping refundedTotal(CustomerLink customer) {
        Map<String, String> columns = refund(customer, col("refunded_total") + " | ''");
        columns.put("WooCommerce Refunded Order", col("order_id"));
        return new ImportMapping("returns", List.of("woocommerce_refunded_order"), columns,
                "concat(" + refundedInTotal() + ", " + customer.rows() + ")", null, true);
    }

    /** Not empty for an order with refunds ({@code refunded_total} above 0.00) that the export does not list one by one. */
    private String refundedInTotal() {
        return "concat(nullif(nullif(" + col("refunded_total") + " | '', '0.00'), '0'), unless(" + col("refunds") + " | '', 'in total'))";
    }

    /** The order's Status from the export's status column, which holds WooCommerce's slugs ({@code wc-completed}, {@code completed}). */
    String status(String column) {
        return WooStatus.mapping(column);
    }

    private String col(String name) {
        return column.apply(name);
    }

    /**
     * What a return of an order's refunds holds, as the sync writes it: the order, its customer, resolution Refund,
     * status Closed, and the {@code amount} without the minus sign WooCommerce may write.
     */
    private Map<String, String> refund(CustomerLink customer, String amount) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("order.woocommerce_id", col("order_id"));
        columns.put(customer.target(), customer.source());
        columns.put("Resolution", "'Refund'");
        columns.put("Status", "'Closed'");
        columns.put("Amount", "ltrim(" + amount + ", '-')");
        return columns;
    }
}
