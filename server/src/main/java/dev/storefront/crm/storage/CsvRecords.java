package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.util.List;

/**
 * One CSV record per row, rendered by DuckDB: each cell in the text {@link FieldValues#toText} gives
 * the same value, quoted as RFC 4180 asks (a cell holding a comma, quote, CR or LF is quoted, its
 * quotes doubled; an empty value is an empty cell). DuckDB formats and quotes on all its threads,
 * where formatting cell by cell in Java took most of an export's time.
 */
final class CsvRecords {

    private CsvRecords() {
    }

    /** The expression of one row's record (without its line end) over {@code columns}. */
    static void render(SqlBuilder sql, List<FieldDef> columns) {
        sql.sql("concat(");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sql.sql(", ',', ");
            }
            cell(sql, columns.get(i));
        }
        sql.sql(")");
    }

    private static void cell(SqlBuilder sql, FieldDef field) {
        if (!mayNeedQuotes(field.kind())) {
            text(sql, field);
            return;
        }
        sql.sql("CASE WHEN regexp_matches(");
        text(sql, field);
        sql.sql(", '[,\"\\r\\n]') THEN '\"' || replace(");
        text(sql, field);
        sql.sql(", '\"', '\"\"') || '\"' ELSE ");
        text(sql, field);
        sql.sql(" END");
    }

    /** Numbers, dates and booleans never hold a comma, quote or line break. */
    private static boolean mayNeedQuotes(FieldKind kind) {
        return switch (kind) {
            case NUMBER, INTEGER, RELATION, BOOLEAN, DATE, DATETIME -> false;
            default -> true;
        };
    }

    /** The cell's text, null for no value. */
    private static void text(SqlBuilder sql, FieldDef field) {
        switch (field.kind()) {
            case TEXT, EMAIL, PHONE, URL, RICHTEXT, ENUM -> sql.ident(field.column());
            case INTEGER, RELATION, BOOLEAN, DATE -> sql.sql("CAST(").ident(field.column()).sql(" AS VARCHAR)");
            case NUMBER -> number(sql, field);
            case DATETIME -> instant(sql, field);
            case MULTI_ENUM, TAGS -> sql.sql("CAST(to_json(").ident(field.column()).sql(") AS VARCHAR)");
        }
    }

    /** A field with a declared scale shows every decimal of it; one without shows no trailing zeros. */
    private static void number(SqlBuilder sql, FieldDef field) {
        if (field.scale() != null) {
            sql.sql("CAST(").ident(field.column()).sql(" AS VARCHAR)");
            return;
        }
        sql.sql("CASE WHEN contains(CAST(").ident(field.column()).sql(" AS VARCHAR), '.') THEN rtrim(rtrim(CAST(").ident(field.column())
                .sql(" AS VARCHAR), '0'), '.') ELSE CAST(").ident(field.column()).sql(" AS VARCHAR) END");
    }

    /** ISO 8601 in UTC with seconds always, and the fraction only when there is one, without trailing zeros. */
    private static void instant(SqlBuilder sql, FieldDef field) {
        sql.sql("strftime(timezone('UTC', ").ident(field.column()).sql("), '%Y-%m-%dT%H:%M:%S') || CASE WHEN microsecond(timezone('UTC', ")
                .ident(field.column()).sql(")) % 1000000 = 0 THEN '' ELSE '.' || rtrim(lpad(CAST(microsecond(timezone('UTC', ")
                .ident(field.column()).sql(")) % 1000000 AS VARCHAR), 6, '0'), '0') END || 'Z'");
    }
}
