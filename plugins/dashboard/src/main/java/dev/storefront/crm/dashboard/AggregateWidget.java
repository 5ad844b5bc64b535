package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.PluginException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A widget declared in YAML alone, over any object of the model: a count, sum or average of its
 * entries grouped by one field, optionally limited to the period by a date field. Dates and
 * datetimes as the group become calendar buckets (local dates in the time zone); other groups are
 * sorted by label. The customer filter applies to customers and to objects with a customer relation.
 */
final class AggregateWidget implements WidgetQuery {

    @Override
    public String name() {
        return "aggregate";
    }

    @Override
    public String resultType() {
        return "Series";
    }

    @Override
    public String description() {
        return "Count, sum:<field> or avg:<field> of an object's entries grouped by a field (lines value, entries)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.text("object"), Option.text("measure"), Option.text("groupBy"), Option.text("dateField"),
                Option.granularity());
    }

    @Override
    public List<String> problems(Map<String, Object> arguments, CrmContext crm) {
        List<String> problems = new ArrayList<>(Option.problems(options(), arguments));
        if (!problems.isEmpty()) {
            return problems;
        }
        Object object = arguments.get("object");
        Map<String, FieldKind> fields = object == null ? Map.of() : crm.fields((String) object);
        if (fields.isEmpty()) {
            return List.of("argument 'object' must name an object of the model, such as orders, not " + object);
        }
        String measure = (String) arguments.getOrDefault("measure", "count");
        if (!measure.equals("count")) {
            String[] parts = measure.split(":", 2);
            if (parts.length != 2 || !List.of("sum", "avg").contains(parts[0])) {
                problems.add("argument 'measure' must be count, sum:<field> or avg:<field>, not " + measure);
            } else if (fields.get(parts[1]) != FieldKind.NUMBER && fields.get(parts[1]) != FieldKind.INTEGER) {
                problems.add("argument 'measure': " + object + " has no number field '" + parts[1] + "'");
            }
        }
        Object groupBy = arguments.get("groupBy");
        FieldKind groupKind = fields.get(groupBy);
        if (groupKind == null || groupKind.isList() || groupKind == FieldKind.RICHTEXT || groupKind == FieldKind.RELATION) {
            problems.add("argument 'groupBy' must name a field of " + object + " with one value per entry (not a list, "
                    + "long text or relation), not " + groupBy);
        }
        Object dateField = arguments.get("dateField");
        if (dateField != null && !isDate(fields.get(dateField))) {
            problems.add("argument 'dateField' must name a date or datetime field of " + object + ", not " + dateField);
        }
        return problems;
    }

    private static boolean isDate(FieldKind kind) {
        return kind == FieldKind.DATE || kind == FieldKind.DATETIME;
    }

    @Override
    public Set<String> reads(Args args) {
        return args.filter().isEmpty() ? Set.of(args.text("object")) : Set.of(args.text("object"), "customers");
    }

    @Override
    public WidgetData compute(Args args, CrmContext crm) {
        List<String> problems = problems(args.options(), crm);
        if (!problems.isEmpty()) {
            throw new PluginException("widget.arguments", "aggregate: " + String.join("; ", problems));
        }
        String object = args.text("object");
        Map<String, FieldKind> fields = crm.fields(object);
        String groupBy = args.text("groupBy");
        String measure = args.options().getOrDefault("measure", "count").toString();
        Select select = new Select().sql("SELECT ");
        if (fields.get(groupBy) == FieldKind.DATETIME) {
            select.sql("CAST(t.").ident(groupBy).sql(" AT TIME ZONE ").bind(args.period().zone().getId()).sql(" AS DATE)");
        } else {
            select.sql("t.").ident(groupBy);
        }
        select.sql(" AS k, count(*) AS n, ");
        if (measure.equals("count")) {
            select.sql("count(*)");
        } else {
            select.sql("sum(t.").ident(measure.substring(4)).sql(")");
        }
        select.sql(" AS total FROM ").ident(object).sql(" t WHERE 1 = 1");
        String dateField = args.text("dateField");
        if (dateField != null && fields.get(dateField) == FieldKind.DATETIME) {
            select.sql(" AND t.").ident(dateField).sql(" >= ").bind(args.period().start())
                    .sql(" AND t.").ident(dateField).sql(" < ").bind(args.period().end());
        } else if (dateField != null) {
            select.sql(" AND t.").ident(dateField).sql(" >= ").bind(args.period().from())
                    .sql(" AND t.").ident(dateField).sql(" <= ").bind(args.period().to());
        }
        if (object.equals("customers")) {
            args.filter().andCustomerMatches(select, "t");
        } else if (fields.get("customer") == FieldKind.RELATION && args.filter().shopField() != null
                && fields.containsKey(args.filter().shopField())) {
            args.filter().andOwnShopAndCustomerIn(select, "t");
        } else if (fields.get("customer") == FieldKind.RELATION) {
            args.filter().andCustomerIn(select, "t.customer_id");
        }
        select.sql(" GROUP BY 1");
        List<Map<String, Object>> rows = select.run(crm);
        boolean average = measure.startsWith("avg:");
        return isDate(fields.get(groupBy)) ? byBucket(args, rows, average) : byLabel(rows, average);
    }

    private static WidgetData byBucket(Args args, List<Map<String, Object>> rows, boolean average) {
        Buckets buckets = new Buckets(args.granularity(), args.period(), 2);
        for (Map<String, Object> row : rows) {
            if (row.get("k") != null) {
                buckets.add((LocalDate) row.get("k"), 0, row.get("n"));
                buckets.add((LocalDate) row.get("k"), 1, row.get("total"));
            }
        }
        return series(buckets.labels(), buckets.measure(0), buckets.measure(1), average);
    }

    private static WidgetData byLabel(List<Map<String, Object>> rows, boolean average) {
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(AggregateWidget::label));
        return series(sorted.stream().map(AggregateWidget::label).toList(),
                sorted.stream().map(r -> Orders.money(r.get("n"))).toList(),
                sorted.stream().map(r -> Orders.money(r.get("total"))).toList(), average);
    }

    private static String label(Map<String, Object> row) {
        return row.get("k") == null ? "None" : row.get("k").toString();
    }

    private static WidgetData series(List<String> labels, List<BigDecimal> counts, List<BigDecimal> totals, boolean average) {
        List<Number> values = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            long n = counts.get(i).longValueExact();
            values.add(average ? (n == 0 ? null : totals.get(i).divide(BigDecimal.valueOf(n), 4, java.math.RoundingMode.HALF_UP)) : totals.get(i));
        }
        return new WidgetData.Series(labels, List.of(new WidgetData.Line("value", values),
                new WidgetData.Line("entries", ReturnRateTrend.longs(counts))));
    }
}
