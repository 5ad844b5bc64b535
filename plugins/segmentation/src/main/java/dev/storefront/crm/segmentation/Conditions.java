package dev.storefront.crm.segmentation;

import dev.storefront.crm.api.PluginException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a rule's conditions as SQL over the {@code m} relation of {@link Classification} (every
 * customer column plus {@code d} and {@code d_first}). Field names are GraphQL names checked against a
 * strict pattern and quoted; every value is a bound parameter.
 */
final class Conditions {

    private static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9]*");
    private static final Map<String, String> OPERATORS = Map.of("eq", " = ", "neq", " IS DISTINCT FROM ", "gt", " > ",
            "gte", " >= ", "lt", " < ", "lte", " <= ");
    private static final Map<String, String> DAYS = Map.of("daysSinceLastOrder", "d", "daysSinceFirstOrder", "d_first");

    private final StringBuilder sql;
    private final List<Object> parameters;

    Conditions(StringBuilder sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    @SuppressWarnings("unchecked")
    void render(Map<String, Object> where) {
        List<String> keys = new ArrayList<>(where.keySet());
        if (keys.isEmpty()) {
            sql.append("true");
            return;
        }
        sql.append('(');
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : " AND ");
            String key = keys.get(i);
            Object value = where.get(key);
            if (key.equals("or") || key.equals("and")) {
                List<Map<String, Object>> parts = (List<Map<String, Object>>) value;
                sql.append('(');
                for (int j = 0; j < parts.size(); j++) {
                    sql.append(j == 0 ? "" : key.equals("or") ? " OR " : " AND ");
                    render(parts.get(j));
                }
                sql.append(')');
            } else if (key.equals("not")) {
                sql.append("(");
                render((Map<String, Object>) value);
                sql.append(") IS NOT TRUE");
            } else {
                field(key, (Map<String, Object>) value);
            }
        }
        sql.append(')');
    }

    private void field(String name, Map<String, Object> operators) {
        if (!NAME.matcher(name).matches()) {
            throw new PluginException("segmentation.rule", "'" + name + "' is not a field name");
        }
        String column = DAYS.getOrDefault(name, column(name));
        List<String> keys = new ArrayList<>(operators.keySet());
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : " AND ");
            String operator = keys.get(i);
            Object value = operators.get(operator);
            if (operator.equals("in")) {
                sql.append('"').append(column).append("\" IN (SELECT unnest(CAST(? AS VARCHAR[])))");
                parameters.add(((List<?>) value).stream().map(String::valueOf).toList());
            } else if (operator.equals("isNull")) {
                sql.append('"').append(column).append(Boolean.TRUE.equals(value) ? "\" IS NULL" : "\" IS NOT NULL");
            } else if (OPERATORS.containsKey(operator)) {
                sql.append('"').append(column).append('"').append(OPERATORS.get(operator));
                value(column, value);
            } else {
                throw new PluginException("segmentation.rule", "'" + operator + "' is not an operator of segment rules (on " + name + ")");
            }
        }
    }

    /** A plain value, or {@code {percentile: 0.9}}: PERCENTILE_DISC of the column over customers with a counted order. */
    private void value(String column, Object value) {
        if (value instanceof Map<?, ?> map && map.get("percentile") instanceof Number fraction) {
            double share = fraction.doubleValue();
            if (!(share >= 0 && share <= 1)) {
                throw new PluginException("segmentation.rule", "A percentile is a share from 0 to 1, not " + fraction);
            }
            // DuckDB wants the fraction as a constant, not a parameter; it is a checked number, never text.
            sql.append("(SELECT percentile_disc(").append(BigDecimal.valueOf(share).toPlainString())
                    .append(") WITHIN GROUP (ORDER BY \"").append(column).append("\") FROM \"customers\" WHERE \"total_orders\" > 0)");
        } else {
            sql.append('?');
            parameters.add(value);
        }
    }

    /** {@code lifetimeValue} → {@code lifetime_value}. */
    static String column(String graphQlName) {
        return graphQlName.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }
}
