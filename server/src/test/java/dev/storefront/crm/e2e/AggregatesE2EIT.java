package dev.storefront.crm.e2e;

import java.math.BigDecimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.storefront.crm.metadata.ApiNames;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Counts, sums, averages, minima and maxima, whole and grouped (by enum, boolean, and date periods). */
class AggregatesE2EIT extends E2ESupport {

    private record Sale(String region, boolean paid, LocalDate day, double amount, long units) {
    }

    private final List<Sale> sales = new ArrayList<>();
    private String object;
    private String field;

    @BeforeEach
    void writeSales() {
        object = unique("sales");
        field = ApiNames.camel(object) + "Aggregate";
        createObject(object, List.of(field("Region", "ENUM", "options", List.of("North", "South")), field("Paid", "BOOLEAN"),
                field("Day", "DATE"), field("Amount", "NUMBER"), field("Units", "INTEGER")));
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Sale sale = new Sale(i % 3 == 0 ? "North" : "South", i % 2 == 0, LocalDate.of(2025, 1 + i % 5, 1 + i % 27),
                    10.25 * (i + 1), i % 4);
            sales.add(sale);
            inputs.add(Map.of("region", sale.region().toUpperCase(), "paid", sale.paid(), "day", sale.day().toString(),
                    "amount", sale.amount(), "units", sale.units()));
        }
        run("mutation($in: [" + ApiNames.pascal(object + "_item") + "CreateInput!]!) { create" + ApiNames.pascal(object)
                + "(inputs: $in) { id } }", Map.of("in", inputs));
    }

    @Test
    void aggregatesTheWholeObject() {
        var response = run("{ " + field + " { count sum { amount units } avg { amount } min { amount } max { units } } }");
        response.path(field + "[0].count").entity(Integer.class).isEqualTo(30);
        assertThat(response.path(field + "[0].sum.amount").entity(Double.class).get())
                .isCloseTo(sales.stream().mapToDouble(Sale::amount).sum(), within(0.001));
        response.path(field + "[0].sum.units").entity(Double.class).isEqualTo((double) sales.stream().mapToLong(Sale::units).sum());
        assertThat(response.path(field + "[0].avg.amount").entity(Double.class).get())
                .isCloseTo(sales.stream().mapToDouble(Sale::amount).average().orElseThrow(), within(0.001));
        response.path(field + "[0].min.amount").entity(Double.class).isEqualTo(10.25);
        response.path(field + "[0].max.units").entity(Double.class).isEqualTo(3.0);
    }

    @Test
    void groupsByEnumAndBooleanWithAFilter() {
        var response = run("{ " + field + "(where: { units: { gt: 0 } }, groupBy: [{ field: REGION }, { field: PAID }])"
                + " { key { region paid } count sum { amount } } }");
        Map<String, double[]> expected = new TreeMap<>();
        sales.stream().filter(s -> s.units() > 0).forEach(s -> {
            double[] group = expected.computeIfAbsent(s.region().toUpperCase() + "/" + s.paid(), k -> new double[2]);
            group[0]++;
            group[1] += s.amount();
        });
        List<Map<String, Object>> groups = response.path(field).entityList(Object.class).get().stream()
                .map(AggregatesE2EIT::castMap).toList();
        assertThat(groups).hasSize(expected.size());
        for (Map<String, Object> group : groups) {
            Map<String, Object> key = castMap(group.get("key"));
            double[] wanted = expected.get(key.get("region") + "/" + key.get("paid"));
            assertThat(((Number) group.get("count")).doubleValue()).isEqualTo(wanted[0]);
            assertThat(new BigDecimal((String) castMap(group.get("sum")).get("amount")).doubleValue()).isCloseTo(wanted[1], within(0.001));
        }
    }

    @Test
    void groupsByMonthAndQuarter() {
        Map<String, Double> monthly = new TreeMap<>();
        sales.forEach(s -> monthly.merge(s.day().withDayOfMonth(1).toString(), s.amount(), Double::sum));
        var months = run("{ " + field + "(groupBy: [{ field: DAY, granularity: MONTH }]) { key { day } sum { amount } } }");
        months.path(field + "[*].key.day").entityList(String.class).containsExactly(monthly.keySet().toArray(new String[0]));
        List<Double> sums = months.path(field + "[*].sum.amount").entityList(Double.class).get();
        assertThat(sums).zipSatisfy(new ArrayList<>(monthly.values()), (actual, wanted) -> assertThat(actual).isCloseTo(wanted, within(0.001)));

        run("{ " + field + "(groupBy: [{ field: DAY, granularity: QUARTER }]) { key { day } count } }")
                .path(field + "[*].key.day").entityList(String.class).containsExactly("2025-01-01", "2025-04-01")
                .path(field + "[*].count").entityList(Integer.class).containsExactly(
                        (int) sales.stream().filter(s -> s.day().getMonthValue() <= 3).count(),
                        (int) sales.stream().filter(s -> s.day().getMonthValue() > 3).count());
    }

    @Test
    void answersGroupsByTheirKeysInOrderTextByCodePointAndNoLabelLast() {
        String labels = unique("labels");
        String aggregate = ApiNames.camel(labels) + "Aggregate";
        createObject(labels, List.of(field("Label", "TEXT"), field("Paid", "BOOLEAN")));
        // Given in no order; U+E000 sorts before the emoji by code point (and by UTF-8 bytes), after it by UTF-16 units.
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (String[] entry : new String[][] {{"\uD83D\uDE00", "true"}, {"b", "true"}, {"\uE000", "false"}, {"B", "false"},
                {"\u00E9", "true"}, {null, "false"}, {"b", "false"}, {"b", "true"}, {"\uD83D\uDE00", "false"}}) {
            Map<String, Object> input = new java.util.HashMap<>(Map.of("paid", Boolean.parseBoolean(entry[1])));
            if (entry[0] != null) {
                input.put("label", entry[0]);
            }
            inputs.add(input);
        }
        run("mutation($in: [" + ApiNames.pascal(labels + "_item") + "CreateInput!]!) { create" + ApiNames.pascal(labels)
                + "(inputs: $in) { id } }", Map.of("in", inputs));

        run("{ " + aggregate + "(groupBy: [{ field: LABEL }, { field: PAID }]) { key { label paid } count } }")
                .path(aggregate + "[*].key.label").entityList(String.class)
                .containsExactly("B", "b", "b", "\u00E9", "\uE000", "\uD83D\uDE00", "\uD83D\uDE00", null)
                .path(aggregate + "[*].key.paid").entityList(Boolean.class)
                .containsExactly(false, false, true, true, false, false, true, false)
                .path(aggregate + "[*].count").entityList(Integer.class).containsExactly(1, 1, 2, 1, 1, 1, 1, 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }
}
