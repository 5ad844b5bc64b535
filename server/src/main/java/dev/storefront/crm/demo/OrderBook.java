package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.Order;
import dev.storefront.crm.demo.DemoData.OrderItem;
import dev.storefront.crm.demo.DemoData.OrderReturn;
import dev.storefront.crm.demo.DemoData.PurchaseStats;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The generated orders with their lines and returns, looked up by customer. Customer totals and
 * campaign audiences are both read from here, so they cannot disagree with the orders.
 */
final class OrderBook {

    private final List<Order> orders;
    private final List<OrderItem> items;
    private final List<OrderReturn> returns;
    private final List<List<Integer>> byCustomer;
    private final int[] returnedByCustomer;

    /** @param orders in time order, which each customer's list of orders keeps */
    OrderBook(int customers, List<Order> orders, List<OrderItem> items, List<OrderReturn> returns) {
        this.orders = List.copyOf(orders);
        this.items = List.copyOf(items);
        this.returns = List.copyOf(returns);
        this.byCustomer = new ArrayList<>(customers);
        for (int i = 0; i < customers; i++) {
            byCustomer.add(new ArrayList<>());
        }
        for (int i = 0; i < orders.size(); i++) {
            byCustomer.get(orders.get(i).customer()).add(i);
        }
        this.returnedByCustomer = new int[customers];
        returns.forEach(r -> returnedByCustomer[r.customer()]++);
    }

    List<Order> orders() {
        return orders;
    }

    List<OrderItem> items() {
        return items;
    }

    List<OrderReturn> returns() {
        return returns;
    }

    Order order(int index) {
        return orders.get(index);
    }

    /** How many orders were placed before {@code day} began: they are the first ones, as orders are in time order. */
    int placedBefore(LocalDate day) {
        int count = 0;
        while (count < orders.size() && orders.get(count).placedAt().toLocalDate().isBefore(day)) {
            count++;
        }
        return count;
    }

    /** Indexes of the customer's orders, oldest first. */
    List<Integer> ordersOf(int customer) {
        return byCustomer.get(customer);
    }

    /** Orders of the customer that were returned; an order is returned at most once. */
    int returnedOrders(int customer) {
        return returnedByCustomer[customer];
    }

    PurchaseStats stats(int customer) {
        return statsBefore(customer, LocalDate.MAX);
    }

    /** What the customer had bought before {@code day} began. */
    PurchaseStats statsBefore(int customer, LocalDate day) {
        int count = 0;
        BigDecimal value = BigDecimal.ZERO;
        LocalDate first = null;
        LocalDate last = null;
        for (int index : byCustomer.get(customer)) {
            Order order = orders.get(index);
            LocalDate placed = order.placedAt().toLocalDate();
            if (!placed.isBefore(day)) {
                break;
            }
            count++;
            value = value.add(order.total());
            first = first == null ? placed : first;
            last = placed;
        }
        return new PurchaseStats(count, value, first, last);
    }

    /** The customer's first order placed from {@code from} until {@code until}, both included. */
    Optional<Order> firstOrderBetween(int customer, OffsetDateTime from, OffsetDateTime until) {
        return byCustomer.get(customer).stream().map(orders::get)
                .filter(o -> !o.placedAt().isBefore(from) && !o.placedAt().isAfter(until))
                .findFirst();
    }
}
