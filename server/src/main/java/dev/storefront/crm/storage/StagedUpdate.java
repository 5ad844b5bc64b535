package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.Ident;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * "Update these fields from this query" ({@code CrmContext.updateFromQuery}): the query's rows are
 * staged once in a temporary table of the write transaction's connection, checked there by whole-set
 * statements, and applied by one {@code UPDATE ... FROM}. Each check answers the first offending
 * value or id so the caller can name it; the judging and the wording stay with the caller.
 */
public final class StagedUpdate {

    private static final String STAGED = "crm_staged_update";

    /** Result types that can be written back as a column type as they are: no nested names or quotes. */
    private static final Pattern PLAIN_TYPE = Pattern.compile("[A-Z][A-Z0-9_ ]*(\\([0-9, ]+\\))?(\\[\\])?");

    private static final java.util.Set<String> UNTYPED = java.util.Set.of("NULL", "\"NULL\"", "UNKNOWN");

    private final BoundSelect selects = new BoundSelect();

    /** What was staged: each column's name and DuckDB type, in the query's order, and how many rows. */
    public record Staged(Map<String, String> types, long rows) {

        public List<String> columns() {
            return List.copyOf(types.keySet());
        }

        public boolean hasIds() {
            return types.containsKey("id");
        }

        /** Whether the column of {@code field} already has the field's column type, so none of its values can fail the cast. */
        public boolean typedAs(FieldDef field) {
            String type = types.get(field.apiName());
            String wanted = ColumnTypes.of(field);
            return wanted.equals(type) || wanted.equals("TIMESTAMPTZ") && "TIMESTAMP WITH TIME ZONE".equals(type);
        }
    }

    /**
     * Runs {@code select} (exactly one SELECT, parameters bound) into the staging table. DuckDB cannot
     * prepare CREATE TABLE AS with parameters, so the table is declared from the query's result types
     * (read from a run without rows) and filled by INSERT ... SELECT.
     */
    public Staged stage(Transaction tx, String select, List<Object> parameters) {
        selects.requireSingleSelect(tx, select);
        List<String[]> columns = tx.describe(new SqlBuilder().sql("SELECT * FROM (").checkedSelect(select, parameters)
                .sql(") LIMIT 0").build());
        SqlBuilder create = new SqlBuilder().sql("CREATE OR REPLACE TEMP TABLE ").ident(STAGED).sql(" (");
        Map<String, String> types = new LinkedHashMap<>();
        String separator = "";
        for (String[] column : columns) {
            if (!UNTYPED.contains(column[1]) && !PLAIN_TYPE.matcher(column[1]).matches() || !Ident.isValid(column[0])) {
                throw new CrmException(ErrorCode.VALIDATION, "The query's column '" + column[0] + "' (" + column[1]
                        + ") cannot be a field value: name columns by field api names and return plain values",
                        Map.of("column", column[0]));
            }
            // NULL literals and parameters DuckDB cannot type before binding (CASE ... ELSE ?) are staged as text.
            String type = UNTYPED.contains(column[1]) ? "VARCHAR" : column[1];
            create.sql(separator).ident(column[0]).sql(" " + type);
            types.put(column[0], type);
            separator = ", ";
        }
        tx.update(create.sql(")").build());
        long rows = tx.update(new SqlBuilder().sql("INSERT INTO ").ident(STAGED).sql(" ").checkedSelect(select, parameters).build());
        return new Staged(types, rows);
    }

    public void drop(Transaction tx) {
        tx.update(new SqlBuilder().sql("DROP TABLE IF EXISTS ").ident(STAGED).build());
    }

    /**
     * What is wrong with the staged ids, first an id given twice or an empty one, else an id that is
     * no entry of {@code object}: one pass over the staged rows joined with the object's ids.
     */
    public Optional<BadId> badId(Transaction tx, ObjectDef object) {
        return tx.query(new SqlBuilder().sql("SELECT CAST(s.\"id\" AS VARCHAR), count(*) > 1 AS repeated FROM ").ident(STAGED)
                .sql(" s LEFT JOIN ").ident(object.apiName()).sql(" o ON o.\"id\" = TRY_CAST(s.\"id\" AS BIGINT) GROUP BY s.\"id\"")
                .sql(" HAVING count(*) > 1 OR s.\"id\" IS NULL OR count(o.\"id\") = 0 ORDER BY s.\"id\" IS NULL DESC, repeated DESC LIMIT 1")
                .build(), row -> new BadId(row.getString(1), row.getBoolean(2))).stream().findFirst();
    }

    /** A staged id that is empty ({@code id} null), given more than once ({@code repeated}) or no entry. */
    public record BadId(String id, boolean repeated) {
    }

