package dev.storefront.crm.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The two files of the import rows, the same bytes for both sides: {@code rows} new customers
 * (emails {@code import-<n>@bench.example}, so none is in the store yet) and {@code rows} orders,
 * each naming one of those customers by email and holding a quoted address with a comma.
 */
final class ImportFiles {

    static final String CUSTOMER_COLUMNS = "email,full_name,first_name,last_name,phone,total_orders,lifetime_value,customer_segment,"
            + "accepts_marketing";
    static final String ORDER_COLUMNS = "order_number,customer.email,order_date,total_amount,currency,status,shipping_address";
    private static final String[] SEGMENTS = {"VIP", "Loyal", "Potential Loyal", "Active", "New", "At Risk", "Churned", "Lapsed"};
    private static final String[] STATUSES = {"Pending", "Fulfilled", "Shipped", "Delivered", "Returned", "Refunded", "Cancelled"};

    private ImportFiles() {
    }

    /**
     * The header of the Customer/Order/Coupon Export's "Default - One Row per Item" order format, as its format
     * definition names the columns (the server's {@code WooOrderExports} test file writes the same).
     */
    private static final String WOO_PER_ITEM_HEADER = "order_id,order_number,date,status,shipping_total,shipping_tax_total,fee_total,"
            + "fee_tax_total,tax_total,discount_total,order_total,refunded_total,order_currency,payment_method,shipping_method,customer_id,"
            + "billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,"
            + "billing_postcode,billing_city,billing_state,billing_country,shipping_first_name,shipping_last_name,shipping_address_1,"
            + "shipping_address_2,shipping_postcode,shipping_city,shipping_state,shipping_country,shipping_company,customer_note,item_id,"
            + "item_product_id,item_name,item_sku,item_price,item_quantity,item_subtotal,item_subtotal_tax,item_total,item_total_tax,"
            + "item_refunded,item_refunded_qty,item_meta,shipping_items,fee_items,tax_items,coupon_items,order_notes,"
            + "download_permissions_granted";
    private static final String[] WOO_STATUSES = {"completed", "processing", "on-hold", "completed", "refunded", "cancelled"};
    private static final int WOO_ITEMS_AN_ORDER = 3;

    static void write(Path customers, Path orders, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(customers)) {
            out.write(CUSTOMER_COLUMNS + "\n");
            for (int i = 1; i <= rows; i++) {
                out.write(String.format(Locale.ROOT, "import-%d@bench.example,Import Customer %d,Import,Customer %d,+1 212 555 %04d,%d,%d.%02d,%s,%s%n",
                        i, i, i, i % 10_000, i % 20, i % 5_000, i % 100, SEGMENTS[i % SEGMENTS.length], i % 3 == 0));
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(orders)) {
            out.write(ORDER_COLUMNS + "\n");
            for (int i = 1; i <= rows; i++) {
                long customer = 1 + (i * 7_919L) % rows;
                out.write(String.format(Locale.ROOT, "IMP-%d,import-%d@bench.example,2025-%02d-%02dT%02d:%02d:00Z,%d.%02d,USD,%s,\"%d Main Street, Apt %d\"%n",
                        i, customer, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 900, i % 100, STATUSES[i % STATUSES.length], i % 500, i % 7));
            }
        }
    }

    /**
     * {@code rows} item rows of that export, three to an order, each order a guest checkout (customer id 0) by one of the
     * customers of {@link #write} (billing email {@code import-<n>@bench.example}, their names and phone), its columns
     * repeated on each of its rows as the export repeats them.
     */
    static void writeWooPerItem(Path file, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(WOO_PER_ITEM_HEADER + "\n");
            for (int i = 0; i < rows; i++) {
                int order = i / WOO_ITEMS_AN_ORDER;
                long customer = 1 + (order * 7_919L) % rows;
                int quantity = 1 + i % 4;
                out.write(String.format(Locale.ROOT, "%d,%d,2025-%02d-%02d %02d:%02d:00,%s,5.00,0.00,0.00,0.00,0.00,0.00,%d.%02d,0.00,USD,stripe,"
                                + "Flat rate,0,Import,Customer %d,,import-%d@bench.example,+1 212 555 %04d,\"%d Main Street, Apt %d\",,10001,"
                                + "New York,NY,US,Import,Customer %d,\"%d Main Street, Apt %d\",,10001,New York,NY,US,,,%d,%d,Product %d,"
                                + "SKU-%d,%d.00,%d,%d.00,0.00,%d.00,0.00,0.00,0,,,,,,,1%n",
                        200_000 + order, 200_000 + order, 1 + order % 12, 1 + order % 28, order % 24, order % 60,
                        WOO_STATUSES[order % WOO_STATUSES.length], 5 + order % 900, order % 100, customer, customer, customer % 10_000,
                        order % 500, order % 7, customer, order % 500, order % 7, 900_000 + i, 1 + i % 50, i % 50, i % 50, 1 + i % 20,
                        quantity, quantity * (1 + i % 20), quantity * (1 + i % 20)));
            }
        }
    }
}
