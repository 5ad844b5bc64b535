package dev.storefront.crm.storage.sql;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A WHERE clause as data. Conditions compose ({@link #and}, {@link #or}), and {@link #always()}
 * drops out of the statement, so callers never glue SQL fragments together. Every subquery is
 * uncorrelated ({@code "id" IN (SELECT ...)}), so no condition needs table aliases.
 */
public sealed interface Condition {

    void render(SqlBuilder out);

    static Condition always() {
        return new Always();
    }

    static Condition never() {
        return new Never();
    }

    static Condition eq(String column, Object value) {
        return new Compare(Ident.of(column), Operator.EQ, value);
    }

    static Condition compare(String column, Operator operator, Object value) {
        return new Compare(Ident.of(column), operator, value);
    }

    static Condition in(String column, Collection<?> values) {
        return values.isEmpty() ? new Never() : new In(Ident.of(column), List.copyOf(values));
    }

    static Condition isNull(String column) {
        return new IsNull(Ident.of(column));
    }

    static Condition isNotNull(String column) {
        return not(isNull(column));
    }

    static Condition not(Condition inner) {
        return new Not(inner);
    }

    /** Case-insensitive match of a pattern made from {@code text}, whose own % and _ match literally. */
    static Condition like(String column, Match match, String text) {
        String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return new Like(Ident.of(column), match.pattern(escaped));
    }

    static Condition between(String column, Object low, Object high) {
        return new Between(Ident.of(column), low, high);
    }

    /** A list column holding any, or all, of the given values. */
    static Condition listHas(String column, boolean all, Collection<String> values) {
        return new ListHas(Ident.of(column), all, List.copyOf(values));
    }

    /** {@code column [NOT] IN (SELECT select FROM table WHERE where [GROUP BY select HAVING count(*) op n])}. */
    static Condition inSelect(String column, boolean negated, SubSelect select) {
        return new InSelect(Ident.of(column), negated, select);
    }

    /**
     * The same condition for rows of {@code outerTable} that match {@code outerFilter} only: each
     * {@code column IN (SELECT x FROM t ...)} also asks {@code x IN (SELECT column FROM outerTable
     * WHERE outerFilter)}, which changes no answer for those rows. For a few rows (one customer's
     * orders) DuckDB then reads only the inner rows linked to them, where the plain form hashes every
     * row of the inner table first: keeping one customer's metrics at 600,000 returns took ~4x less.
     * (A correlated EXISTS reads fewer, but DuckDB 2.0 fails on it with an internal error that
     * invalidates the database when the transaction has written the outer table.)
     */
    static Condition restricted(Condition condition, String outerTable, Condition outerFilter) {
        if (condition instanceof InSelect in) {
            SubSelect inner = in.select();
            Condition linked = inSelect(inner.select(), false, SubSelect.of(in.column().name(), outerTable, outerFilter));
            return new InSelect(in.column(), in.negated(), new SubSelect(inner.select(), inner.table(),
                    and(inner.where(), linked), inner.countOperator(), inner.havingCount()));
        }
        if (condition instanceof Junction junction) {
            return new Junction(junction.keyword(), junction.parts().stream().map(p -> restricted(p, outerTable, outerFilter)).toList());
        }
        if (condition instanceof Not not) {
            return new Not(restricted(not.inner(), outerTable, outerFilter));
        }
        return condition;
    }

    /**
     * The same condition for rows that no entry links to yet (entries just created): a condition on
     * their lists is one on the row's own id ({@code id IN (SELECT <link> FROM ...)}, as the filter
     * compiler writes some, none and count), and an empty list decides it without reading the
     * linking table: some and a count that zero fails are false, none and a count that zero passes true.
     */
    static Condition unlinked(Condition condition) {
        if (condition instanceof InSelect in && in.column().name().equals("id")) {
            return in.negated() ? always() : never();
        }
        if (condition instanceof Junction junction) {
            List<Condition> parts = junction.parts().stream().map(Condition::unlinked).toList();
            return junction.keyword().equals(" AND ") ? and(parts) : or(parts);
        }
        if (condition instanceof Not not) {
            Condition inner = unlinked(not.inner());
            return inner instanceof Always ? never() : inner instanceof Never ? always() : not(inner);
        }
        return condition;
    }

    /** The parts of a condition that must all hold: those of an AND, else the condition itself (none for always). */
    static List<Condition> conjuncts(Condition condition) {
        if (condition instanceof Always) {
            return List.of();
        }
        return condition instanceof Junction junction && junction.keyword().equals(" AND ") ? junction.parts() : List.of(condition);
    }

    static Condition and(Condition... parts) {
        return and(Arrays.asList(parts));
    }

    static Condition and(List<Condition> parts) {
        List<Condition> kept = parts.stream().filter(p -> !(p instanceof Always)).toList();
        if (kept.stream().anyMatch(p -> p instanceof Never)) {
            return never();
        }
        if (kept.isEmpty()) {
            return always();
        }
        return kept.size() == 1 ? kept.get(0) : new Junction(" AND ", kept);
    }

    static Condition or(List<Condition> parts) {
        List<Condition> kept = parts.stream().filter(p -> !(p instanceof Never)).toList();
        if (kept.stream().anyMatch(p -> p instanceof Always)) {
            return always();
        }
        if (kept.isEmpty()) {
            return never();
        }
        return kept.size() == 1 ? kept.get(0) : new Junction(" OR ", kept);
    }

    enum Operator {
        EQ(" = "), NEQ(" <> "), LT(" < "), LTE(" <= "), GT(" > "), GTE(" >= "),
        /** Like NEQ, but an empty value counts as different instead of unknown. */
        DISTINCT(" IS DISTINCT FROM "),
        /** Like EQ, but two empty values count as equal. */
        NOT_DISTINCT(" IS NOT DISTINCT FROM ");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }
    }

    enum Match {
        CONTAINS, STARTS_WITH, ENDS_WITH;

        String pattern(String escaped) {
            return switch (this) {
                case CONTAINS -> "%" + escaped + "%";
                case STARTS_WITH -> escaped + "%";
                case ENDS_WITH -> "%" + escaped;
            };
        }
    }

    /** The inner SELECT of {@link #inSelect}; {@code havingCount} may be null for no grouping. */
    record SubSelect(String select, String table, Condition where, Operator countOperator, Object havingCount) {

        public static SubSelect of(String select, String table, Condition where) {
            return new SubSelect(select, table, where, null, null);
        }

        void render(SqlBuilder out) {
            out.sql("SELECT ").ident(select).sql(" FROM ").ident(table).where(where);
            if (countOperator != null) {
                out.sql(" GROUP BY ").ident(select).sql(" HAVING count(*)" + countOperator.symbol()).bind(havingCount);
            }
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

    record Compare(Ident column, Operator operator, Object value) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(operator.symbol()).bind(value);
        }
    }

    /**
     * Long lists of ids or texts bind as one array: DuckDB plans a list of thousands of single
     * parameters about ten times slower.
     */
    record In(Ident column, List<Object> values) implements Condition {

        private static final int ARRAY_FROM = 64;

        @Override
        public void render(SqlBuilder out) {
            String arrayType = values.size() < ARRAY_FROM ? null
                    : values.stream().allMatch(v -> v instanceof Long) ? "BIGINT"
                    : values.stream().allMatch(v -> v instanceof String) ? "VARCHAR" : null;
            if (arrayType == null) {
                out.ident(column).sql(" IN (").binds(values).sql(")");
            } else {
                out.ident(column).sql(" = ANY(").bind(new SqlArray(arrayType, values)).sql("::" + arrayType + "[])");
            }
        }
    }

    record IsNull(Ident column) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(" IS NULL");
        }
    }

    record Like(Ident column, String pattern) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(" ILIKE ").bind(pattern).sql(" ESCAPE '\\'");
        }
    }

    record Between(Ident column, Object low, Object high) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(" BETWEEN ").bind(low).sql(" AND ").bind(high);
        }
    }

    record ListHas(Ident column, boolean all, List<String> values) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.sql(all ? "list_has_all(" : "list_has_any(").ident(column).sql(", ").bind(new SqlArray("VARCHAR", values)).sql(")");
        }
    }

    record InSelect(Ident column, boolean negated, SubSelect select) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.ident(column).sql(negated ? " NOT IN (" : " IN (");
            select.render(out);
            out.sql(")");
        }
    }

    /** Two-valued: an inner condition that is unknown because of an empty value counts as false, so NOT matches. */
    record Not(Condition inner) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            out.sql("(");
            inner.render(out);
            out.sql(") IS NOT TRUE");
        }
    }

    record Junction(String keyword, List<Condition> parts) implements Condition {
        @Override
        public void render(SqlBuilder out) {
            String separator = "";
            for (Condition part : parts) {
                out.sql(separator).sql("(");
                part.render(out);
                out.sql(")");
                separator = keyword;
            }
        }
    }
}
