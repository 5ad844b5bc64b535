package dev.storefront.crm.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A whole demo store in memory. Records point at each other by list index (an order's
 * {@code customer} is an index into {@link #customers()}); the writer turns indexes into the ids
 * the rows receive.
 */
record DemoData(
        List<Company> companies,
        List<Product> products,
        List<Customer> customers,
        List<Order> orders,
        List<OrderItem> orderItems,
        List<Campaign> campaigns,
        List<Recipient> recipients,
        List<OrderReturn> returns,
        List<Ticket> tickets) {

    record Company(String name, String accountType, String creditTerms) {
    }

    record Product(String name, String sku, BigDecimal price, String category, String status) {
    }

    /** Who a customer is, decided before anything is bought. */
    record Person(String firstName, String lastName, String email, String phone, Integer company,
                  boolean acceptsMarketing, String source, String address, String note) {

        String fullName() {
            return firstName + " " + lastName;
        }
    }

    /** What a customer's orders add up to on a given day; zero orders leave the dates null. */
    record PurchaseStats(int orders, BigDecimal lifetimeValue, LocalDate firstPurchase, LocalDate lastPurchase) {

        BigDecimal averageOrderValue() {
            return orders == 0 ? null : lifetimeValue.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP);
        }
    }

    /** @param stats what the generator planned, which steers segment and tags; the stored metrics are the engine's */
    record Customer(Person person, PurchaseStats stats, String segment, List<String> tags) {
    }

    record Order(int customer, String number, OffsetDateTime placedAt, BigDecimal total, String status,
                 String items, String shippingAddress, OffsetDateTime deliveredAt) {
    }

    record OrderItem(int order, int product, int quantity, BigDecimal unitPrice) {

        BigDecimal lineTotal() {
            return unitPrice.multiply(BigDecimal.valueOf(quantity));
        }
    }

    record Campaign(String name, String segment, String channel, LocalDate launch, String offer,
                    int targeted, BigDecimal openRate, BigDecimal revenue) {
    }

    record Recipient(int campaign, int customer, OffsetDateTime sentAt, boolean opened, BigDecimal revenue) {
    }

    record OrderReturn(int order, int customer, LocalDate date, String reason, String resolution, String status,
                       BigDecimal amount) {
    }

    /** @param order null for a question asked before or apart from any order */
    record Ticket(int customer, Integer order, String subject, String priority, String status,
                  OffsetDateTime openedAt, OffsetDateTime resolvedAt) {
    }
}
