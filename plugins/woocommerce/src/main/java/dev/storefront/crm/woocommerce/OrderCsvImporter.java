package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Order exports (one row per order) of the WooCommerce Customer/Order/Coupon Export plugin. The
 * order's customer is linked by WooCommerce customer id (0, a guest, links none); WooCommerce
 * statuses become CRM statuses and the raw one is kept in woocommerce_status. The order date is the
 * store's local time ({@code crm.timezone}) unless it carries an offset.
 */
@Extension
public class OrderCsvImporter implements CsvImporter {

    private final StoreTime storeTime;

    public OrderCsvImporter() {
        this(StoreTime.UTC);
    }

    private OrderCsvImporter(StoreTime storeTime) {
        this.storeTime = storeTime;
    }

    @Override
    public CsvImporter configured(PluginContext context) {
        return new OrderCsvImporter(StoreTime.of(context));
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
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("WooCommerce ID", "order_id");
        // The same number as the REST sync gives, so both paths agree on one order.
        columns.put("Order Number", "concat('WC-', order_number | order_id)");
        columns.put("Order Date", storeTime.local("order_date"));
        columns.put("Status", WooStatus.mapping("status"));
        columns.put("WooCommerce Status", "status");
        columns.put("Total Amount", "order_total");
        columns.put("Currency", "order_currency");
        columns.put("Payment Method", "payment_method");
        columns.put("customer.woocommerce_id", "nullif(customer_id, '0')");
        columns.put("Shipping Address", "shipping_address_1 + shipping_address_2 + shipping_postcode + shipping_city + shipping_country");
        return new ImportMapping("orders", List.of("woocommerce_id"), columns);
    }
}
