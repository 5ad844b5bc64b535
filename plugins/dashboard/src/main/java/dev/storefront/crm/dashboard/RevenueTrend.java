package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revenue, refunds, net revenue, counted orders and average order value (revenue / orders) per day,
 * week, month or quarter of the period. Orders fall in the bucket of their local date; refunds in
 * the bucket of their return date.
 */
final class RevenueTrend implements WidgetQuery {

    private static final int ORDERS = 0;
    private static final int REVENUE = 1;
    private static final int REFUNDS = 2;

    @Override
    public String name() {
        return "revenueTrend";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return "Revenue, refunds, net revenue, orders and average order value per bucket (lines revenue, refunds, netRevenue, orders, averageOrderValue)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.granularity());
    }

    @Override
    public Set<String> reads(Args args) {
        return Orders.reads(args.filter(), "returns");
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Period period = args.period();
        Buckets buckets = new Buckets(args.granularity(), period, 3);
        Select orders = Orders.localDay(new Select().sql("SELECT "), crm.dialect(), period.zone(), period.start(), period.end())
                .sql(" AS day, count(*) AS orders, sum(o.total_amount) AS revenue");
        Orders.counted(orders, crm, period.start(), period.end(), false, args.filter()).sql(" GROUP BY 1");
        for (Map<String, Object> row : orders.run(crm)) {
            LocalDate day = LocalDate.ofEpochDay(((Number) row.get("day")).longValue());
            buckets.add(day, ORDERS, row.get("orders"));
            buckets.add(day, REVENUE, row.get("revenue"));
        }
        Select refunds = new Select().sql("SELECT r.return_date AS day, sum(r.amount) AS refunds");
        Orders.refunds(refunds, crm, period.from(), period.to(), args.filter()).sql(" GROUP BY 1");
        for (Map<String, Object> row : refunds.run(crm)) {
            buckets.add((LocalDate) row.get("day"), REFUNDS, row.get("refunds"));
        }
        List<BigDecimal> revenue = buckets.measure(REVENUE);
        List<BigDecimal> refunded = buckets.measure(REFUNDS);
        List<BigDecimal> orderCounts = buckets.measure(ORDERS);
        List<Number> net = new ArrayList<>();
        List<Number> count = new ArrayList<>();
        List<Number> average = new ArrayList<>();
        for (int i = 0; i < revenue.size(); i++) {
            long n = orderCounts.get(i).longValueExact();
            net.add(revenue.get(i).subtract(refunded.get(i)));
            count.add(n);
            average.add(Orders.perEach(revenue.get(i), n));
        }
        return new WidgetData.Series(buckets.labels(), List.of(new WidgetData.Line("revenue", List.copyOf(revenue)),
                new WidgetData.Line("refunds", List.copyOf(refunded)), new WidgetData.Line("netRevenue", net),
                new WidgetData.Line("orders", count), new WidgetData.Line("averageOrderValue", average)));
    }
}
