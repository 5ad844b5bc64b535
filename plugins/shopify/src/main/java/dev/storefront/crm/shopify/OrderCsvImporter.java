package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Shopify admin's orders export (Orders → Export), the 2021 header and the current one: one row per
 * line item, the first row of an order carrying the order's fields and the next ones only
 * {@code Name, Email, Created at, Lineitem *}. The orders are written from the first rows (those
 * with an {@code Id}), keyed by shop and order GID and numbered by shop and {@code Name}
 * ({@code northwind-knits #1001}) as the sync and webhooks key them ({@link CsvShop}); then every row
 * becomes an order item of the order of its {@code Name}, in the same transaction, keyed by the
 * order's name and the line's SKU (its name when it has none), as the sync keys lines. The customer
 * is found by email (import the customers export first).
 */
@Extension
public class OrderCsvImporter implements CsvImporter {

    /** Every financial status Shopify exports; only refunded and voided decide the CRM's status (after {@code Cancelled at}). */
    private static final String FINANCIAL = "map(\"Financial Status\", 'refunded' = 'Refunded', 'voided' = 'Cancelled', "
            + "'pending' = '-', 'authorized' = '-', 'partially_paid' = '-', 'paid' = '-', 'partially_refunded' = '-', 'expired' = '-')";
    private static final String FULFILLMENT = "map(\"Fulfillment Status\", 'fulfilled' = 'Fulfilled', 'unfulfilled' = 'Pending', "
            + "'partial' = 'Pending', 'restocked' = 'Pending', 'pending' = 'Pending')";

    private final CsvShop shop;

    public OrderCsvImporter() {
        this(new CsvShop(null));
    }

    private OrderCsvImporter(CsvShop shop) {
        this.shop = shop;
    }

    @Override
    public CsvImporter configured(PluginContext context) {
        return new OrderCsvImporter(CsvShop.of(context));
    }

    @Override
    public String name() {
        return "orders-csv";
    }

    @Override
    public String description() {
        return "Shopify admin orders export CSV (one row per line item): orders by Name with their customer (by email), total, "
                + "currency, date and status, and their line items";
    }

    @Override
    public ImportMapping defaultMapping() {
        Map<String, String> columns = new LinkedHashMap<>();
        shop.putKey(columns, "Order", "Id");
        columns.put("Order Number", shop.orderNumber("Name"));
        columns.put("customer.email", "Email");
        columns.put("Order Date", "\"Created at\"");
        columns.put("Total Amount", "money(Total)");
        columns.put("Currency", "Currency");
        // Cancelled first, then a refunded or voided payment, else the fulfilment (the CRM's statuses, as the webhooks and
        // the sync decide them): an order cancelled without a refund keeps the financial status paid.
        columns.put("Status", "if(\"Cancelled at\", 'Cancelled') | nullif(" + FINANCIAL + ", '-') | " + FULFILLMENT);
        return new ImportMapping("orders", List.of(shop.shop() == null ? "order_number" : "shopify_key", "order_number"), columns, "Id");
    }

    /** Every row is a line: keyed by its order's Name and its SKU (its name when it has none), so a re-import updates it. */
    @Override
    public List<ImportMapping> moreMappings() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("Shopify Key", shop.lineKey("Name", "\"Lineitem sku\" | \"Lineitem name\""));
        shop.putShop(columns);
        columns.put("order.order_number", shop.orderNumber("Name"));
        columns.put("Quantity", "\"Lineitem quantity\"");
        columns.put("Unit Price", "money(\"Lineitem price\")");
        return List.of(new ImportMapping("order_items", List.of("shopify_key"), columns));
    }
}
