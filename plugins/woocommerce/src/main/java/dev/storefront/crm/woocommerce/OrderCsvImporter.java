package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Order exports (one row per order) of the WooCommerce Customer/Order/Coupon Export plugin. The
 * order's customer is linked as the REST sync links it: by WooCommerce customer id, or for a guest
 * checkout (customer_id 0 or empty) with a billing email, a customer created or updated by that email
 * from the billing details ({@link GuestCustomer}); a guest without an email links none. So guests'
 * orders are written after their customers, by a mapping of their own. An order's refunds
 * ({@code refunded_total}) become one return. WooCommerce statuses become CRM statuses and the raw
 * one is kept in woocommerce_status. The order date is the store's local time ({@code crm.timezone})
 * unless it carries an offset.
 */
@Extension
public class OrderCsvImporter implements CsvImporter {

    /** Not empty for a guest's order with a billing email (an export may lack the column). */
    private static final String GUEST = "concat(pick(customer_id | '0', '0' = 'guest'), billing_email | '')";
    /** Not empty for every other order: {@code GUEST} negated. */
    private static final String NOT_GUEST = "nullif(if(" + GUEST + ", 'guest') | 'other', 'guest')";
    /** Not empty for an order with refunds ({@code refunded_total} above 0.00). */
    private static final String REFUNDED = "nullif(nullif(refunded_total | '', '0.00'), '0')";
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
        return "WooCommerce order export CSV (order_id, order_number, order_date, status, order_total, customer_id, billing_*, shipping_*)";
    }

    @Override
    public ImportMapping defaultMapping() {
        return orders(BY_ID);
    }

    /** Guests' customers, then their orders; then the orders' refunds, each order's as one return. */
    @Override
    public List<ImportMapping> moreMappings() {
        return List.of(GuestCustomer.mapping(GUEST), orders(GUEST_BY_EMAIL), refunds(BY_ID), refunds(GUEST_BY_EMAIL));
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
     * An order's refunds as one return resolved by Refund, of its {@code refunded_total} (the export has no
     * refund ids), keyed by the order's id: so the customer's metrics net them, as the sync's returns do.
     * A later REST sync replaces it by the order's refunds one by one ({@link RestSync}).
     */
    private static ImportMapping refunds(CustomerLink customer) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("WooCommerce Refunded Order", "order_id");
        columns.put("order.woocommerce_id", "order_id");
        columns.put(customer.target(), customer.source());
        columns.put("Resolution", "'Refund'");
        columns.put("Status", "'Closed'");
        columns.put("Amount", "ltrim(refunded_total | '', '-')");
        return new ImportMapping("returns", List.of("woocommerce_refunded_order"), columns, "concat(" + REFUNDED + ", " + customer.rows() + ")");
    }
}
