package dev.storefront.crm.workflows;

import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A condition written like GraphQL's {@code where} ({@code {customer: {total_orders: {eq: 1}}}},
 * {@code {orders: {some: {order_date: {gt: "..."}}}}}, {@code AND}/{@code OR}/{@code NOT}) turned into
 * the host's {@link Filter}, which the host checks against the model and runs as one query.
 */
final class Where {

    private Where() {
    }

    @SuppressWarnings("unchecked")
    static Filter parse(Map<String, Object> where) {
        List<Filter> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : where.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            switch (key.toUpperCase(Locale.ROOT)) {
                case "AND" -> parts.add(new Filter.And(list(value, key).stream().map(Where::parse).toList()));
                case "OR" -> parts.add(new Filter.Or(list(value, key).stream().map(Where::parse).toList()));
                case "NOT" -> parts.add(new Filter.Not(parse(map(value, key))));
                default -> parts.add(field(key, map(value, key)));
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private static Filter field(String field, Map<String, Object> condition) {
        if (condition.containsKey("some") || condition.containsKey("none")) {
            boolean some = condition.containsKey("some");
            Object inner = condition.get(some ? "some" : "none");
            Filter where = inner == null ? null : parse(map(inner, field));
            return some ? new Filter.Some(field, where) : new Filter.None(field, where);
        }
        if (!condition.keySet().stream().allMatch(Where::isOperator)) {
            return new Filter.Related(field, parse(condition));
        }
        List<Filter> parts = new ArrayList<>();
        condition.forEach((op, value) -> parts.add(new Filter.Compare(field, operator(op), value)));
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private static boolean isOperator(String key) {
        try {
            operator(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code notIn} or {@code not_in} to {@link Operator#NOT_IN}. */
    private static Operator operator(String key) {
        return Operator.valueOf(key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw Workflow.refuse("the condition on '" + key + "' must be a mapping such as {eq: 1}");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value, String key) {
        if (value instanceof List<?> list && list.stream().allMatch(Map.class::isInstance)) {
            return (List<Map<String, Object>>) list;
        }
        throw Workflow.refuse(key + " must be a list of conditions");
    }
}
