package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.api.query.SqlDialect;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL every order widget shares, and the definitions behind it. Counted orders are the orders
 * the customers' Total Orders counts, as the host defines that rollup (status not Cancelled in the default
 * model, an order with no status counting); revenue is the sum of their totals;
 * refunds are the amounts of the returns the customers' Refunded Amount sums, as the host defines that
 * rollup (resolution Refund in the default model), dated by their return date.
 */
final class Orders {

    /** The condition of a model whose Total Orders counts every order. */
    private static final Selection EVERY_ORDER = new Selection("TRUE", List.of());
    /** The condition of a model with no Refunded Amount: no return is a refund. */
    private static final Selection NO_REFUND = new Selection("FALSE", List.of());

    private Orders() {
    }

    /**
     * {@code FROM orders o WHERE} counted orders placed in [start, end) (either may be null: open),
     * that have a customer when {@code withCustomer}, of the filter's shops and customers.
     */
    static Select counted(Select select, CrmContext crm, OffsetDateTime start, OffsetDateTime end, boolean withCustomer, CustomerFilter filter) {
        isCounted(select.sql(" FROM orders o WHERE "), crm);
        if (start != null) {
            select.sql(" AND o.order_date >= ").bind(start);
        }
        if (end != null) {
            select.sql(" AND o.order_date < ").bind(end);
        }
        if (withCustomer) {
            select.sql(" AND o.customer_id IS NOT NULL");
        }
        filter.andOwnShopAndCustomerIn(select, "o");
        return select;
    }

    /** The condition, on {@code orders o}, that the order is counted: the host's condition of the customers' Total Orders. */
    static Select isCounted(Select select, CrmContext crm) {
        return select.sql("(").embed(crm.rollupCondition("customers", "total_orders").orElse(EVERY_ORDER)).sql(")");
    }

    /**
     * The order's local day in the zone, as a day number ({@link LocalDate#ofEpochDay}), for orders
     * placed from {@code start} (null: any time) to {@code end}, as the host reckons local days.
     */
    static Select localDay(Select select, SqlDialect dialect, ZoneId zone, OffsetDateTime start, OffsetDateTime end) {
        return select.embed(dialect.localDay("o.order_date", zone, start == null ? null : start.toInstant(), end.toInstant()));
    }

    /** The month, as {@link #monthIndex(LocalDate)}, of a column holding a day number of {@link #localDay}. */
    static String monthOfDay(SqlDialect dialect, String dayColumn) {
        return monthOf(dialect.plusDays("DATE '1970-01-01'", dayColumn));
    }

    /** The month, as {@link #monthIndex(LocalDate)}, of a date column. */
    static String monthOf(String dateColumn) {
        return "(EXTRACT(YEAR FROM " + dateColumn + ") * 12 + EXTRACT(MONTH FROM " + dateColumn + ") - 1)";
    }

    static int monthIndex(LocalDate day) {
        return day.getYear() * 12 + day.getMonthValue() - 1;
    }

    static LocalDate monthStart(int index) {
        return LocalDate.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1, 1);
    }

    /** The condition, on {@code returns r}, that the return is a refund: the host's condition of the customers' Refunded Amount. */
    static Select isRefund(Select select, CrmContext crm) {
        return select.sql("(").embed(crm.rollupCondition("customers", "refunded_amount").orElse(NO_REFUND)).sql(")");
    }

    /**
     * {@code FROM returns r WHERE} refunds with a return date from {@code from} to {@code to} (from may be
     * null: open), of the filter's shops and customers.
     */
    static Select refunds(Select select, CrmContext crm, LocalDate from, LocalDate to, CustomerFilter filter) {
        isRefund(select.sql(" FROM returns r WHERE "), crm);
        if (from != null) {
            select.sql(" AND r.return_date >= ").bind(from);
        }
        select.sql(" AND r.return_date <= ").bind(to);
        filter.andOwnShopAndCustomerIn(select, "r");
        return select;
    }

    /** The objects an order widget reads: orders, and customers when it filters by them. */
    static Set<String> reads(CustomerFilter filter, String... more) {
        Set<String> reads = new HashSet<>(Set.of(more));
        reads.add("orders");
        if (!filter.isEmpty()) {
            reads.add("customers");
        }
        return reads;
    }

    static BigDecimal money(Object value) {
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.toString());
    }

    /** An amount as text to the cent: 1234.50. */
    static String cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** An amount divided by a count, to the cent (half up); null when the count is 0. */
    static BigDecimal perEach(BigDecimal amount, long count) {
        return count == 0 ? null : amount.divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
    }

    /** A share of a whole, as a fraction (0.25 for a quarter); null when the whole is 0. */
    static Double share(double part, double whole) {
        return whole == 0 ? null : part / whole;
    }
}
