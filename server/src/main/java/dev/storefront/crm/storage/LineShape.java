package dev.storefront.crm.storage;

import dev.storefront.crm.storage.sql.SqlBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The values read from each line of a JSON Lines file, as the one DuckDB type its lines are parsed
 * into ({@code read_json} with {@code columns}): an object whose fields alone are read is a
 * {@code STRUCT} of them, a value read itself is text. A value read as JSON (a list whose items are
 * read), read both itself and by its fields, or holding two fields whose names differ only in case
 * (DuckDB's struct fields ignore case) stays {@code JSON}, and what lies inside it is extracted by
 * its JSON path, as DuckDB's JSON functions read any line.
 */
final class LineShape {

    private final Map<String, LineShape> fields = new LinkedHashMap<>();
    private boolean read;
    private boolean json;

    /** Reads the value at {@code path} ({@code a.b}), as JSON or as text. */
    void add(String path, boolean asJson) {
        LineShape node = this;
        for (String key : keys(path)) {
            node = node.fields.computeIfAbsent(key, k -> new LineShape());
        }
        node.read = true;
        node.json |= asJson;
    }

    /** The type of a line, as read_json's {@code columns} and DuckDB's type syntax write it. */
    String type() {
        if (opaque()) {
            return "JSON";
        }
        if (fields.isEmpty()) {
            return "VARCHAR";
        }
        List<String> typed = new ArrayList<>();
        fields.forEach((key, field) -> typed.add('"' + key.replace("\"", "\"\"") + "\" " + field.type()));
        return "STRUCT(" + String.join(", ", typed) + ")";
    }

    /** The value at {@code path} of the line held by {@code line} (SQL written in our code), as text. */
    void read(SqlBuilder sql, String line, String path) {
        read(sql, line, path, false);
    }

    /** The value at {@code path} of the line held by {@code line}, as JSON ({@code asJson}) or as text. */
    void read(SqlBuilder sql, String line, String path, boolean asJson) {
        List<String> keys = keys(path);
        LineShape node = this;
        int depth = 0;
        while (!node.opaque() && depth < keys.size()) {
            node = node.fields.get(keys.get(depth));
            depth++;
        }
        List<String> inside = keys.subList(depth, keys.size());
        boolean extract = node.opaque() && !(asJson && inside.isEmpty());
        if (extract) {
            sql.sql(asJson ? "json_extract(" : "json_extract_string(");
        }
        sql.sql("struct_extract(".repeat(depth)).sql(line);
        for (String key : keys.subList(0, depth)) {
            sql.sql(", ").bind(key).sql(")");
        }
        if (extract) {
            sql.sql(", ").bind(jsonPath(inside)).sql(")");
        }
    }

    private boolean opaque() {
        if (json || read && !fields.isEmpty()) {
            return true;
        }
        Set<String> names = new HashSet<>();
        return !fields.keySet().stream().allMatch(key -> names.add(key.toLowerCase(Locale.ROOT)));
    }

    /** {@code a.b} as the keys {@code a}, {@code b}. */
    static List<String> keys(String path) {
        return List.of(path.split("\\."));
    }

    /** The keys {@code a}, {@code b} as the JSON path {@code $."a"."b"}. */
    static String jsonPath(List<String> keys) {
        StringBuilder json = new StringBuilder("$");
        for (String key : keys) {
            json.append(".\"").append(key.replace("\"", "\\\"")).append('"');
        }
        return json.toString();
    }
}
