package dev.storefront.crm.dashboard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The crafted store of the dashboard tests, as plain data: the test writes it through GraphQL and
 * computes every widget's numbers from it with {@link Expected}. It holds a month with no orders
 * (March), orders at local midnight and one second before it at a month end, an order on the
 * period's last day at 23:30 New York time (already May 1 in UTC) by a customer whose first order
 * it is, a cancelled order, a refund, an exchange, an order with no customer, orders before and
 * after the period, and a refund after it (widgets read stored lifetime values and must take it off).
 */
final class StoreData {

    record Customer(String key, String segment, String source) {
    }

    record Order(String number, String customer, OffsetDateTime at, BigDecimal total, String status) {
        boolean counted() {
            return !status.equals("Cancelled");
        }
    }

    record Return(String order, String customer, LocalDate date, String resolution, BigDecimal amount) {
    }

    record Campaign(String name, String channel, LocalDate launch) {
    }

    record Receipt(String campaign, String customer, boolean opened, BigDecimal revenue) {
    }

    /** R, F and M scores the model test gives some customers, and their predicted CLV. */
    record Scores(String customer, int r, int f, int m, BigDecimal predictedClv) {
    }

    static final LocalDate FROM = LocalDate.parse("2026-01-01");
    static final LocalDate TO = LocalDate.parse("2026-04-30");

    static final List<Customer> CUSTOMERS = List.of(new Customer("alice", "VIP", "Email"), new Customer("bob", "Loyal", "Social"),
            new Customer("cara", "VIP", "Paid Ads"), new Customer("dan", "New", "Email"), new Customer("eve", null, "Direct"),
            new Customer("finn", "At Risk", "Email"));

    static final List<Order> ORDERS = new ArrayList<>(List.of(
            order("D-1", "alice", "2025-12-31T23:30:00-05:00", "100.00", "Delivered"),
            order("D-2", "alice", "2026-01-01T00:00:00-05:00", "50.00", "Delivered"),
            order("D-3", "bob", "2026-01-31T23:59:59-05:00", "80.00", "Delivered"),
            order("D-4", "bob", "2026-02-01T00:00:00-05:00", "20.00", "Cancelled"),
            order("D-5", "cara", "2026-02-10T12:00:00-05:00", "200.00", "Refunded"),
            order("D-6", null, "2026-02-20T09:00:00-05:00", "30.00", "Delivered"),
            order("D-7", "alice", "2026-04-15T10:00:00-04:00", "70.00", "Shipped"),
            order("D-8", "bob", "2026-04-02T09:00:00-04:00", "25.00", "Pending"),
            order("D-9", "dan", "2026-04-30T23:30:00-04:00", "40.00", "Pending"),
            order("D-10", "finn", "2025-11-20T10:00:00-05:00", "60.00", "Delivered"),
            order("D-11", "cara", "2026-05-01T00:00:00-04:00", "999.00", "Delivered")));

    static final List<Return> RETURNS = List.of(
            new Return("D-5", "cara", LocalDate.parse("2026-02-15"), "Refund", new BigDecimal("200.00")),
            new Return("D-7", "alice", LocalDate.parse("2026-04-20"), "Exchange", new BigDecimal("70.00")),
            new Return("D-10", "finn", LocalDate.parse("2025-12-01"), "Refund", new BigDecimal("10.00")),
            new Return("D-3", "bob", LocalDate.parse("2026-05-03"), "Refund", new BigDecimal("30.00")));

    static final List<Campaign> CAMPAIGNS = List.of(new Campaign("Winter Sale", "Email", LocalDate.parse("2026-01-10")),
            new Campaign("Old Promo", "SMS", LocalDate.parse("2025-12-01")),
            new Campaign("Spring Teaser", "Social", LocalDate.parse("2026-04-30")));

    static final List<Receipt> RECEIPTS = List.of(new Receipt("Winter Sale", "alice", true, new BigDecimal("50.00")),
            new Receipt("Winter Sale", "bob", false, new BigDecimal("0.00")),
            new Receipt("Winter Sale", "cara", true, new BigDecimal("30.00")),
            new Receipt("Old Promo", "alice", true, new BigDecimal("5.00")));

    static final List<Scores> SCORES = List.of(new Scores("alice", 5, 4, 3, new BigDecimal("300.00")),
            new Scores("bob", 3, 2, 2, new BigDecimal("120.50")), new Scores("cara", 5, 5, 5, new BigDecimal("800.00")),
            new Scores("dan", 5, 1, 1, new BigDecimal("45.25")));

    private StoreData() {
    }

    static Order order(String number, String customer, String at, String total, String status) {
        return new Order(number, customer, OffsetDateTime.parse(at), new BigDecimal(total), status);
    }

    static Customer customer(String key) {
        return CUSTOMERS.stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
    }
}
