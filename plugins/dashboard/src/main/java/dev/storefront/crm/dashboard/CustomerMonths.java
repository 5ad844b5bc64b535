package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The month widgets' shared data: counted orders with a customer placed before the period's end, with
 * their local month (as {@link Orders#monthIndex}), joined to the customer's first month (the month
 * of their first counted order ever).
 */
final class CustomerMonths {

    private CustomerMonths() {
    }

    /**
     * {@code WITH o AS (customer_id, m, amount), f AS (customer_id, first_m) } followed by
     * {@code SELECT ... FROM o JOIN f ON f.customer_id = o.customer_id}: the caller adds its select
     * list through {@code columns} and anything after the join. Only customers whose first month is in
     * the period are asked about. With the stored metrics, {@code o} holds the orders from the period's
     * first month on and {@code f} those customers; otherwise {@code o} holds every order before the end
     * and {@code f} every customer in it.
     */
    static Select with(Args args, CrmContext crm, String columns) {
        Period period = args.period();
        boolean stored = StoredMetrics.answer(args, crm);
        LocalDate firstMonth = period.from().withDayOfMonth(1);
        OffsetDateTime start = stored ? firstMonth.atStartOfDay(period.zone()).toOffsetDateTime() : null;
        Select days = Orders.localDay(new Select().sql("SELECT o.customer_id, "), crm.dialect(), period.zone(), start, period.end())
                .sql(" AS d, o.total_amount AS amount");
        Orders.counted(days, crm, start, period.end(), true, args.filter());
        Select with = new Select().sql("WITH o AS (SELECT customer_id, " + Orders.monthOfDay(crm.dialect(), "d") + " AS m, amount FROM (")
                .append(days).sql(") days), f AS (");
        if (stored) {
            with.sql("SELECT c.id AS customer_id, " + Orders.monthOf("c.first_purchase_date") + " AS first_m FROM customers c "
                    + "WHERE c.first_purchase_date >= ").bind(firstMonth).sql(" AND c.first_purchase_date <= ").bind(period.to());
        } else {
            with.sql("SELECT customer_id, min(m) AS first_m FROM o GROUP BY customer_id");
        }
        return with.sql(") SELECT " + columns + " FROM o JOIN f ON f.customer_id = o.customer_id");
    }

    /** What a widget over {@link #with} reads. */
    static Set<String> reads(Args args) {
        return Orders.reads(args.filter(), "customers");
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
