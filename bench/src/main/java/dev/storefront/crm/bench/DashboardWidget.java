package dev.storefront.crm.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard rows: each widget query of the dashboard plugin, asked over GraphQL with a 365-day
 * range, beside the same question written by hand in {@link DashboardSql}. Each run asks for a
 * range ending one day earlier, so no run is answered from the plugin's cache.
 */
enum DashboardWidget {
    REVENUE("kpi(%s, metric: REVENUE)", "Stat", 0),
    NEW_CUSTOMERS("kpi(%s, metric: NEW_CUSTOMERS)", "Stat", 0),
    REVENUE_TREND("revenueTrend(%s, granularity: MONTH)", "Series", 0),
    CUSTOMERS_BY_SEGMENT("customersBySegment(%s)", "Series", 0),
    REVENUE_BY_SEGMENT("revenueBySegment(%s)", "Series", 0),
    TOP_CUSTOMERS("topCustomers(%s, limit: 10)", "Table", 5),
    LIFETIME_VALUE_DISTRIBUTION("lifetimeValueDistribution(%s, buckets: 10)", "Series", 0),
    RETURN_RATE("returnRateTrend(%s, granularity: MONTH)", "Series", 2),
    REPEAT_PURCHASE_RATE("repeatPurchaseRate(%s)", "Series", 2),
    NEW_VS_RETURNING("newVsReturningRevenue(%s)", "Series", 0),
    COHORT_RETENTION("cohortRetention(%s)", "Matrix", 0),
    CAMPAIGN_RESULTS("campaignResults(%s)", "Table", 4);

    static final String BOARD = "dashboard: whole default board, uncached (widgets in parallel)";
    static final String BOARD_CACHED = "dashboard: whole default board, cached";

    private final String call;
    private final String type;
    /** The line (Series), table column or layer (Matrix) both sides are compared on. */
    private final int compared;

    DashboardWidget(String call, String type, int compared) {
        this.call = call;
        this.type = type;
        this.compared = compared;
    }

    String row() {
        String arguments = call.substring(call.indexOf("%s") + 2, call.length() - 1).replaceFirst("^, ", "");
        return ("widget " + field() + " " + arguments).trim();
    }

    static List<String> rows() {
        List<String> rows = new ArrayList<>();
        for (DashboardWidget widget : values()) {
            rows.add(widget.row());
        }
        rows.add(BOARD);
        rows.add(BOARD_CACHED);
        return rows;
    }

    /** The range of a run: 365 days ending {@code daysBack} days before today (UTC, the bench server's time zone). */
    static LocalDate[] range(int daysBack) {
        LocalDate to = LocalDate.now(ZoneOffset.UTC).minusDays(daysBack);
        return new LocalDate[] {to.minusDays(364), to};
    }

    /**
     * The range of warm-up {@code k}, none of which a run asks: ending 1 to 365 days before the oldest
     * run's end ({@code measuredDays} days ago), and a day shorter for each further year of warm-ups,
     * so thousands of warm-ups stay distinct and inside the store's orders.
     */
    static LocalDate[] warmUpRange(int measuredDays, int k) {
        LocalDate to = LocalDate.now(ZoneOffset.UTC).minusDays(measuredDays + 1L + k % 365);
        return new LocalDate[] {to.minusDays(364 - Math.min(k / 365, 300)), to};
    }

    static String rangeArgument(LocalDate[] range) {
        return "range: {from: \"" + range[0] + "\", to: \"" + range[1] + "\"}";
    }

    String query(LocalDate[] range) {
        String fields = switch (type) {
            case "Stat" -> "value previous";
            case "Series" -> "labels lines { name values }";
            case "Table" -> "columns { name } rows";
            default -> "rowLabels columnLabels layers { name values }";
        };
        return "{ " + String.format(Locale.ROOT, call, rangeArgument(range)) + " { " + fields + " } }";
    }

    String field() {
        return call.substring(0, call.indexOf('('));
    }

    /** The fingerprint of a GraphQL answer: labels and the compared values, to the cent. */
    String fingerprint(JsonNode answer) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        switch (type) {
            case "Stat" -> {
                values.add(number(answer.path("value")));
                values.add(number(answer.path("previous")));
            }
            case "Series" -> {
                answer.path("labels").forEach(l -> labels.add(l.asString()));
                answer.path("lines").get(compared).path("values").forEach(v -> values.add(number(v)));
            }
            case "Table" -> answer.path("rows").forEach(r -> {
                labels.add(r.get(0).asString());
                values.add(r.get(compared).isNull() ? null : Double.parseDouble(r.get(compared).asString()));
            });
            default -> {
                answer.path("rowLabels").forEach(l -> labels.add(l.asString()));
                answer.path("layers").get(compared).path("values").forEach(row -> row.forEach(v -> values.add(number(v))));
            }
        }
        return fingerprint(labels, values);
    }

    /** Widget values are Decimal strings (a Stat's change a number): both read as text. */
    private static Double number(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? null : Double.parseDouble(value.asString());
    }

    static String fingerprint(List<String> labels, List<Double> values) {
        return String.join(",", labels) + " | " + String.join(",", values.stream()
                .map(v -> v == null ? "-" : String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
