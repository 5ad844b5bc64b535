package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code COPY ... TO} file of CSV records, written by DuckDB on all its threads: each cell in the
 * text {@link FieldValues#toText} gives the same value, quoted as RFC 4180 asks (a cell holding a comma,
 * quote, CR or LF is quoted, its quotes doubled; an empty value is an empty cell), records ending with
 * CRLF. Rendering each record as one string in the query and writing it from Java took about twice as
 * long for 1M rows (bench/NOTES.md).
 */
final class CsvCopy {

    private CsvCopy() {
    }

    /** Opens the statement; the caller appends the select of the records' {@link #cells}, then {@link #to}. */
    static SqlBuilder copy() {
        return new SqlBuilder().sql("COPY (SELECT ");
    }

    /** Closes the statement: the records go to {@code file}. */
    static Sql to(SqlBuilder sql, Path file) {
        return sql.sql(") TO ").bind(file.toAbsolutePath().toString()).sql(" (FORMAT csv, HEADER false, NULLSTR '', NEW_LINE '\\r\\n')").build();
    }

    /** The select list of one record's cells over {@code columns}. */
    static void cells(SqlBuilder sql, List<FieldDef> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sql.sql(", ");
            }
            cell(sql, columns.get(i));
        }
    }

    private static void cell(SqlBuilder sql, FieldDef field) {
        if (!mayNeedQuotes(field.kind())) {
            text(sql, field);
            return;
        }
        // COPY quotes an empty text to tell it from no value; the export writes both as an empty cell.
        sql.sql("nullif(");
        text(sql, field);
        sql.sql(", '')");
    }

    /** Numbers, dates and booleans are never empty text. */
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

    /**
     * A field with a declared scale shows every decimal of it; one without shows no trailing zeros. Its
     * column keeps {@link FieldValues#NUMBER_SCALE} decimals, so its text always holds a point to trim back to.
     */
    private static void number(SqlBuilder sql, FieldDef field) {
        if (field.scale() != null) {
            sql.sql("CAST(").ident(field.column()).sql(" AS VARCHAR)");
            return;
        }
        sql.sql("rtrim(rtrim(CAST(").ident(field.column()).sql(" AS VARCHAR), '0'), '.')");
    }

    /**
     * ISO 8601 in UTC with seconds always, and the fraction only when there is one, without trailing
     * zeros: the six digits of microseconds trimmed, and the point with them when all were zeros.
     */
    private static void instant(SqlBuilder sql, FieldDef field) {
        sql.sql("rtrim(rtrim(strftime(timezone('UTC', ").ident(field.column()).sql("), '%Y-%m-%dT%H:%M:%S.%f'), '0'), '.') || 'Z'");
    }
}
