package dev.storefront.crm.storage;

import dev.storefront.crm.api.sync.JsonLines;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A JSON Lines file staged whole by DuckDB's own JSON reader ({@code read_ndjson_objects}, one pass
 * over the file, lines that are not JSON kept as rows flagged {@code bad}) into tables the chunks of
 * an import then read by record number ({@link ChunkRows}). The records' table holds {@code rec}
 * (1 = first record), {@code line} (the same), {@code bad}, {@code parent} (the record's parent id)
 * and one trimmed text cell per column of its {@link Layout}; each list of items gets a table of its
 * own, whose {@code rec} numbers the items in file order and whose {@code line} is the record holding
 * them. A column is a path in the record or item ({@code a.b}), or {@code ^a.b}: that path in the
 * parent (the record whose id is the record's parent id; for an item, the record holding it).
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
        String table = staged.records();
        List<String> items = staged.items();
        // Every path read from a record, once: the id and parent id first, then columns of records and parents.
        LinkedHashSet<String> paths = new LinkedHashSet<>(List.of(idPath, parentPath));
        records.columns().forEach(column -> paths.add(column.startsWith("^") ? column.substring(1) : column));
        lists.forEach(list -> list.columns().stream().filter(c -> c.startsWith("^")).forEach(c -> paths.add(c.substring(1))));
        List<String> read = List.copyOf(paths);
        SqlBuilder raw = new SqlBuilder().sql("CREATE TEMP TABLE ").ident(RAW).sql(" AS SELECT row_number() OVER () AS \"rec\","
                + " \"json\" IS NULL AS \"bad\", json_extract_string(\"json\", ").bind(jsonPaths(read)).sql("::VARCHAR[]) AS \"v\"");
        for (int i = 0; i < lists.size(); i++) {
            raw.sql(", json_extract(\"json\", ").bind(jsonPath(lists.get(i).items())).sql(") AS ").ident("l" + i);
        }
        tx.update(raw.sql(" FROM read_ndjson_objects(").bind(file.toAbsolutePath().toString()).sql(", ignore_errors = true)").build());
        boolean parents = records.columns().stream().anyMatch(c -> c.startsWith("^"));
        SqlBuilder sql = new SqlBuilder().sql("CREATE TABLE ").ident(table).sql(" AS SELECT r.\"rec\", r.\"rec\" AS \"line\", r.\"bad\","
                + " r.\"v\"[2] AS \"parent\"");
        for (int i = 0; i < records.columns().size(); i++) {
            String column = records.columns().get(i);
            boolean up = column.startsWith("^");
            sql.sql(", ");
            cell(sql, (up ? "p" : "r") + ".\"v\"[" + (read.indexOf(up ? column.substring(1) : column) + 1) + "]");
            sql.sql(" AS ").ident("c" + i);
        }
        sql.sql(" FROM ").ident(RAW).sql(" AS r");
        if (parents) {
            sql.sql(" LEFT JOIN ").ident(RAW).sql(" AS p ON p.\"v\"[1] = r.\"v\"[2]");
        }
        tx.update(sql.build());
        for (int i = 0; i < lists.size(); i++) {
            tx.update(list(items.get(i), i, lists.get(i), read));
        }
        tx.update(new SqlBuilder().sql("DROP TABLE ").ident(RAW).build());
        return staged;
    }

    private static Staged named(Path file, String idPath, String parentPath, Layout records, List<Layout> lists) {
        String table = PREFIX + signature(file, idPath, parentPath, records, lists);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            items.add(table + "_" + i);
        }
        return new Staged(table, items);
    }

    /** The items of list {@code index}, numbered in file order, each with its record's line and parent id. */
    private static Sql list(String table, int index, Layout layout, List<String> read) {
        SqlBuilder sql = new SqlBuilder().sql("CREATE TABLE ").ident(table).sql(" AS SELECT row_number() OVER (ORDER BY \"line\", \"k\") AS \"rec\","
                + " \"line\", FALSE AS \"bad\", \"parent\"");
        for (int i = 0; i < layout.columns().size(); i++) {
            String column = layout.columns().get(i);
            sql.sql(", ");
            if (column.startsWith("^")) {
                cell(sql, "\"owner\"[" + (read.indexOf(column.substring(1)) + 1) + "]");
            } else {
                sql.sql("nullif(trim(json_extract_string(\"item\", ").bind(jsonPath(column)).sql("), " + ImportChunks.SPACE + "), '')");
            }
            sql.sql(" AS ").ident("c" + i);
        }
        String list = "\"l" + index + "\"";
        return sql.sql(" FROM (SELECT \"rec\" AS \"line\", \"v\"[2] AS \"parent\", \"v\" AS \"owner\", unnest(CAST(" + list + " AS JSON[])) AS \"item\","
                + " unnest(range(CAST(json_array_length(" + list + ") AS BIGINT))) AS \"k\" FROM ").ident(RAW)
                .sql(" WHERE json_array_length(" + list + ") > 0)").build();
    }

    /** The rows of a staged table from record {@code from} to {@code to} (exclusive), of lines that are JSON, of the kind {@code rows} asks. */
    public static ChunkRows range(String table, long from, long to, JsonLines.Rows rows) {
        return sql -> {
            sql.ident(table).sql(" WHERE NOT \"bad\" AND \"line\" >= ").bind(from).sql(" AND \"line\" < ").bind(to);
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
        tx.update(new SqlBuilder().sql("DROP TABLE IF EXISTS ").ident(staged.records()).build());
        staged.items().forEach(table -> tx.update(new SqlBuilder().sql("DROP TABLE IF EXISTS ").ident(table).build()));
    }

    /** {@code nullif(trim(<value>), '')}: the cell as a part file holds it. */
    private static void cell(SqlBuilder sql, String value) {
        sql.sql("nullif(trim(" + value + ", " + ImportChunks.SPACE + "), '')");
    }

    private static SqlArray jsonPaths(List<String> paths) {
        return new SqlArray("VARCHAR", paths.stream().map(JsonlStaging::jsonPath).toList());
    }

    /** {@code a.b} as the JSON path {@code $."a"."b"}. */
    private static String jsonPath(String path) {
        StringBuilder json = new StringBuilder("$");
        for (String key : path.split("\\.")) {
            json.append(".\"").append(key.replace("\"", "\\\"")).append('"');
        }
        return json.toString();
    }

    /** Names the tables after what they hold, so a resumed import finds its own and another file never does. */
    private static String signature(Path file, String idPath, String parentPath, Layout records, List<Layout> lists) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((file.toAbsolutePath() + "\n" + idPath + "\n" + parentPath + "\n" + records + "\n" + lists)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
