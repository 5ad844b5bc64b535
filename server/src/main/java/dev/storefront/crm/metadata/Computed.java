package dev.storefront.crm.metadata;

import dev.storefront.crm.api.FieldKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the engine computes a read-only field. A {@link Rollup} aggregates a reverse list ("the
 * customer's orders whose status is not Cancelled"); a {@link Formula} is arithmetic over fields of
 * the same entry, rollups included. Both are stored as typed columns and kept right by the engine in
 * the transaction of every write that changes their inputs.
 */
public sealed interface Computed {

    JsonMapper JSON = JsonMapper.builder().build();

    /** The definition as stored in the metadata table: {@code {"rollup": {...}}} or {@code {"formula": "..."}}. */
    default String toJson() {
        if (this instanceof Formula formula) {
            return JSON.writeValueAsString(Map.of("formula", formula.expression()));
        }
        Rollup rollup = (Rollup) this;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", rollup.from());
        body.put("via", rollup.via());
        body.put("aggregate", rollup.aggregate().name().toLowerCase(Locale.ROOT));
        body.put("field", rollup.field());
        body.put("where", rollup.where());
        return JSON.writeValueAsString(Map.of("rollup", body));
    }

    @SuppressWarnings("unchecked")
    static Computed fromJson(String json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> stored = JSON.readValue(json, Map.class);
        if (stored.containsKey("formula")) {
            return new Formula((String) stored.get("formula"));
        }
        Map<String, Object> body = (Map<String, Object>) stored.get("rollup");
        return new Rollup((String) body.get("from"), (String) body.get("via"), Aggregate.parse((String) body.get("aggregate")),
                (String) body.get("field"), (Map<String, Object>) body.get("where"));
    }

    /** The kind of value the field holds when its definition does not say. */
    FieldKind defaultKind();

    enum Aggregate {
        COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX;

        public static Aggregate parse(String text) {
            return valueOf(text.strip().toUpperCase(Locale.ROOT).replace(' ', '_'));
        }

        /** Count and sum of nothing are 0, the others empty. */
        public boolean zeroWhenEmpty() {
            return this == COUNT || this == COUNT_DISTINCT || this == SUM;
        }
    }

    /**
     * @param from      the object whose entries are aggregated ({@code orders})
     * @param via       the relation field of {@code from} that points at this object ({@code customer})
     * @param field     the field of {@code from} aggregated; null for a plain count
     * @param where     which entries count, in the GraphQL {@code where} model (GraphQL names); empty for all
     */
    record Rollup(String from, String via, Aggregate aggregate, String field, Map<String, Object> where) implements Computed {

        public Rollup {
            where = where == null ? Map.of() : Map.copyOf(where);
        }

        @Override
        public FieldKind defaultKind() {
            return aggregate == Aggregate.COUNT || aggregate == Aggregate.COUNT_DISTINCT ? FieldKind.INTEGER : FieldKind.NUMBER;
        }
    }

    /** @param expression as written, e.g. {@code round(counted_order_total / total_orders, 2)} */
    record Formula(String expression) implements Computed {

        public Expression parsed() {
            return Expression.parse(expression);
        }

        @Override
        public FieldKind defaultKind() {
            return FieldKind.NUMBER;
        }
    }
}
