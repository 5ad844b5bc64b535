package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two widgets by customer segment, largest first (ties by name; customers without a segment as
 * "No segment"): {@code customersBySegment} counts the customers as they are now, with each
 * segment's share; {@code revenueBySegment} the period's revenue of counted orders by the segment
 * of their customer, with orders and share of revenue.
 */
final class SegmentShares implements WidgetQuery {

    static final String NO_SEGMENT = "No segment";

    private final boolean revenue;

    private SegmentShares(boolean revenue) {
        this.revenue = revenue;
    }

    static SegmentShares customers() {
        return new SegmentShares(false);
    }

    static SegmentShares revenue() {
        return new SegmentShares(true);
    }

    @Override
    public String name() {
        return revenue ? "revenueBySegment" : "customersBySegment";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return revenue ? "Revenue of the period by customer segment (lines revenue, orders, share)"
                : "Customers by segment now (lines customers, share)";
    }

    @Override
    public Set<String> reads(Args args) {
        return revenue ? Set.of("orders", "customers") : Set.of("customers");
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        Select select;
        if (revenue) {
            select = new Select().sql("SELECT c.customer_segment AS segment, sum(o.total_amount) AS amount, count(*) AS orders FROM (SELECT o.customer_id, o.total_amount")
                    .append(Orders.counted(new Select(), crm, args.period().start(), args.period().end(), false, args.filter()))
                    .sql(") o LEFT JOIN customers c ON c.id = o.customer_id GROUP BY 1");
        } else {
            select = new Select().sql("SELECT c.customer_segment AS segment, count(*) AS amount, count(*) AS orders FROM customers c WHERE 1 = 1");
            args.filter().andCustomerMatches(select, "c");
            select.sql(" GROUP BY 1");
        }
        List<Map<String, Object>> rows = new ArrayList<>(select.run(crm));
        rows.sort(Comparator.comparing((Map<String, Object> r) -> Orders.money(r.get("amount"))).reversed()
                .thenComparing(r -> label(r.get("segment"))));
        BigDecimal total = rows.stream().map(r -> Orders.money(r.get("amount"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<String> labels = new ArrayList<>();
        List<Number> amounts = new ArrayList<>();
        List<Number> orders = new ArrayList<>();
        List<Number> shares = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            labels.add(label(row.get("segment")));
            BigDecimal amount = Orders.money(row.get("amount"));
            amounts.add(revenue ? amount : amount.longValueExact());
            orders.add(((Number) row.get("orders")).longValue());
            shares.add(Orders.share(amount.doubleValue(), total.doubleValue()));
        }
        return revenue
                ? new WidgetData.Series(labels, List.of(new WidgetData.Line("revenue", amounts),
                        new WidgetData.Line("orders", orders), new WidgetData.Line("share", shares)))
                : new WidgetData.Series(labels, List.of(new WidgetData.Line("customers", amounts), new WidgetData.Line("share", shares)));
    }

    private static String label(Object segment) {
        return segment == null ? NO_SEGMENT : segment.toString();
    }
}
