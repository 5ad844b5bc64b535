package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.metadata.Expression;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes rollup and formula columns, set-based: one {@code UPDATE ... FROM} sets every computed field
 * of an object, with one grouped scan per related object (each rollup's filter becomes a
 * {@code FILTER (WHERE ...)} clause of that scan) and formulas computed over them in layers above.
 * Only rows whose values change are written; {@code updated_at} is left alone, since nothing a
 * client wrote changed.
 */
public final class RollupStore {

    private static final String PARENT = "crm_p";
    /** Names of the parent's row id and its stored values in the recompute's own columns ({@code crm_} names are reserved). */
    private static final String ROW_ID = "crm_row";
    private static final String WAS = "crm_was_";
    private static final String FIELD = "crm_field_";
    private static final int SEMI_JOIN_FROM = 64;

    /**
     * Recomputes {@code columns} of {@code object} for the entries {@code ids}, or for all entries when
     * {@code ids} is null. Datetimes rolled up into date fields are read in {@code timeZone}.
     * Returns how many entries changed.
     */
    public long recompute(Transaction tx, ObjectDef object, List<ComputedColumn> columns, Collection<Long> ids, String timeZone) {
        if (columns.isEmpty() || ids != null && ids.isEmpty()) {
            return 0;
        }
        Map<String, List<ComputedColumn.Rollup>> scans = new LinkedHashMap<>();
        for (ComputedColumn column : columns) {
            if (column instanceof ComputedColumn.Rollup rollup) {
                scans.computeIfAbsent(rollup.from().apiName() + "." + rollup.via().column(), k -> new ArrayList<>()).add(rollup);
            }
        }
        Render render = new Render(scans, byName(columns), timeZone, true, null);

        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" SET ");
        String separator = "";
        for (ComputedColumn column : columns) {
            sql.sql(separator).ident(column.field().column()).sql(" = s.").ident(column.field().column());
            separator = ", ";
        }
        // The changed rows are picked before they are sorted: a recompute that changes few sorts few.
        // A single write's few rows are not sorted at all: DuckDB plans every statement anew on each run,
        // so the sort and the rowid column cost a few planned operators for nothing.
        boolean sorted = !few(ids);
        sql.sql(" FROM (SELECT * FROM (");
        // Formulas read the rollups (and formulas) of the layer below by name, each layer one formula
        // deeper, instead of repeating their whole expressions: the statement DuckDB plans stays small.
        Map<Integer, List<ComputedColumn.Formula>> layers = render.layers(columns);
        for (int layer = layers.size(); layer >= 1; layer--) {
            sql.sql("SELECT *");
            for (ComputedColumn.Formula formula : layers.get(layer)) {
                sql.sql(", ");
                render.value(sql, formula, 0);
                sql.sql(" AS ").ident(formula.field().column());
            }
            sql.sql(" FROM (");
        }
        sql.sql("SELECT ").ident(PARENT).sql(".\"id\"");
        if (sorted) {
            sql.sql(", ").ident(PARENT).sql(".rowid AS ").ident(ROW_ID);
        }
        for (int i = 0; i < columns.size(); i++) {
            ComputedColumn column = columns.get(i);
            if (column instanceof ComputedColumn.Rollup) {
                sql.sql(", ");
                render.value(sql, column, 0);
                sql.sql(" AS ").ident(column.field().column());
            }
            sql.sql(", ").ident(PARENT).sql(".").ident(column.field().column()).sql(" AS ").ident(WAS + i);
        }
        for (String field : render.plainFieldsRead(columns)) {
            sql.sql(", ").ident(PARENT).sql(".").ident(field).sql(" AS ").ident(FIELD + field);
        }
        sql.sql(" FROM ").ident(object.apiName()).sql(" AS ").ident(PARENT);
        int scan = 0;
        for (List<ComputedColumn.Rollup> rollups : scans.values()) {
            ComputedColumn.Rollup first = rollups.get(0);
            sql.sql(" LEFT JOIN ");
            scan(sql, rollups, first.via().column(), ids);
            sql.sql(" AS ").ident("r" + scan).sql(" ON ").ident("r" + scan).sql(".\"k\" = ").ident(PARENT).sql(".\"id\"");
            scan++;
        }
        if (ids != null) {
            sql.sql(" WHERE ");
            sql.ident(PARENT).sql(".");
            among(sql, "id", ids);
        }
        for (int layer = 1; layer <= layers.size(); layer++) {
            sql.sql(") AS ").ident("l" + layer);
        }
        sql.sql(") WHERE ");
        for (int i = 0; i < columns.size(); i++) {
            sql.sql(i == 0 ? "" : " OR ").ident(columns.get(i).field().column()).sql(" IS DISTINCT FROM ").ident(WAS + i);
        }
        if (sorted) {
            // In table order: DuckDB updates rows that arrive in storage order ~10x faster than the
            // scattered order a hash join gives (measured: 43,000 customers, 6.3 s against 0.7 s).
            sql.sql(" ORDER BY ").ident(ROW_ID);
        }
        return tx.update(sql.sql(") AS s WHERE ").ident(object.apiName()).sql(".\"id\" = s.\"id\"").build());
    }

    /**
     * Entries {@code created} of {@code child} were just inserted: adds what they contribute to each
     * rollup over {@code child} (a count or sum adds, a min or max keeps the lesser or greater) and
     * computes the formulas over the results, for the entries of {@code object} they link to. Exactly
     * what {@link #recompute} gives when the stored values were current and {@link #adds} holds. One
     * {@code UPDATE ... FROM} over the grouped new rows, without the recompute's layers: DuckDB binds
     * and plans a statement again on every run, so a single order's statement costs by its size
     * (measured: ~0.7x the recompute's CPU). Returns how many entries it wrote.
     */
    public long addCreated(Transaction tx, ObjectDef object, List<ComputedColumn> columns, ObjectDef child, Collection<Long> created,
                           String timeZone) {
        // The new entries are in no entry's list yet, so their lists' conditions (an order with a return)
        // are decided without reading those tables: at 600,000 returns, most of the statement. A rollup whose
        // filter is then false for every new entry keeps its stored value.
        List<ComputedColumn.Rollup> rollups = over(columns, child).stream()
                .filter(rollup -> !(unlinked(rollup).where() instanceof Condition.Never)).toList();
        if (created.isEmpty() || rollups.isEmpty()) {
            return 0;
        }
        Render render = new Render(Map.of("added", rollups), byName(columns), timeZone, false, child);
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" AS ").ident(PARENT).sql(" SET ");
        String separator = "";
        for (ComputedColumn column : columns) {
            if (column instanceof ComputedColumn.Formula || rollups.contains(column)) {
                sql.sql(separator).ident(column.field().column()).sql(" = ");
                render.value(sql, column, 0);
                separator = ", ";
            }
        }
        sql.sql(" FROM ");
        scan(sql, rollups.stream().map(RollupStore::unlinked).toList(), "id", created);
        return tx.update(sql.sql(" AS \"r0\" WHERE ").ident(PARENT).sql(".\"id\" = \"r0\".\"k\"").build());
    }

    /**
     * Whether new entries of {@code child} change {@code columns} only by what they add: every rollup
     * over {@code child} is a count, a sum kept in the summed field's own type (decimals add exactly; a
     * sum rounded to fewer places would round differently), a minimum or a maximum, all through one
     * relation. An average or a count of distinct values needs every row again.
     */
    public static boolean adds(List<ComputedColumn> columns, ObjectDef child) {
        List<ComputedColumn.Rollup> rollups = over(columns, child);
        return rollups.stream().map(rollup -> rollup.via().apiName()).distinct().count() == 1 && rollups.stream().allMatch(rollup ->
                switch (rollup.aggregate()) {
                    case COUNT, MIN, MAX -> true;
                    case SUM -> ColumnTypes.of(rollup.source()).equals(ColumnTypes.of(rollup.field()));
                    default -> false;
                });
    }

    private static List<ComputedColumn.Rollup> over(List<ComputedColumn> columns, ObjectDef child) {
        return columns.stream().filter(column -> column instanceof ComputedColumn.Rollup rollup && rollup.from().apiName().equals(child.apiName()))
                .map(ComputedColumn.Rollup.class::cast).toList();
    }

    private static ComputedColumn.Rollup unlinked(ComputedColumn.Rollup rollup) {
        return new ComputedColumn.Rollup(rollup.field(), rollup.from(), rollup.via(), rollup.aggregate(), rollup.source(),
                Condition.unlinked(rollup.where()));
    }

    /**
     * {@code (SELECT <via> AS k, <aggregate> AS a0, ... FROM <from> WHERE <column among rows> GROUP BY 1)}:
     * the rollups' aggregates per linked entry, over the rows whose {@code column} is among {@code rows}
     * (every linked row when null).
     */
    private static void scan(SqlBuilder sql, List<ComputedColumn.Rollup> rollups, String column, Collection<Long> rows) {
        ComputedColumn.Rollup first = rollups.get(0);
        List<Condition> shared = shared(rollups);
        sql.sql("(SELECT ").ident(first.via().column()).sql(" AS \"k\"");
        for (int i = 0; i < rollups.size(); i++) {
            sql.sql(", ");
            aggregate(sql, rollups.get(i), shared, column, rows);
            sql.sql(" AS ").ident("a" + i);
        }
        sql.sql(" FROM ").ident(first.from().apiName()).sql(" WHERE ");
        if (rows == null) {
            sql.ident(column).sql(" IS NOT NULL");
        } else {
            among(sql, column, rows);
        }
        if (!shared.isEmpty()) {
            sql.sql(" AND (").condition(forRows(first, Condition.and(shared), column, rows)).sql(")");
        }
        sql.sql(" GROUP BY 1)");
    }

    /** The alias of the entry's own row that {@link #appendNewEntryValues} reads its fields from. */
    public static final String ROW = PARENT;

    /**
     * Appends {@code , <value> AS <column>} for each of {@code columns}: the values of an entry that no
     * other entry links to yet (a new one), every rollup over no rows and the formulas over them, read
     * over the entry's own row, which the caller's FROM clause names {@link #ROW}. An import inserts
     * new entries with these values, so they need no recompute afterwards.
     */
    public void appendNewEntryValues(SqlBuilder sql, List<ComputedColumn> columns, String timeZone) {
        Render render = new Render(Map.of(), byName(columns), timeZone, false, null);
        for (ComputedColumn column : columns) {
            sql.sql(", ");
            render.value(sql, column, 0);
            sql.sql(" AS ").ident(column.field().column());
        }
    }

    private static Map<String, ComputedColumn> byName(List<ComputedColumn> columns) {
        Map<String, ComputedColumn> byName = new LinkedHashMap<>();
        columns.forEach(c -> byName.put(c.field().apiName(), c));
        return byName;
    }

    /**
     * A few ids (a single write) as a constant list, which the scan filters by; many (an import chunk
     * touches tens of thousands of entries) as {@code IN (SELECT unnest(ids))}, a hash semi-join,
     * measured 2x faster than {@code = ANY(list)} on 10M rows (and 3x slower for one id).
     */
    private static void among(SqlBuilder sql, String column, Collection<Long> ids) {
        if (few(ids)) {
            Condition.in(column, Set.copyOf(ids)).render(sql);
        } else {
            sql.ident(column).sql(" IN (SELECT unnest(").bind(new SqlArray("BIGINT", List.copyOf(ids))).sql("::BIGINT[]))");
        }
    }

    /** A single write's entries, not an import chunk's or every entry. */
    private static boolean few(Collection<Long> ids) {
        return ids != null && ids.size() < SEMI_JOIN_FROM;
    }

    /**
     * The filters every rollup of one scan has (the customer's orders that are not Cancelled): the scan
     * reads them once in its WHERE instead of each aggregate in its FILTER, and aggregates fewer rows
     * (a full recompute of the shipped metrics: ~25% less time in the orders' scan).
     */
    private static List<Condition> shared(List<ComputedColumn.Rollup> rollups) {
        List<Condition> shared = new ArrayList<>(Condition.conjuncts(rollups.get(0).where()));
        rollups.forEach(rollup -> shared.retainAll(Condition.conjuncts(rollup.where())));
        return shared;
    }

    /** The aggregate with the part of its filter that the scan's WHERE does not apply already ({@code shared}). */
    private static void aggregate(SqlBuilder sql, ComputedColumn.Rollup rollup, List<Condition> shared, String column, Collection<Long> rows) {
        switch (rollup.aggregate()) {
            case COUNT -> sql.sql("count(*)");
            case COUNT_DISTINCT -> sql.sql("count(DISTINCT ").ident(rollup.source().column()).sql(")");
            default -> sql.sql(rollup.aggregate().name().toLowerCase()).sql("(").ident(rollup.source().column()).sql(")");
        }
        List<Condition> own = new ArrayList<>(Condition.conjuncts(rollup.where()));
        own.removeAll(shared);
        if (!own.isEmpty()) {
            sql.sql(" FILTER (WHERE ").condition(forRows(rollup, Condition.and(own), column, rows)).sql(")");
        }
    }

    /**
     * A rollup's filter as the scan asks it: for a few rows read (those whose {@code column} is one of
     * {@code rows}: one customer's orders, or the new orders) its looks into other lists (an order's
     * returns) read only the rows linked to those.
     */
    private static Condition forRows(ComputedColumn.Rollup rollup, Condition where, String column, Collection<Long> rows) {
        return few(rows) ? Condition.restricted(where, rollup.from().apiName(), Condition.in(column, Set.copyOf(rows))) : where;
    }

    /**
     * Renders each computed field's value over the parent row and the joined scans; with no scans,
     * over none: every aggregate is that of no rows. {@code layered}: a formula reads the computed
     * fields it names as columns of the layer below ({@link #layers}) and the entry's other fields as
     * {@code crm_field_} columns, instead of over the parent row. {@code added} (or null): the object
     * whose new rows the scans hold, added to the stored values ({@link #addCreated}).
     */
    private record Render(Map<String, List<ComputedColumn.Rollup>> scans, Map<String, ComputedColumn> byName, String timeZone,
                          boolean layered, ObjectDef added) {

        /** Formulas may read formulas; a definition that reads itself through others stops here. */
        private static final int MAX_DEPTH = 32;

        /** The formulas by layer, from 1: a formula's layer is one above the deepest formula it reads (rollups are layer 0). */
        Map<Integer, List<ComputedColumn.Formula>> layers(List<ComputedColumn> columns) {
            Map<Integer, List<ComputedColumn.Formula>> layers = new TreeMap<>();
            for (ComputedColumn column : columns) {
                if (column instanceof ComputedColumn.Formula formula) {
                    layers.computeIfAbsent(layer(formula, 0), k -> new ArrayList<>()).add(formula);
                }
            }
            return layers;
        }

        private int layer(ComputedColumn column, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalStateException("Formula of " + column.field().apiName() + " reads itself");
            }
            if (!(column instanceof ComputedColumn.Formula formula)) {
                return 0;
            }
            int below = 0;
            for (String name : formula.expression().fields()) {
                ComputedColumn read = byName.get(name);
                if (read != null) {
                    below = Math.max(below, layer(read, depth + 1));
                }
            }
            return below + 1;
        }

        /** The fields of the entry, not computed, that the formulas read. */
        Set<String> plainFieldsRead(List<ComputedColumn> columns) {
            Set<String> read = new TreeSet<>();
            for (ComputedColumn column : columns) {
                if (column instanceof ComputedColumn.Formula formula) {
                    formula.expression().fields().stream().filter(name -> !byName.containsKey(name)).forEach(read::add);
                }
            }
            return read;
        }

        void value(SqlBuilder sql, ComputedColumn column, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalStateException("Formula of " + column.field().apiName() + " reads itself");
            }
            FieldKind kind = column.field().kind();
            String type = ColumnTypes.of(column.field());
            if (column instanceof ComputedColumn.Rollup rollup && added != null) {
                addedValue(sql, rollup);
                return;
            }
            if (column instanceof ComputedColumn.Rollup rollup) {
                String aggregate = reference(rollup);
                boolean toDate = kind == FieldKind.DATE && rollup.source() != null && rollup.source().kind() == FieldKind.DATETIME;
                if (toDate) {
                    sql.sql("CAST(timezone(").bind(timeZone).sql(", ").sql(aggregate).sql(") AS DATE)");
                } else if (rollup.aggregate().zeroWhenEmpty()) {
                    sql.sql("CAST(coalesce(").sql(aggregate).sql(", 0) AS " + type + ")");
                } else {
                    sql.sql("CAST(").sql(aggregate).sql(" AS " + type + ")");
                }
                return;
            }
            sql.sql("CAST(");
            expression(sql, ((ComputedColumn.Formula) column).expression(), depth);
            sql.sql(" AS " + type + ")");
        }

        /**
         * A rollup's value after new rows of {@code added} were inserted: the stored value with what the
         * new rows give (their aggregate, rendered as a recompute renders it), or the stored value alone
         * for a rollup they do not add to (over another object, or a filter none of them can pass).
         * Counts and sums are stored as 0 over no rows; least and greatest skip NULLs, so an empty
         * stored date or a new row without one keeps the other.
         */
        private void addedValue(SqlBuilder sql, ComputedColumn.Rollup rollup) {
            if (scans.values().stream().noneMatch(scanned -> scanned.contains(rollup))) {
                sql.ident(PARENT).sql(".").ident(rollup.field().column());
                return;
            }
            boolean extreme = rollup.aggregate() == Computed.Aggregate.MIN || rollup.aggregate() == Computed.Aggregate.MAX;
            if (extreme) {
                sql.sql(rollup.aggregate() == Computed.Aggregate.MIN ? "least(" : "greatest(");
            } else {
                sql.sql("CAST(coalesce(");
            }
            sql.ident(PARENT).sql(".").ident(rollup.field().column()).sql(extreme ? ", " : ", 0) + ");
            new Render(scans, byName, timeZone, layered, null).value(sql, rollup, 0);
            sql.sql(extreme ? ")" : " AS " + ColumnTypes.of(rollup.field()) + ")");
        }

        /** {@code "r0"."a1"}: written from generated names only; a typed NULL without scans. */
        private String reference(ComputedColumn.Rollup rollup) {
            if (scans.isEmpty()) {
                boolean counts = rollup.aggregate() == Computed.Aggregate.COUNT || rollup.aggregate() == Computed.Aggregate.COUNT_DISTINCT;
                return "CAST(NULL AS " + (counts ? "BIGINT" : ColumnTypes.of(rollup.source())) + ")";
            }
            int scan = 0;
            for (List<ComputedColumn.Rollup> rollups : scans.values()) {
                int index = rollups.indexOf(rollup);
                if (index >= 0) {
                    return "\"r" + scan + "\".\"a" + index + "\"";
                }
                scan++;
            }
            throw new IllegalStateException("No scan for " + rollup.field().apiName());
        }

        private void expression(SqlBuilder sql, Expression e, int depth) {
            if (e instanceof Expression.Number n) {
                sql.sql("CAST(").bind(n.value()).sql(" AS DECIMAL(18,4))");
            } else if (e instanceof Expression.Field f) {
                ComputedColumn computed = byName.get(f.name());
                if (computed != null && layered) {
                    sql.ident(computed.field().column());
                } else if (computed != null) {
                    value(sql, computed, depth + 1);
                } else if (layered) {
                    sql.ident(FIELD + f.name());
                } else {
                    sql.ident(PARENT).sql(".").ident(f.name());
                }
            } else if (e instanceof Expression.Negate n) {
                sql.sql("(-");
                expression(sql, n.inner(), depth);
                sql.sql(")");
            } else if (e instanceof Expression.Binary b && b.operator() == '/') {
                // Division by zero gives an empty value, like any other missing input. DuckDB divides
                // decimals as doubles (261.215 comes back as 261.21499...); carried back to 10 places
                // the quotient is exact again, so round() after it rounds half up as a person would.
                sql.sql("CAST(");
                expression(sql, b.left(), depth);
                sql.sql(" / nullif(");
                expression(sql, b.right(), depth);
                sql.sql(", 0) AS DECIMAL(38,10))");
            } else if (e instanceof Expression.Binary b) {
                sql.sql("(");
                expression(sql, b.left(), depth);
                sql.sql(" " + b.operator() + " ");
                expression(sql, b.right(), depth);
                sql.sql(")");
            } else {
                call(sql, (Expression.Call) e, depth);
            }
        }

        private void call(SqlBuilder sql, Expression.Call call, int depth) {
            List<Expression> args = call.arguments();
            switch (call.function()) {
                case "round" -> {
                    sql.sql("round(");
                    expression(sql, args.get(0), depth);
                    sql.sql(", CAST(");
                    expression(sql, args.get(1), depth);
                    sql.sql(" AS INTEGER))");
                }
                case "days_between" -> {
                    sql.sql("date_diff('day', CAST(");
                    expression(sql, args.get(0), depth);
                    sql.sql(" AS DATE), CAST(");
                    expression(sql, args.get(1), depth);
                    sql.sql(" AS DATE))");
                }
                default -> {
                    sql.sql("coalesce(");
                    for (int i = 0; i < args.size(); i++) {
                        sql.sql(i == 0 ? "" : ", ");
                        expression(sql, args.get(i), depth);
                    }
                    sql.sql(")");
                }
            }
        }
    }
}
