package dev.storefront.crm.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Two runs side by side ({@code --compare A.json B.json}): per row, our median in each run, B / A,
 * and each run's ratio to its own hand-written SQL. The ratios are what to read when the runs were
 * made at different loads; B / A when they ran back to back.
 */
final class Compare {

    private Compare() {
    }

    static String table(Path a, Path b) throws IOException {
        JsonNode first = GraphQl.JSON.readTree(a.toFile());
        JsonNode second = GraphQl.JSON.readTree(b.toFile());
        Map<String, JsonNode> before = rows(first);
        Map<String, JsonNode> after = rows(second);
        Set<String> works = new LinkedHashSet<>(before.keySet());
        works.addAll(after.keySet());
        StringBuilder out = new StringBuilder();
        out.append("A: ").append(a).append(" (").append(first.path("scale").asString()).append(", started ")
                .append(first.path("startedAt").asString()).append(")\n");
        out.append("B: ").append(b).append(" (").append(second.path("scale").asString()).append(", started ")
                .append(second.path("startedAt").asString()).append(")\n");
        String format = "%-62s | %12s | %12s | %6s | %8s | %8s%n";
        out.append(String.format(Locale.ROOT, format, "work", "A ours med", "B ours med", "B / A", "A ratio", "B ratio"));
        for (String work : works) {
            JsonNode x = before.get(work);
            JsonNode y = after.get(work);
            double ourA = median(x);
            double ourB = median(y);
            out.append(String.format(Locale.ROOT, format, work, value(x, ourA), value(y, ourB),
                    Double.isNaN(ourA) || Double.isNaN(ourB) ? "-" : String.format(Locale.ROOT, "%.2f", ourB / ourA),
                    ratio(x), ratio(y)));
        }
        out.append("B / A: B's median over A's (for rates too: above 1 is faster there). ratio: ours / SQL of that run,"
                + " SQL / ours for rates; above 1 means the CRM is slower.\n");
        return out.toString();
    }

    private static Map<String, JsonNode> rows(JsonNode run) {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        run.path("rows").forEach(row -> rows.put(row.path("work").asString(), row));
        return rows;
    }

    private static double median(JsonNode row) {
        JsonNode median = row == null ? null : row.path("ours").path("median");
        return median == null || !median.isNumber() ? Double.NaN : median.asDouble();
    }

    private static String value(JsonNode row, double median) {
        return Double.isNaN(median) ? "-" : Report.number(median) + " " + row.path("unit").asString();
    }

    private static String ratio(JsonNode row) {
        JsonNode ratio = row == null ? null : row.path("ratio");
        return ratio == null || !ratio.isNumber() ? "-" : String.format(Locale.ROOT, "%.2f", ratio.asDouble());
    }
}
