package dev.storefront.crm.storage.sql;

import java.util.Collection;
import java.util.List;

/**
 * A WHERE clause as data. Conditions compose ({@link #and}), and {@link #always()} drops out of
 * the statement, so callers never glue SQL fragments together.
 */
public sealed interface Condition {

    void render(SqlBuilder out);

    static Condition always() {
        return new Always();
    }

    static Condition eq(String column, Object value) {
        return new Compare(Ident.of(column), "=", value);
    }

    static Condition compare(String column, Operator operator, Object value) {
        return new Compare(Ident.of(column), operator.symbol, value);
    }

    static Condition in(String column, Collection<?> values) {
        return values.isEmpty() ? new Never() : new In(Ident.of(column), List.copyOf(values));
    }

    static Condition isNull(String column) {
        return new IsNull(Ident.of(column));
    }

    static Condition isNotNull(String column) {
        return new Not(new IsNull(Ident.of(column)));
    }

    static Condition and(Condition... parts) {
        List<Condition> kept = java.util.Arrays.stream(parts).filter(p -> !(p instanceof Always)).toList();
        if (kept.isEmpty()) {
            return always();
        }
        return kept.size() == 1 ? kept.get(0) : new And(kept);
    }

    enum Operator {
        LT("<"), LTE("<="), GT(">"), GTE(">="), NEQ("<>");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    record Always() implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.sql("TRUE");
        }
    }

    record Never() implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.sql("FALSE");
        }
    }

    record Compare(Ident column, String symbol, Object value) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(" " + symbol + " ").bind(value);
        }
    }

    record In(Ident column, List<Object> values) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(" IN (").binds(values).sql(")");
        }
    }

    record IsNull(Ident column) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(" IS NULL");
        }
    }

    record Not(Condition inner) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.sql("NOT (");
            inner.render(out);
            out.sql(")");
        }
    }

    record And(List<Condition> parts) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            String separator = "";
            for (Condition part : parts) {
                out.sql(separator).sql("(");
                part.render(out);
                out.sql(")");
                separator = " AND ";
            }
        }
    }
}
