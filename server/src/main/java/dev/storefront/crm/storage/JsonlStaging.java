package dev.storefront.crm.storage;

import dev.storefront.crm.api.sync.JsonLines;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A JSON Lines file staged whole by DuckDB's own JSON reader ({@code read_json} given the {@link LineShape}
 * of the values read, one parse of each line, lines that are not JSON kept as rows flagged {@code bad}) into tables the chunks of
 * an import then read by record number ({@link ChunkRows}). The records' table holds {@code rec}
 * (1 = first record), {@code line} (the same), {@code page_line}, {@code bad}, {@code parent} (the record's
 * parent id) and one trimmed text cell per column of its {@link Layout}; each list of items gets a table of
 * its own, whose {@code rec} numbers the items in file order, whose {@code line} is the record holding
 * them and whose {@code page_line} is that record's. A column is a path in the record or item
 * ({@code a.b}), or {@code ^a.b}: that path in the parent (the record whose id is the record's parent id;
 * for an item, the record holding it).
 *
 * <p>A page of the import reads the rows whose {@code page_line} lies in its range: a record's own line, or
 * its parent's line when the parent comes later in the file (Shopify groups a bulk file's lines but does
 * not promise a parent before its children), so a child is written in its parent's page or a later one,
 * never before its parent exists. Only the parent's own line counts, not a grandparent's.
 * The tables are ordinary ones, so they commit with the first chunk and a resumed import finds them;
 * {@link #drop} removes them once read.
 */
public final class JsonlStaging {

    /** Where each column of one table comes from: the records ({@code items} null) or the items of list {@code items}. */
    public record Layout(String items, List<String> columns) {

        public Layout {
            columns = List.copyOf(columns);
        }
    }

    /** The staged tables of a file: the records', then one per list layout, in the order given. */
    public record Staged(String records, List<String> items) {
    }

    private static final String PREFIX = "crm_jsonl_";
    private static final String RAW = "crm_jsonl_raw";
    /**
     * The columns every staged table has besides its cells, part of the tables' names: an import resumed by a
     * server whose tables differ stages its file again instead of reading a table without them.
     */
    private static final String FIXED_COLUMNS = "rec line page_line bad parent";

    private JsonlStaging() {
    }

    /**
     * The tables of {@code file} read by {@code records} and {@code lists}, if an earlier chunk of the
     * same import made them already (a resumed import finds them too).
     */
    public static Optional<Staged> find(Transaction tx, Path file, String idPath, String parentPath, Layout records, List<Layout> lists) {
        Staged staged = named(file, idPath, parentPath, records, lists);
        boolean made = !tx.query(new SqlBuilder().sql("SELECT table_name FROM information_schema.tables WHERE table_name = ")
                .bind(staged.records()).build(), row -> row.getString(1)).isEmpty();
        return made ? Optional.of(staged) : Optional.empty();
    }

    /**
     * Makes the tables of {@code file} read by {@code records} and {@code lists} by one read of the file,
     * which must lie in the staging folder.
     */
    public static Staged stage(Transaction tx, Path file, String idPath, String parentPath, Layout records, List<Layout> lists) {
        Staged staged = named(file, idPath, parentPath, records, lists);
        LineShape shape = new LineShape();
        shape.add(idPath, false);
        shape.add(parentPath, false);
        records.columns().forEach(column -> shape.add(unparented(column), false));
        for (Layout list : lists) {
            shape.add(list.items(), true);
            list.columns().stream().filter(JsonlStaging::ofParent).forEach(column -> shape.add(unparented(column), false));
        }
        // One parse of each line into the typed values read from it, as read_json does for a schema it is given;
        // a line that is not JSON becomes NULL.
        tx.update(new SqlBuilder().sql("CREATE TEMP TABLE ").ident(RAW).sql(" AS SELECT row_number() OVER () AS \"rec\", \"j\" IS NULL AS \"bad\","
                + " \"j\" FROM read_json(").bind(file.toAbsolutePath().toString()).sql(", format = 'newline_delimited', records = false,"
                + " ignore_errors = true, columns = {'j': ").bind(shape.type()).sql("})").build());
        tx.update(recordsTable(staged.records(), records, shape, idPath, parentPath));
        for (int i = 0; i < lists.size(); i++) {
            tx.update(list(staged.items().get(i), staged.records(), lists.get(i), shape, parentPath));
        }
        tx.update(new SqlBuilder().sql("DROP TABLE ").ident(RAW).build());
        return staged;
    }

    /**
     * Each record's cells; a column of its parent is read from the parent's values alone, joined by the
     * parent id (joining whole parent rows carried every value of the file through the join).
     */
    private static Sql recordsTable(String table, Layout records, LineShape shape, String idPath, String parentPath) {
        List<String> upward = records.columns().stream().filter(JsonlStaging::ofParent).distinct().toList();
        SqlBuilder sql = new SqlBuilder().sql("CREATE TABLE ").ident(table)
                .sql(" AS SELECT \"rec\", \"rec\" AS \"line\", \"page_line\", \"bad\", \"parent\"");
        cells(sql, records.columns().size());
        sql.sql(" FROM (SELECT r.\"rec\", greatest(r.\"rec\", p.\"line\") AS \"page_line\", r.\"bad\", ");
        shape.read(sql, "r.\"j\"", parentPath);
        sql.sql(" AS \"parent\"");
        for (int i = 0; i < records.columns().size(); i++) {
            String column = records.columns().get(i);
            sql.sql(", ");
            if (ofParent(column)) {
                sql.sql("p.").ident("u" + upward.indexOf(column));
            } else {
                shape.read(sql, "r.\"j\"", column);
            }
            sql.sql(" AS ").ident("v" + i);
        }
        sql.sql(" FROM ").ident(RAW).sql(" AS r LEFT JOIN (SELECT ");
        shape.read(sql, "\"j\"", idPath);
        sql.sql(" AS \"id\", \"rec\" AS \"line\"");
        parentValues(sql, shape, upward, "u");
        sql.sql(" FROM ").ident(RAW).sql(") AS p ON p.\"id\" = ");
        shape.read(sql, "r.\"j\"", parentPath);
        return sql.sql(")").build();
    }

    private static Staged named(Path file, String idPath, String parentPath, Layout records, List<Layout> lists) {
        String table = PREFIX + signature(file, idPath, parentPath, records, lists);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            items.add(table + "_" + i);
        }
        return new Staged(table, items);
    }

    /** The items of {@code layout}'s list, numbered in file order, each with its record's line, page line (from {@code records}) and parent id. */
    private static Sql list(String table, String records, Layout layout, LineShape shape, String parentPath) {
        List<String> owner = layout.columns().stream().filter(JsonlStaging::ofParent).distinct().toList();
        SqlBuilder sql = new SqlBuilder().sql("CREATE TABLE ").ident(table).sql(" AS SELECT row_number() OVER (ORDER BY \"line\", \"k\") AS \"rec\","
                + " \"line\", \"page_line\", FALSE AS \"bad\", \"parent\"");
        cells(sql, layout.columns().size());
        sql.sql(" FROM (SELECT \"line\", \"page_line\", \"k\", \"parent\"");
        for (int i = 0; i < layout.columns().size(); i++) {
            String column = layout.columns().get(i);
            sql.sql(", ");
            if (ofParent(column)) {
                sql.ident("o" + owner.indexOf(column));
            } else {
                sql.sql("json_extract_string(\"item\", ").bind(LineShape.jsonPath(LineShape.keys(column))).sql(")");
            }
            sql.sql(" AS ").ident("v" + i);
        }
        sql.sql(" FROM (SELECT \"rec\" AS \"line\", \"page_line\", ");
        shape.read(sql, "\"j\"", parentPath);
        sql.sql(" AS \"parent\"");
        parentValues(sql, shape, owner, "o");
        sql.sql(", unnest(CAST(\"l\" AS JSON[])) AS \"item\", unnest(range(CAST(json_array_length(\"l\") AS BIGINT))) AS \"k\" FROM (SELECT *, ");
        shape.read(sql, "\"j\"", layout.items(), true);
        return sql.sql(" AS \"l\" FROM ").ident(RAW).sql(") JOIN (SELECT \"rec\", \"page_line\" FROM ").ident(records)
                .sql(") USING (\"rec\") WHERE json_array_length(\"l\") > 0))").build();
    }

    /**
     * The rows of a staged table whose page line is from {@code from} to {@code to} (exclusive), of lines that
     * are JSON, of the kind {@code rows} asks.
     */
    public static ChunkRows range(String table, long from, long to, JsonLines.Rows rows) {
        return sql -> {
            sql.ident(table).sql(" WHERE NOT \"bad\" AND \"page_line\" >= ").bind(from).sql(" AND \"page_line\" < ").bind(to);
            switch (rows) {
                case ALL -> { }
                case PARENTS -> sql.sql(" AND \"parent\" IS NULL");
                case CHILDREN -> sql.sql(" AND \"parent\" IS NOT NULL");
            }
        };
    }

    /** The numbers of the lines from {@code from} to {@code to} (exclusive) that are not JSON. */
    public static List<Long> badLines(Transaction tx, String table, long from, long to) {
        return tx.query(new SqlBuilder().sql("SELECT \"line\" FROM ").ident(table).sql(" WHERE \"bad\" AND \"line\" >= ").bind(from)
                .sql(" AND \"line\" < ").bind(to).sql(" ORDER BY \"line\"").build(), row -> row.getLong(1));
    }

    /** How many records the staged file holds. */
    public static long records(Transaction tx, String table) {
        return tx.query(new SqlBuilder().sql("SELECT count(*) FROM ").ident(table).build(), row -> row.getLong(1)).get(0);
    }

    public static void drop(Transaction tx, Staged staged) {
        drop(tx, staged.records());
        staged.items().forEach(table -> drop(tx, table));
    }

    /** Drops {@code table}, one made beside the staged tables for as long as the file is read. */
    public static void drop(Transaction tx, String table) {
        tx.update(new SqlBuilder().sql("DROP TABLE IF EXISTS ").ident(table).build());
    }

    /**
     * {@code , <cell of v0> AS c0, ...}: each value as a part file holds it, {@code nullif(trim(v), '')}. Only a
     * value with a space or control character at either end is trimmed: trim's set of characters costs as much
     * again as reading the value, and nearly no value needs it.
     */
    private static void cells(SqlBuilder sql, int count) {
        for (int i = 0; i < count; i++) {
            String value = "\"v" + i + "\"";
            sql.sql(", CASE WHEN ascii(" + value + ") <= 32 OR ascii(right(" + value + ", 1)) <= 32 THEN nullif(trim(" + value + ", "
                    + ImportChunks.SPACE + "), '') ELSE " + value + " END AS ").ident("c" + i);
        }
    }

    /** {@code , <path of ^column 0> AS <prefix>0, ...}: the values a record gives its children, read from its line {@code "j"}. */
    private static void parentValues(SqlBuilder sql, LineShape shape, List<String> columns, String prefix) {
        for (int i = 0; i < columns.size(); i++) {
            sql.sql(", ");
            shape.read(sql, "\"j\"", unparented(columns.get(i)));
            sql.sql(" AS ").ident(prefix + i);
        }
    }

    private static boolean ofParent(String column) {
        return column.startsWith("^");
    }

    private static String unparented(String column) {
        return ofParent(column) ? column.substring(1) : column;
    }

    /** Names the tables after what they hold, so a resumed import finds its own and another file never does. */
    private static String signature(Path file, String idPath, String parentPath, Layout records, List<Layout> lists) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((FIXED_COLUMNS + "\n" + file.toAbsolutePath() + "\n" + idPath + "\n" + parentPath + "\n" + records + "\n" + lists)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
