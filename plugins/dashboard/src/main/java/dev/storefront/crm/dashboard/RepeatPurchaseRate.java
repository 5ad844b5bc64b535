package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.api.query.SqlDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Repeat purchase rate by month: of the customers with a counted order placed by the end of the
 * month, the share with two or more by then.
 */
final class RepeatPurchaseRate implements WidgetQuery {

    @Override
    public String name() {
        return "repeatPurchaseRate";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return "Share of customers with 2+ counted orders by each month's end (lines repeatRate, customers, repeatCustomers)";
    }

    @Override
    public Set<String> reads(Args args) {
        return CustomerMonths.reads(args);
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        // By month: [customers whose first counted order is in it, customers whose second is].
        TreeMap<Integer, long[]> byMonth = new TreeMap<>();
        if (StoredMetrics.answer(args, crm)) {
            Select firsts = new Select().sql("SELECT " + Orders.monthOf("c.first_purchase_date") + " AS m, count(*) AS n "
                    + "FROM customers c WHERE c.first_purchase_date <= ").bind(args.period().to());
            args.filter().andCustomerMatches(firsts, "c");
            count(byMonth, 0, firsts.sql(" GROUP BY 1"), crm);
            count(byMonth, 1, secondsFromStoredMetrics(args, crm), crm);
        } else {
            Select ranked = Orders.localDay(new Select().sql("SELECT "), crm.dialect(), args.period().zone(), null, args.period().end())
                    .sql(" AS d, row_number() OVER (PARTITION BY o.customer_id ORDER BY o.order_date, o.id) AS nth");
            Orders.counted(ranked, crm, null, args.period().end(), true, args.filter());
            Select select = new Select().sql("SELECT nth - 1 AS which, " + Orders.monthOfDay(crm.dialect(), "d") + " AS m, count(*) AS n FROM (")
                    .append(ranked).sql(") ranked WHERE nth <= 2 GROUP BY 1, 2");
            for (Map<String, Object> row : select.run(crm)) {
                add(byMonth, ((Number) row.get("which")).intValue(), row);
            }
        }
        List<String> labels = new ArrayList<>();
        List<Number> rates = new ArrayList<>();
        List<Number> buyers = new ArrayList<>();
        List<Number> repeaters = new ArrayList<>();
        for (int month : CustomerMonths.months(args.period())) {
            long first = 0;
            long second = 0;
            for (long[] counts : byMonth.headMap(month, true).values()) {
                first += counts[0];
                second += counts[1];
            }
            labels.add(CustomerMonths.label(month));
            buyers.add(first);
            repeaters.add(second);
            rates.add(Orders.share(second, first));
        }
        return new WidgetData.Series(labels, List.of(new WidgetData.Line("repeatRate", rates),
                new WidgetData.Line("customers", buyers), new WidgetData.Line("repeatCustomers", repeaters)));
    }

    /**
     * Customers by the month of their second counted order, from the stored Total Orders and the
     * orders since the period's start: with b orders before the start, the second is before it (b >= 2:
     * counted in the period's first month, as in every later one), the first in the period (b = 1) or
     * the second in the period (b = 0).
     */
    private static Select secondsFromStoredMetrics(Args args, CrmContext crm) {
        Period period = args.period();
        SqlDialect dialect = crm.dialect();
        // One list of each customer's two smallest days before the end: two aggregates took 10-25% longer (bench/NOTES.md).
        Selection day = dialect.localDay("o.order_date", period.zone(), period.start().toInstant(), period.end().toInstant());
        Select since = Orders.isCounted(new Select().sql("SELECT o.customer_id, count(*) AS since, ")
                .embed(new Selection(dialect.smallest(day.sql(), 2), day.parameters())).sql(" FILTER (WHERE o.order_date < ").bind(period.end())
                .sql(") AS days FROM orders o WHERE "), crm).sql(" AND (o.order_date >= ").bind(period.start())
                .sql(" OR o.order_date IS NULL) AND o.customer_id IS NOT NULL GROUP BY o.customer_id");
        String first = dialect.element("s.days", 1);
        String second = dialect.element("s.days", 2);
        Select before = new Select().sql("SELECT c.total_orders - coalesce(s.since, 0) AS b, " + first + " AS first_day, " + second
                + " AS second_day FROM customers c LEFT JOIN (")
                .append(since).sql(") s ON s.customer_id = c.id WHERE c.total_orders >= 2");
        args.filter().andCustomerMatches(before, "c");
        return new Select().sql("SELECT CASE WHEN b >= 2 THEN ").bind(Orders.monthIndex(period.from()))
                .sql(" WHEN b = 1 THEN " + Orders.monthOfDay(dialect, "first_day") + " ELSE " + Orders.monthOfDay(dialect, "second_day")
                        + " END AS m, count(*) AS n FROM (").append(before)
                .sql(") t WHERE b >= 2 OR (b = 1 AND first_day IS NOT NULL) OR (b = 0 AND second_day IS NOT NULL) GROUP BY 1");
    }

    private static void count(TreeMap<Integer, long[]> byMonth, int which, Select select, CrmContext crm) {
        for (Map<String, Object> row : select.run(crm)) {
            add(byMonth, which, row);
        }
    }

    private static void add(TreeMap<Integer, long[]> byMonth, int which, Map<String, Object> row) {
        byMonth.computeIfAbsent(((Number) row.get("m")).intValue(), m -> new long[2])[which] += ((Number) row.get("n")).longValue();
    }
}
