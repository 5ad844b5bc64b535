package dev.storefront.crm.dashboard;

import java.util.Set;

/**
 * Lifetime value as of the period's end, per customer with a counted order by then: the totals of
 * their counted orders placed before the end, minus the amounts of their returns resolved as Refund
 * with a return date up to the period's last day (the definition of the customer field Lifetime
 * Value, computed here from orders and returns so a widget never reads a stale total).
 */
final class LifetimeValues {

    private LifetimeValues() {
    }

    /** {@code SELECT customer_id, orders, ltv} of every customer the filter lets through. */
    static Select select(Args args) {
        Select spent = Orders.counted(new Select().sql("SELECT o.customer_id, count(*) AS orders, sum(o.total_amount) AS gross"),
                null, args.period().end(), true, args.filter()).sql(" GROUP BY o.customer_id");
        Select refunded = Orders.refunds(new Select().sql("SELECT r.customer_id, sum(r.amount) AS refunds"),
                null, args.period().to(), args.filter()).sql(" GROUP BY r.customer_id");
        return new Select().sql("SELECT s.customer_id, s.orders, s.gross - coalesce(f.refunds, 0) AS ltv FROM (").append(spent)
                .sql(") s LEFT JOIN (").append(refunded).sql(") f ON f.customer_id = s.customer_id");
    }

    static Set<String> reads(Args args) {
        return Orders.reads(args.filter(), "returns");
    }
}
