package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.util.Set;

/**
 * Lifetime value as of the period's end, per customer with a counted order by then: the totals of
 * their counted orders placed before the end, minus the amounts of their returns resolved as Refund
 * with a return date up to the period's last day (the definition of the customer field Lifetime
 * Value, as of a day).
 */
final class LifetimeValues {

    private LifetimeValues() {
    }

    /** {@code SELECT customer_id, orders, ltv} of every customer the filter lets through. */
    static Select select(Args args, CrmContext crm) {
        return StoredMetrics.answer(args, crm) ? fromStoredMetrics(args, crm) : fromOrders(args, crm);
    }

    /**
     * The stored Total Orders and Lifetime Value, less the counted orders placed after the period (or
     * with no date) and plus the refunds dated after it (or undated): those are few for a recent period.
     */
    private static Select fromStoredMetrics(Args args, CrmContext crm) {
        Select later = Orders.isCounted(new Select().sql("SELECT o.customer_id, count(*) AS orders, sum(o.total_amount) AS gross FROM orders o "
                + "WHERE "), crm).sql(" AND (o.order_date >= ")
                .bind(args.period().end()).sql(" OR o.order_date IS NULL) AND o.customer_id IS NOT NULL GROUP BY o.customer_id");
        Select laterRefunds = Orders.isRefund(new Select().sql("SELECT r.customer_id, sum(r.amount) AS refunds FROM returns r WHERE "), crm)
                .sql(" AND (r.return_date > ").bind(args.period().to()).sql(" OR r.return_date IS NULL) GROUP BY r.customer_id");
        Select select = new Select().sql("SELECT c.id AS customer_id, c.total_orders - coalesce(a.orders, 0) AS orders, "
                + "c.lifetime_value - coalesce(a.gross, 0) + coalesce(f.refunds, 0) AS ltv FROM customers c LEFT JOIN (").append(later)
                .sql(") a ON a.customer_id = c.id LEFT JOIN (").append(laterRefunds)
                .sql(") f ON f.customer_id = c.id WHERE c.total_orders - coalesce(a.orders, 0) > 0");
        args.filter().andCustomerMatches(select, "c");
        return select;
    }

    private static Select fromOrders(Args args, CrmContext crm) {
        Select spent = Orders.counted(new Select().sql("SELECT o.customer_id, count(*) AS orders, sum(o.total_amount) AS gross"), crm,
                null, args.period().end(), true, args.filter()).sql(" GROUP BY o.customer_id");
        Select refunded = Orders.refunds(new Select().sql("SELECT r.customer_id, sum(r.amount) AS refunds"), crm,
                null, args.period().to(), args.filter()).sql(" GROUP BY r.customer_id");
        return new Select().sql("SELECT s.customer_id, s.orders, s.gross - coalesce(f.refunds, 0) AS ltv FROM (").append(spent)
                .sql(") s LEFT JOIN (").append(refunded).sql(") f ON f.customer_id = s.customer_id");
    }

    static Set<String> reads(Args args) {
        return Orders.reads(args.filter(), "returns", "customers");
    }
}
