package dev.storefront.crm.dashboard;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The month widgets' shared data: every counted order with a customer placed before the period's
 * end, with its local month (as {@link Orders#monthIndex}), joined to the customer's first month
 * (the month of their first counted order ever).
 */
final class CustomerMonths {

    private CustomerMonths() {
    }

    /**
     * {@code WITH o AS (customer_id, m, amount), f AS (customer_id, first_m) } followed by
     * {@code SELECT ... FROM o JOIN f ON f.customer_id = o.customer_id}: the caller adds its select list
     * through {@code columns} and anything after the join.
     */
    static Select with(Args args, String columns) {
        Select orders = Orders.localMonth(new Select().sql("SELECT o.customer_id, "), args.period().zone())
                .sql(" AS m, o.total_amount AS amount");
        Orders.counted(orders, null, args.period().end(), true, args.filter());
        return new Select().sql("WITH o AS (").append(orders)
                .sql("), f AS (SELECT customer_id, min(m) AS first_m FROM o GROUP BY customer_id) SELECT " + columns
                        + " FROM o JOIN f ON f.customer_id = o.customer_id");
    }

    /** The month indexes of the period, first to last. */
    static List<Integer> months(Period period) {
        List<Integer> months = new ArrayList<>();
        for (int m = Orders.monthIndex(period.from()); m <= Orders.monthIndex(period.to()); m++) {
            months.add(m);
        }
        return months;
    }

    static String label(int month) {
        LocalDate start = Orders.monthStart(month);
        return Granularity.MONTH.label(start);
    }
}
