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
}
