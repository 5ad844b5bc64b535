package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Order exports (one row per order) of the WooCommerce Customer/Order/Coupon Export plugin. The
 * order's customer is linked by WooCommerce customer id; WooCommerce statuses become CRM statuses.
 */
@Extension
public class OrderCsvImporter implements CsvImporter {

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
        columns.put("Order Number", "order_number");
        columns.put("Order Date", "order_date");
        columns.put("Status", "status");
        columns.put("WooCommerce Status", "woocommerce_status");
        columns.put("Total Amount", "order_total");
        columns.put("Currency", "order_currency");
        columns.put("Payment Method", "payment_method");
        columns.put("customer.woocommerce_id", "customer_id");
        columns.put("Shipping Address", "shipping_address_1 + shipping_address_2 + shipping_postcode + shipping_city + shipping_country");
        return new ImportMapping("orders", List.of("woocommerce_id"), columns);
    }

    @Override
    public List<String> addedColumns() {
        return List.of("woocommerce_status");
    }

    @Override
    public Map<String, String> transformRow(Map<String, String> row) {
        if ("0".equals(row.get("customer_id"))) {
            row.put("customer_id", "");
        }
        row.put("woocommerce_status", row.getOrDefault("status", ""));
        // The same number as the REST sync gives, so both paths agree on one order.
        String number = row.getOrDefault("order_number", "").isBlank() ? row.getOrDefault("order_id", "") : row.get("order_number");
        row.put("order_number", number.isBlank() ? "" : "WC-" + number.strip());
        if (row.containsKey("status")) {
            row.put("status", WooStatus.toCrm(row.get("status")));
        }
        Csv.unescapeFormulas(row);
        return row;
    }
}
