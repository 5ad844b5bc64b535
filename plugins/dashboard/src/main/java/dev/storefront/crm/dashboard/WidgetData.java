package dev.storefront.crm.dashboard;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The typed results a widget answers, as the GraphQL union {@code WidgetData}: each becomes a map
 * whose {@code __typename} names its GraphQL type. Values are answered as the host's exact
 * {@code Decimal} (money, counts and shares alike); only a Stat's change, a ratio, is a Float.
 */
sealed interface WidgetData {

    /** The GraphQL type name, also what a board's chart kind is checked against. */
    String typeName();

    Map<String, Object> fields();

    /** A value as the Decimal scalar takes it: a share computed as a double becomes its shortest decimal. */
    static Object exact(Number value) {
        return value instanceof Double || value instanceof Float ? BigDecimal.valueOf(value.doubleValue()) : value;
    }

    static List<Object> exact(List<? extends Number> values) {
        return values.stream().map(WidgetData::exact).collect(Collectors.toList());
    }

    default Map<String, Object> toGraphQl() {
        Map<String, Object> map = new LinkedHashMap<>(fields());
        map.put("__typename", typeName());
        return map;
    }

    /** Values per label, one line per measure (revenue, orders, ...); a value is null where it is undefined. */
    record Series(List<String> labels, List<Line> lines) implements WidgetData {
        public String typeName() {
            return "Series";
        }

        public Map<String, Object> fields() {
            List<Map<String, Object>> maps = new ArrayList<>();
            for (Line line : lines) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("name", line.name());
                map.put("values", exact(line.values()));
                maps.add(map);
            }
            return Map.of("labels", labels, "lines", maps);
        }
    }

    record Line(String name, List<Number> values) {
    }

    /** Rows of cells as text (numbers in plain decimal notation), with each column's name and type. */
    record Table(List<Column> columns, List<List<String>> rows) implements WidgetData {
        public String typeName() {
            return "Table";
        }

        public Map<String, Object> fields() {
            List<Map<String, Object>> maps = columns.stream()
                    .map(c -> Map.<String, Object>of("name", c.name(), "type", c.type())).toList();
            return Map.of("columns", maps, "rows", rows);
        }
    }

    /** {@code type} is one of ID, TEXT, NUMBER, DATE. */
    record Column(String name, String type) {
    }

    /** A value of the period and of the one before it; change = value / previous - 1, null when previous is 0 or empty. */
    record Stat(Number value, Number previous, Double change, Period period) implements WidgetData {
        public String typeName() {
            return "Stat";
        }

        public Map<String, Object> fields() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("value", exact(value));
            map.put("previous", exact(previous));
            map.put("change", change);
            map.put("from", period.from());
            map.put("to", period.to());
            map.put("previousFrom", period.previous().from());
            map.put("previousTo", period.previous().to());
            return map;
        }
    }

    /** A grid: row and column labels and one or more layers of values, {@code values[row][column]}. */
    record Matrix(List<String> rows, List<String> columns, List<Layer> layers) implements WidgetData {
        public String typeName() {
            return "Matrix";
        }

        public Map<String, Object> fields() {
            List<Map<String, Object>> maps = layers.stream()
                    .map(l -> Map.<String, Object>of("name", l.name(), "values", l.values().stream().map(WidgetData::exact).toList()))
                    .toList();
            return Map.of("rowLabels", rows, "columnLabels", columns, "layers", maps);
        }
    }

    record Layer(String name, List<List<Number>> values) {
    }
}
