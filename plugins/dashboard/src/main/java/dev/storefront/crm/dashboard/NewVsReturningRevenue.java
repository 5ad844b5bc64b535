package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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
        return CustomerMonths.reads(args);
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Period period = args.period();
        int firstMonth = Orders.monthIndex(period.from());
        // The orders in their customer's first month, by a join to the customers' first months; the rest of a
        // month's revenue from customers is returning. Summing both sides through the join takes several times longer.
        Select fresh = CustomerMonths.with(args, crm, "o.m, sum(o.amount) AS revenue")
                .sql(" WHERE o.m = f.first_m AND o.m >= ").bind(firstMonth).sql(" GROUP BY o.m");
        Map<Integer, BigDecimal> news = new HashMap<>();
        fresh.run(crm).forEach(row -> news.put(((Number) row.get("m")).intValue(), Orders.money(row.get("revenue"))));
        OffsetDateTime start = Orders.monthStart(firstMonth).atStartOfDay(period.zone()).toOffsetDateTime();
        Select all = Orders.localDay(new Select().sql("SELECT "), crm.dialect(), period.zone(), start, period.end()).sql(" AS day, sum(o.total_amount) AS revenue");
        Orders.counted(all, crm, start, period.end(), true, args.filter()).sql(" GROUP BY 1");
        Map<Integer, BigDecimal> totals = new HashMap<>();
        for (Map<String, Object> row : all.run(crm)) {
            totals.merge(Orders.monthIndex(LocalDate.ofEpochDay(((Number) row.get("day")).longValue())), Orders.money(row.get("revenue")),
                    BigDecimal::add);
        }
        List<String> labels = new ArrayList<>();
        List<Number> newRevenue = new ArrayList<>();
        List<Number> returning = new ArrayList<>();
        for (int month : CustomerMonths.months(period)) {
            BigDecimal fromNew = news.getOrDefault(month, BigDecimal.ZERO);
            labels.add(CustomerMonths.label(month));
            newRevenue.add(fromNew);
            returning.add(totals.getOrDefault(month, BigDecimal.ZERO).subtract(fromNew));
        }
        return new WidgetData.Series(labels, List.of(new WidgetData.Line("newCustomers", newRevenue),
                new WidgetData.Line("returningCustomers", returning)));
    }
}
