package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.query.GroupBy;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.Condition;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.sql.Struct;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Counts and numeric statistics of an object's entries, grouped by fields, in one statement. */
public final class AggregateStore {

    private static final List<String> STATISTICS = List.of("sum", "avg", "min", "max");

    public List<AggregateGroup> aggregate(Transaction tx, ObjectDef object, Condition filter, List<GroupBy> groupBy) {
        return aggregate(tx, object, filter, groupBy, null);
    }

    /**
     * @param wanted the statistics to compute, as {@code "sum:lifetime_value"} (statistic, field api
     *               name); the others come back null. Null computes every statistic of every numeric
     *               field, which on a wide table costs far more than the count a client usually asks for.
     */
    public List<AggregateGroup> aggregate(Transaction tx, ObjectDef object, Condition filter, List<GroupBy> groupBy,
                                          java.util.Set<String> wanted) {
        List<FieldDef> keys = groupBy.stream().map(g -> groupable(object, g.field())).toList();
        List<FieldDef> numeric = object.fields().stream().filter(f -> f.kind().isNumeric()).toList();
        // Only the statistics asked for are columns: a placeholder NULL would also be a grouping key of
        // GROUP BY ALL, and a wide table's dozens of them made a count by segment several times its SQL.
        List<Statistic> computed = new ArrayList<>();
        for (FieldDef field : numeric) {
            for (String statistic : STATISTICS) {
                if (wanted == null || wanted.contains(statistic + ":" + field.apiName())) {
                    computed.add(new Statistic(statistic, field));
                }
            }
        }
        SqlBuilder sql = new SqlBuilder().sql("SELECT ");
        for (int i = 0; i < keys.size(); i++) {
            keyColumn(sql, keys.get(i), groupBy.get(i).granularity());
            sql.sql(" AS ").ident("g" + i).sql(", ");
        }
        sql.sql("count(*)");
        for (Statistic statistic : computed) {
            if (statistic.name().equals("avg")) {
                // DuckDB's avg is a DOUBLE: the exact sum and the count give an average exact to its scale.
                sql.sql(", struct_pack(s := sum(").ident(statistic.field().column()).sql("), n := count(")
                        .ident(statistic.field().column()).sql("))");
            } else {
                sql.sql(", " + statistic.name() + "(").ident(statistic.field().column()).sql(")");
            }
        }
        sql.sql(" FROM ").ident(object.apiName()).where(filter);
        if (!keys.isEmpty()) {
            // By the truncation itself, cast to a date per group: cast per row, the month of a million orders took half as long again.
            sql.sql(" GROUP BY ");
            for (int i = 0; i < keys.size(); i++) {
                sql.sql(i == 0 ? "" : ", ");
                groupExpression(sql, keys.get(i), groupBy.get(i).granularity());
            }
        }
        List<Grouped> groups = tx.query(sql.build(), row -> {
            Map<String, Object> key = new LinkedHashMap<>();
            Object[] keyValues = new Object[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                FieldDef field = keys.get(i);
                keyValues[i] = isDate(field) ? row.getObject(i + 1, LocalDate.class) : row.getObject(i + 1);
                key.put(field.apiName(), keyValues[i]);
            }
            int column = keys.size() + 1;
            long count = row.getLong(column++);
            Map<String, Map<String, Object>> statistics = new HashMap<>();
            STATISTICS.forEach(name -> {
                Map<String, Object> none = new HashMap<>();
                numeric.forEach(field -> none.put(field.apiName(), null));
                statistics.put(name, none);
            });
            for (Statistic statistic : computed) {
                Object value = row.getObject(column++);
                statistics.get(statistic.name()).put(statistic.field().apiName(),
                        statistic.name().equals("avg") ? average(value, statistic.field().numberScale()) : value);
            }
            return new Grouped(keyValues, new AggregateGroup(key, count, statistics.get("sum"), statistics.get("avg"),
                    statistics.get("min"), statistics.get("max")));
        });
        groups.sort(BY_KEYS);
        return groups.stream().map(Grouped::group).toList();
    }

    /** A group with its key values in the order they were asked, which is the order groups are answered in. */
    private record Grouped(Object[] keyValues, AggregateGroup group) {
    }

    /**
     * Groups in the order of their first key, then the second, ..., nulls last: what {@code ORDER BY 1, 2, ...
     * NULLS LAST} gives, sorted here since that clause cost DuckDB a fifth of a count by segment's statement
     * (bench/NOTES.md, twentieth session). Text compares by code point: DuckDB orders text by its UTF-8 bytes,
     * the same order; dates, ids and booleans by their natural order, as DuckDB does.
     */
    @SuppressWarnings("unchecked")
    private static final Comparator<Object> KEY_VALUE = Comparator.nullsLast((a, b) -> a instanceof String text
            ? byCodePoint(text, (String) b) : ((Comparable<Object>) a).compareTo(b));

    private static final Comparator<Grouped> BY_KEYS = (a, b) -> {
        for (int i = 0; i < a.keyValues().length; i++) {
            int order = KEY_VALUE.compare(a.keyValues()[i], b.keyValues()[i]);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    };

    private static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** One statistic of one numeric field, a column of the statement. */
    private record Statistic(String name, FieldDef field) {
    }

    /** Sum over count, rounded half-even to {@code scale} places (the field's); null for no values. */
    private static BigDecimal average(Object sumAndCount, int scale) throws SQLException {
        Object[] parts = sumAndCount == null ? null : ((Struct) sumAndCount).getAttributes();
        if (parts == null || parts[0] == null || ((Number) parts[1]).longValue() == 0) {
            return null;
        }
        return new BigDecimal(parts[0].toString()).divide(BigDecimal.valueOf(((Number) parts[1]).longValue()),
                scale, RoundingMode.HALF_EVEN);
    }

    private static boolean isDate(FieldDef field) {
        return field.kind() == FieldKind.DATE || field.kind() == FieldKind.DATETIME;
    }

    /** A key as answered: what it groups by, a date's truncation cast to a date (once per group). */
    private static void keyColumn(SqlBuilder sql, FieldDef field, GroupBy.Granularity granularity) {
        sql.sql(isDate(field) ? "CAST(" : "");
        groupExpression(sql, field, granularity);
        sql.sql(isDate(field) ? " AS DATE)" : "");
    }

    /** What a key groups by: the column, or a date's start of its day, week, month, quarter or year. */
    private static void groupExpression(SqlBuilder sql, FieldDef field, GroupBy.Granularity granularity) {
        if (isDate(field)) {
            String part = (granularity == null ? GroupBy.Granularity.DAY : granularity).name().toLowerCase(Locale.ROOT);
            sql.sql("date_trunc('" + part + "', ").ident(field.column()).sql(")");
        } else {
            sql.ident(field.column());
        }
    }

    private static FieldDef groupable(ObjectDef object, String name) {
        FieldDef field = object.fieldOrSystem(name).orElseThrow(() -> new CrmException(ErrorCode.VALIDATION,
                object.apiName() + " has no field '" + name + "' to group by", Map.of("object", object.apiName(), "field", name)));
        if (field.kind().isList() || field.kind() == FieldKind.RICHTEXT || field.kind().isNumeric()) {
            throw new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + name + ": cannot group by a "
                    + field.kind().name().toLowerCase(Locale.ROOT) + " field", Map.of("object", object.apiName(), "field", name));
        }
        return field;
    }
}
