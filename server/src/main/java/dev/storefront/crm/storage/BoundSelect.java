package dev.storefront.crm.storage;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.storage.sql.Sql;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.sql.ResultSetMetaData;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plugin-written SELECTs with bound parameters ({@code CrmContext.sql}). DuckDB parses the text
 * first ({@code json_serialize_sql} answers an error for anything but SELECT statements), then it
 * runs on the sandboxed database (no files outside the staging folder). Unlike the admin console
 * ({@link ReadOnlySql}) it takes parameters; it has no timeout yet.
 */
public final class BoundSelect {

    /** How many checked texts are remembered: plugins send the same few shapes again and again. */
    private static final int CHECKED_TEXTS = 1000;

    /**
     * Texts DuckDB has already accepted as one SELECT, so a repeated query (a dashboard widget) is not
     * parsed a second time in a round trip of its own; the text alone decides, values are bound apart.
     */
    private final Map<String, Boolean> checked = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CHECKED_TEXTS;
        }
    });

    public List<Map<String, Object>> select(Transaction tx, String text, Object... parameters) {
        requireSingleSelect(tx, text);
        Sql sql = new SqlBuilder().checkedSelect(text, Arrays.asList(parameters)).build();
        return tx.query(sql, row -> {
            ResultSetMetaData meta = row.getMetaData();
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                values.put(meta.getColumnLabel(i), row.getObject(i));
            }
            return values;
        });
    }

    void requireSingleSelect(Transaction tx, String text) {
        if (checked.containsKey(text)) {
            return;
        }
        Sql parse = new SqlBuilder().sql("SELECT coalesce((j->>'error')::BOOLEAN, false), coalesce(json_array_length(j->'statements'), 0) "
                + "FROM (SELECT json_serialize_sql(").bind(text).sql(")::JSON AS j)").build();
        boolean selectOnly = tx.query(parse, row -> !row.getBoolean(1) && row.getLong(2) == 1).get(0);
        if (!selectOnly) {
            throw new CrmException(ErrorCode.VALIDATION, "Only one SELECT statement is allowed");
        }
        checked.put(text, true);
    }
}
