package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revenue by month from new customers (counted orders placed in the month of the customer's first
 * counted order) and from returning ones (later months). Orders with no customer are in neither.
 */
final class NewVsReturningRevenue implements WidgetQuery {

    @Override
    public String name() {
        return "newVsReturningRevenue";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return "Revenue by month from new and from returning customers (lines newCustomers, returningCustomers)";
    }

    @Override
    public Set<String> reads(Args args) {
        return Orders.reads(args.filter());
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Select select = CustomerMonths.with(args, "o.m, sum(CASE WHEN o.m = f.first_m THEN o.amount ELSE 0 END) AS new_revenue, "
                + "sum(CASE WHEN o.m > f.first_m THEN o.amount ELSE 0 END) AS returning_revenue")
                .sql(" WHERE o.m >= ").bind(Orders.monthIndex(args.period().from())).sql(" GROUP BY o.m");
        Map<Integer, Map<String, Object>> byMonth = new HashMap<>();
        select.run(crm).forEach(row -> byMonth.put(((Number) row.get("m")).intValue(), row));
        List<String> labels = new ArrayList<>();
        List<Number> fresh = new ArrayList<>();
        List<Number> returning = new ArrayList<>();
        for (int month : CustomerMonths.months(args.period())) {
            Map<String, Object> row = byMonth.getOrDefault(month, Map.of());
            labels.add(CustomerMonths.label(month));
            fresh.add(Orders.money(row.get("new_revenue")));
            returning.add(Orders.money(row.get("returning_revenue")));
        }
        return new WidgetData.Series(labels, List.of(new WidgetData.Line("newCustomers", fresh),
                new WidgetData.Line("returningCustomers", returning)));
    }
}