    /**
     * A value the column's type cannot hold exactly (text that is no number, 12.5 for an integer,
     * a number beyond 14 digits). Text kinds take anything, so only typed columns are checked here.
     */
    public Optional<String> uncastable(Transaction tx, FieldDef field) {
        String column = field.apiName();
        String type = ColumnTypes.of(field);
        SqlBuilder sql = new SqlBuilder().sql("SELECT CAST(").ident(column).sql(" AS VARCHAR) FROM ").ident(STAGED)
                .sql(" WHERE ").ident(column).sql(" IS NOT NULL AND (TRY_CAST(").ident(column).sql(" AS " + type + ") IS NULL");
        if (field.kind() == FieldKind.INTEGER || field.kind() == FieldKind.RELATION) {
            sql.sql(" OR TRY_CAST(").ident(column).sql(" AS DOUBLE) <> TRY_CAST(").ident(column).sql(" AS BIGINT)");
        }
        return first(tx, sql.sql(") LIMIT 1").build());
    }

    /**
     * Every distinct value of each of {@code fields} as text, list items one by one, by field api name,
     * in one statement: for checks only Java can make.
     */
    public Map<String, List<String>> distinctTexts(Transaction tx, List<FieldDef> fields) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        if (fields.isEmpty()) {
            return texts;
        }
        SqlBuilder sql = new SqlBuilder();
        for (int i = 0; i < fields.size(); i++) {
            FieldDef field = fields.get(i);
            texts.put(field.apiName(), new ArrayList<>());
            // DuckDB refuses a filter on an unnest in the same SELECT: the items are listed in a subquery first.
            sql.sql(i == 0 ? "" : " UNION ALL ").sql("SELECT DISTINCT " + i + " AS f, v FROM (SELECT CAST(");
            if (field.kind().isList()) {
                sql.sql("unnest(").ident(field.apiName()).sql("::VARCHAR[])");
            } else {
                sql.ident(field.apiName());
            }
            sql.sql(" AS VARCHAR) AS v FROM ").ident(STAGED).sql(") WHERE v IS NOT NULL");
        }
        tx.query(sql.build(), row -> texts.get(fields.get(row.getInt(1)).apiName()).add(row.getString(2)));
        return texts;
    }

    /** Replaces values (or list items) by their stored form, e.g. an enum's api value by its label. */
    public void replace(Transaction tx, FieldDef field, Map<String, String> storedByGiven) {
        SqlArray given = new SqlArray("VARCHAR", List.copyOf(storedByGiven.keySet()));
        SqlArray stored = new SqlArray("VARCHAR", List.copyOf(storedByGiven.values()));
        String column = field.apiName();
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(STAGED).sql(" SET ").ident(column).sql(" = ");
        if (field.kind().isList()) {
            sql.sql("list_distinct(list_transform(").ident(column).sql("::VARCHAR[], x -> coalesce(map_extract_value(MAP(")
                    .bind(given).sql("::VARCHAR[], ").bind(stored).sql("::VARCHAR[]), x), x)))");
        } else {
            sql.sql("coalesce(map_extract_value(MAP(").bind(given).sql("::VARCHAR[], ").bind(stored)
                    .sql("::VARCHAR[]), CAST(").ident(column).sql(" AS VARCHAR)), CAST(").ident(column).sql(" AS VARCHAR))");
        }
        tx.update(sql.build());
    }

    /** The id of a row that leaves {@code field} empty (its row number when the rows are new entries, without ids). */
    public Optional<String> emptyValue(Transaction tx, FieldDef field, boolean hasIds) {
        return first(tx, new SqlBuilder().sql(hasIds ? "SELECT CAST(\"id\" AS VARCHAR) FROM " : "SELECT CAST(row_number() OVER () AS VARCHAR) FROM ").ident(STAGED)
                .sql(" WHERE ").ident(field.apiName()).sql(" IS NULL LIMIT 1").build());
    }

    /** A relation target id that is not an entry of {@code target}. */
    public Optional<String> missingTarget(Transaction tx, FieldDef field, ObjectDef target) {
        return first(tx, new SqlBuilder().sql("SELECT CAST(s.").ident(field.apiName()).sql(" AS VARCHAR) FROM ").ident(STAGED)
                .sql(" s ANTI JOIN ").ident(target.apiName()).sql(" t ON t.\"id\" = CAST(s.").ident(field.apiName())
                .sql(" AS BIGINT) WHERE s.").ident(field.apiName()).sql(" IS NOT NULL LIMIT 1").build());
    }

    /**
     * A value of a unique field that two entries would hold once the staged rows are applied: as
     * updates of the entries their ids name ({@code updates}), or as new entries.
     */
    public Optional<String> duplicateAfter(Transaction tx, ObjectDef object, FieldDef field, boolean updates) {
        String type = ColumnTypes.of(field);
        SqlBuilder sql = new SqlBuilder().sql("SELECT CAST(v AS VARCHAR) FROM (");
        if (updates) {
            sql.sql("SELECT CASE WHEN s.\"id\" IS NULL THEN o.").ident(field.column()).sql(" ELSE CAST(s.").ident(field.apiName())
                    .sql(" AS " + type + ") END AS v FROM ").ident(object.apiName()).sql(" o LEFT JOIN ").ident(STAGED)
                    .sql(" s ON CAST(s.\"id\" AS BIGINT) = o.\"id\"");
        } else {
            sql.sql("SELECT ").ident(field.column()).sql(" AS v FROM ").ident(object.apiName()).sql(" UNION ALL SELECT CAST(")
                    .ident(field.apiName()).sql(" AS " + type + ") FROM ").ident(STAGED);
        }
        return first(tx, sql.sql(") WHERE v IS NOT NULL GROUP BY v HAVING count(*) > 1 LIMIT 1").build());
    }

    /**
     * Inserts the staged rows as new entries with ids {@code firstId}, {@code firstId + 1}, ... in one
     * statement; {@code defaulted} fields take their defaults. Returns the new ids.
     */
    public List<Long> insert(Transaction tx, long firstId, ObjectDef object, List<FieldDef> fields, List<FieldDef> defaulted,
                             OffsetDateTime now) {
        SqlBuilder sql = new SqlBuilder().sql("INSERT INTO ").ident(object.apiName()).sql(" (\"id\", \"created_at\", \"updated_at\"");
        fields.forEach(f -> sql.sql(", ").ident(f.column()));
        defaulted.forEach(f -> sql.sql(", ").ident(f.column()));
        sql.sql(") SELECT ").bind(firstId - 1).sql(" + row_number() OVER (), ").bind(now).sql(", ").bind(now);
        fields.forEach(f -> sql.sql(", CAST(").ident(f.apiName()).sql(" AS " + ColumnTypes.of(f) + ")"));
        defaulted.forEach(f -> sql.sql(", ").bind(FieldValues.toText(f.defaultValue()))
                .sql(ColumnTypes.castFromText(f)));
        return tx.query(sql.sql(" FROM ").ident(STAGED).sql(" RETURNING \"id\"").build(), row -> row.getLong(1));
    }

    /** The staged entry ids. */
    public List<Long> ids(Transaction tx) {
        return tx.query(new SqlBuilder().sql("SELECT CAST(\"id\" AS BIGINT) FROM ").ident(STAGED).build(), row -> row.getLong(1));
    }

    /**
     * Applies the staged values in one statement. Entries whose values already equal the staged ones
     * are left alone, {@code updated_at} included. Returns how many entries changed. No
     * {@code RETURNING}: DuckDB 2.0 took 3-4 s for an {@code UPDATE ... FROM ... RETURNING} of
     * 6,250 of 100,000 customers that took 10-25 ms without it; {@link #changing} names them when
     * a caller needs to.
     */
    public long apply(Transaction tx, ObjectDef object, List<FieldDef> fields, OffsetDateTime now) {
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" SET \"updated_at\" = ").bind(now);
        for (FieldDef field : fields) {
            sql.sql(", ").ident(field.column()).sql(" = s.").ident(field.apiName());
        }
        return tx.update(differing(sql.sql(" FROM "), object, fields).build());
    }

    /** The ids of the entries {@link #apply} would change (asked before it). */
    public List<Long> changing(Transaction tx, ObjectDef object, List<FieldDef> fields) {
        SqlBuilder sql = new SqlBuilder().sql("SELECT s.\"id\" FROM ").ident(object.apiName()).sql(", ");
        return tx.query(differing(sql, object, fields).build(), row -> row.getLong(1));
    }

    /** {@code (staged values) s WHERE <object>.id = s.id AND <a value differs>}: the staged rows that change their entry. */
    private static SqlBuilder differing(SqlBuilder sql, ObjectDef object, List<FieldDef> fields) {
        sql.sql("(SELECT CAST(\"id\" AS BIGINT) AS \"id\"");
        for (FieldDef field : fields) {
            sql.sql(", CAST(").ident(field.apiName()).sql(" AS " + ColumnTypes.of(field) + ") AS ").ident(field.apiName());
        }
        sql.sql(" FROM ").ident(STAGED).sql(") s WHERE ").ident(object.apiName()).sql(".\"id\" = s.\"id\" AND (false");
        for (FieldDef field : fields) {
            sql.sql(" OR ").ident(object.apiName()).sql(".").ident(field.column()).sql(" IS DISTINCT FROM s.").ident(field.apiName());
        }
        return sql.sql(")");
    }

    private static Optional<String> first(Transaction tx, Sql sql) {
        return tx.query(sql, row -> row.getString(1)).stream().findFirst();
    }
}
