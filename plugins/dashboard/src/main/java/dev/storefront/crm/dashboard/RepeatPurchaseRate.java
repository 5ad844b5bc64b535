package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
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
        return Orders.reads(args.filter());
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Select ranked = Orders.localMonth(new Select().sql("SELECT "), args.period().zone())
                .sql(" AS m, row_number() OVER (PARTITION BY o.customer_id ORDER BY o.order_date, o.id) AS n");
        Orders.counted(ranked, null, args.period().end(), true, args.filter());
        Select select = new Select().sql("SELECT m, sum(CASE WHEN n = 1 THEN 1 ELSE 0 END) AS firsts, "
                + "sum(CASE WHEN n = 2 THEN 1 ELSE 0 END) AS seconds FROM (").append(ranked).sql(") ranked WHERE n <= 2 GROUP BY m");
        TreeMap<Integer, long[]> byMonth = new TreeMap<>();
        for (Map<String, Object> row : select.run(crm)) {
            byMonth.put(((Number) row.get("m")).intValue(),
                    new long[] {((Number) row.get("firsts")).longValue(), ((Number) row.get("seconds")).longValue()});
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
}
