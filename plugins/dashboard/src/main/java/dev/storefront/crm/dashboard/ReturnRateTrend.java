package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Return rate per bucket: of the counted orders placed in the bucket, the share with at least one
 * return (the definition of the customer field Return Rate, over orders instead of one customer).
 */
final class ReturnRateTrend implements WidgetQuery {

    @Override
    public String name() {
        return "returnRateTrend";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return "Share of counted orders with a return, per bucket (lines returnRate, orders, returnedOrders)";
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
        Buckets buckets = new Buckets(args.granularity(), period, 2);
        Select select = Orders.localDay(new Select().sql("SELECT "), crm.dialect(), period.zone(), period.start(), period.end()).sql(" AS day, count(*) AS orders, "
                + "sum(CASE WHEN o.id IN (SELECT r.order_id FROM returns r) THEN 1 ELSE 0 END) AS returned");
        Orders.counted(select, crm, period.start(), period.end(), false, args.filter()).sql(" GROUP BY 1");
        for (Map<String, Object> row : select.run(crm)) {
            LocalDate day = LocalDate.ofEpochDay(((Number) row.get("day")).longValue());
            buckets.add(day, 0, row.get("orders"));
            buckets.add(day, 1, row.get("returned"));
        }
        List<BigDecimal> orders = buckets.measure(0);
        List<BigDecimal> returned = buckets.measure(1);
        List<Number> rates = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            rates.add(Orders.share(returned.get(i).doubleValue(), orders.get(i).doubleValue()));
        }
        return new WidgetData.Series(buckets.labels(), List.of(new WidgetData.Line("returnRate", rates),
                new WidgetData.Line("orders", longs(orders)), new WidgetData.Line("returnedOrders", longs(returned))));
    }

    static List<Number> longs(List<BigDecimal> values) {
        return values.stream().<Number>map(BigDecimal::longValueExact).toList();
    }
}
