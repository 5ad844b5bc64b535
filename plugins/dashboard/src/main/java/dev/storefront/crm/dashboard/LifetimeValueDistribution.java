package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many customers have a lifetime value (as of the period's end) in each bucket. Edges
 * e1 < e2 < ... < ek make k + 1 buckets: under e1, e1 to e2 (e2 not included), ..., ek and more.
 * Given no edges, there are {@code buckets} buckets, all but the last of one round width (1, 2, 2.5
 * or 5 times a power of ten) of at least a {@code buckets}-th of the highest value.
 */
final class LifetimeValueDistribution implements WidgetQuery {

    @Override
    public String name() {
        return "lifetimeValueDistribution";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return "Customers per lifetime value bucket (line customers)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positive("buckets", 10), new Option("edges", "edges: [Float!]", LifetimeValueDistribution::edgesProblem));
    }

    private static String edgesProblem(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(Number.class::isInstance)) {
            return "must be a list of numbers, such as [100, 500, 1000]";
        }
        for (int i = 1; i < list.size(); i++) {
            if (((Number) list.get(i)).doubleValue() <= ((Number) list.get(i - 1)).doubleValue()) {
                return "must go up: " + list.get(i) + " comes after " + list.get(i - 1);
            }
        }
        return null;
    }

    @Override
    public Set<String> reads(Args args) {
        return LifetimeValues.reads(args);
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        List<BigDecimal> edges = args.numbers("edges") != null
                ? args.numbers("edges").stream().map(n -> new BigDecimal(n.toString())).toList()
                : chosenEdges(args, crm);
        Select select = new Select().sql("SELECT CASE");
        for (int i = 0; i < edges.size(); i++) {
            select.sql(" WHEN v.ltv < ").bind(edges.get(i)).sql(" THEN " + i);
        }
        select.sql(" ELSE " + edges.size() + " END AS bucket, count(*) AS customers FROM (").append(LifetimeValues.select(args, crm))
                .sql(") v GROUP BY 1");
        long[] counts = new long[edges.size() + 1];
        for (Map<String, Object> row : select.run(crm)) {
            counts[((Number) row.get("bucket")).intValue()] = ((Number) row.get("customers")).longValue();
        }
        List<String> labels = new ArrayList<>();
        List<Number> values = new ArrayList<>();
        for (int i = 0; i <= edges.size(); i++) {
            labels.add(i == 0 ? "under " + plain(edges.get(0))
                    : i == edges.size() ? plain(edges.get(i - 1)) + " and more"
                    : plain(edges.get(i - 1)) + " to " + plain(edges.get(i)));
            values.add(counts[i]);
        }
        return new WidgetData.Series(labels, List.of(new WidgetData.Line("customers", values)));
    }

    private static List<BigDecimal> chosenEdges(Args args, CrmContext crm) {
        int buckets = args.integer("buckets", 10);
        Object highest = new Select().sql("SELECT max(v.ltv) AS top FROM (").append(LifetimeValues.select(args, crm)).sql(") v")
                .run(crm).get(0).get("top");
        BigDecimal width = roundWidth(highest == null ? 0 : new BigDecimal(highest.toString()).doubleValue() / buckets);
        List<BigDecimal> edges = new ArrayList<>();
        for (int i = 1; i < buckets; i++) {
            edges.add(width.multiply(BigDecimal.valueOf(i)));
        }
        return edges.isEmpty() ? List.of(width) : edges;
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code raw} (1 when raw <= 0). */
    static BigDecimal roundWidth(double raw) {
        if (raw <= 0) {
            return BigDecimal.ONE;
        }
        BigDecimal power = BigDecimal.TEN.pow((int) Math.floor(Math.log10(raw)) + 10).movePointLeft(10);
        for (String step : List.of("1", "2", "2.5", "5", "10")) {
            BigDecimal width = power.multiply(new BigDecimal(step));
            if (width.doubleValue() >= raw) {
                BigDecimal stripped = width.stripTrailingZeros();
                return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
            }
        }
        throw new IllegalStateException("unreachable: 10 times the power is above " + raw);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
