package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One number of the period beside the same number for the period of equal length just before it:
 * revenue, net revenue (minus refunds), counted orders, average order value (revenue / orders, to
 * the cent) or new customers (customers whose first counted order ever falls in the period).
 */
final class KpiStat implements WidgetQuery {

    enum Metric { REVENUE, NET_REVENUE, ORDERS, AVERAGE_ORDER_VALUE, NEW_CUSTOMERS }

    @Override
    public String name() {
        return "kpi";
    }

    @Override
    public String resultType() {
        return "Stat";
    }

    @Override
    public String description() {
        return "A number of the period and of the period of equal length before it, with the change";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.choice("metric", "StatMetric = REVENUE", Metric.class));
    }

    @Override
    public Set<String> reads(Args args) {
        return switch (metric(args)) {
            case NET_REVENUE -> Orders.reads(args.filter(), "returns");
            case NEW_CUSTOMERS -> Orders.reads(args.filter(), "customers");
            default -> Orders.reads(args.filter());
        };
    }

    private static Metric metric(Args args) {
        return Metric.valueOf(args.options().getOrDefault("metric", Metric.REVENUE.name()).toString());
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Metric metric = metric(args);
        Number[] values = metric == Metric.NEW_CUSTOMERS ? newCustomers(args, crm) : orderNumbers(args, metric, crm);
        Double change = values[1] == null || values[0] == null || values[1].doubleValue() == 0 ? null
                : new BigDecimal(values[0].toString()).doubleValue() / new BigDecimal(values[1].toString()).doubleValue() - 1;
        return new WidgetData.Stat(values[0], values[1], change, args.period());
    }

    /** [this period, the previous one]. */
    private static Number[] orderNumbers(Args args, Metric metric, CrmContext crm) {
        Period period = args.period();
        Period previous = period.previous();
        long[] orders = new long[2];
        BigDecimal[] revenue = {BigDecimal.ZERO, BigDecimal.ZERO};
        // Each period a plain count and sum over its own orders, joined by UNION ALL: aggregates with a
        // FILTER test the condition on every order of both periods once per aggregate, which took three
        // times as long on 10M orders (bench/NOTES.md).
        Select select = new Select().sql("SELECT 0 AS which, count(*) AS orders, sum(o.total_amount) AS revenue");
        Orders.counted(select, crm, period.start(), period.end(), false, args.filter());
        select.sql(" UNION ALL SELECT 1, count(*), sum(o.total_amount)");
        Orders.counted(select, crm, previous.start(), period.start(), false, args.filter());
        for (Map<String, Object> row : select.run(crm)) {
            int which = ((Number) row.get("which")).intValue();
            orders[which] = ((Number) row.get("orders")).longValue();
            revenue[which] = Orders.money(row.get("revenue"));
        }
        if (metric == Metric.NET_REVENUE) {
            Select refunds = new Select().sql("SELECT CASE WHEN r.return_date >= ").bind(period.from())
                    .sql(" THEN 0 ELSE 1 END AS which, sum(r.amount) AS refunds");
            Orders.refunds(refunds, crm, previous.from(), period.to(), args.filter()).sql(" GROUP BY 1");
            for (Map<String, Object> row : refunds.run(crm)) {
                int which = ((Number) row.get("which")).intValue();
                revenue[which] = revenue[which].subtract(Orders.money(row.get("refunds")));
            }
        }
        return switch (metric) {
            case ORDERS -> new Number[] {orders[0], orders[1]};
            case AVERAGE_ORDER_VALUE -> new Number[] {Orders.perEach(revenue[0], orders[0]), Orders.perEach(revenue[1], orders[1])};
            default -> new Number[] {revenue[0], revenue[1]};
        };
    }

    /** Customers whose first counted order falls in [this period, the previous one]. */
    private static Number[] newCustomers(Args args, CrmContext crm) {
        Period period = args.period();
        Select select;
        if (StoredMetrics.answer(args, crm)) {
            select = new Select().sql("SELECT CASE WHEN c.first_purchase_date >= ").bind(period.from())
                    .sql(" THEN 0 ELSE 1 END AS which, count(*) AS customers FROM customers c WHERE c.first_purchase_date >= ")
                    .bind(period.previous().from()).sql(" AND c.first_purchase_date <= ").bind(period.to());
            args.filter().andCustomerMatches(select, "c");
        } else {
            Select firsts = new Select().sql("SELECT o.customer_id, min(o.order_date) AS first_at");
            Orders.counted(firsts, crm, null, period.end(), true, args.filter()).sql(" GROUP BY o.customer_id");
            select = new Select().sql("SELECT CASE WHEN f.first_at >= ").bind(period.start())
                    .sql(" THEN 0 ELSE 1 END AS which, count(*) AS customers FROM (");
            select.append(firsts).sql(") f WHERE f.first_at >= ").bind(period.previous().start());
        }
        long[] customers = new long[2];
        for (Map<String, Object> row : select.sql(" GROUP BY 1").run(crm)) {
            customers[((Number) row.get("which")).intValue()] = ((Number) row.get("customers")).longValue();
        }
        return new Number[] {customers[0], customers[1]};
    }
}
