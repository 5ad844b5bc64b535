package dev.storefront.crm.storage;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.sql.SqlArray;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Set-at-a-time reads and writes for imports: whole columns travel as one array parameter each, so
 * a chunk of any size is one statement.
 */
public final class BulkEntries {

    /**
     * The ids of entries whose {@code field} holds one of {@code values}, keyed by the value's text
     * form ({@link FieldValues#toText}); values must already be converted to the field's type.
     */
    public Map<String, Long> idsByValues(Transaction tx, ObjectDef object, FieldDef field, Collection<?> values) {
        if (values.isEmpty()) {
            return Map.of();
        }
        List<String> texts = values.stream().map(FieldValues::toText).distinct().toList();
        SqlBuilder sql = new SqlBuilder().sql("SELECT CAST(").ident(field.column()).sql(" AS VARCHAR), \"id\" FROM ")
                .ident(object.apiName()).sql(" WHERE ").ident(field.column())
                .sql(" IN (SELECT unnest(").bind(new SqlArray("VARCHAR", texts)).sql("::VARCHAR[])")
                .sql(ColumnTypes.castFromText(field)).sql(")");
        Map<String, Long> ids = new HashMap<>();
        tx.query(sql.build(), row -> ids.put(row.getString(1), row.getLong(2)));
        if (field.kind() == dev.storefront.crm.api.FieldKind.NUMBER) {
            // DECIMAL prints with its scale ("12.5000"); key by the same text form the caller used.
            Map<String, Long> normalised = new HashMap<>();
            ids.forEach((k, v) -> normalised.put(FieldValues.toText(new java.math.BigDecimal(k)), v));
            return normalised;
        }
        return ids;
    }

    /**
     * Sets {@code fields} of the entries {@code ids} to the values in {@code rows} (same order), in
     * one statement. Values are stored-type values, as for {@link EntryStore#insert}.
     */
    public void updateMany(Transaction tx, ObjectDef object, List<FieldDef> fields, List<Long> ids,
                           List<Map<String, Object>> rows, OffsetDateTime now) {
        if (ids.isEmpty()) {
            return;
        }
        SqlBuilder sql = new SqlBuilder().sql("UPDATE ").ident(object.apiName()).sql(" SET \"updated_at\" = ").bind(now);
        for (FieldDef field : fields) {
            sql.sql(", ").ident(field.column()).sql(" = v.").ident(field.column());
        }
        sql.sql(" FROM (SELECT unnest(").bind(new SqlArray("BIGINT", ids)).sql("::BIGINT[]) AS \"id\"");
        for (FieldDef field : fields) {
            List<String> column = rows.stream().map(row -> FieldValues.toText(row.get(field.apiName()))).toList();
            sql.sql(", unnest(").bind(new SqlArray("VARCHAR", column)).sql("::VARCHAR[])")
                    .sql(ColumnTypes.castFromText(field)).sql(" AS ").ident(field.column());
        }
        sql.sql(") AS v WHERE ").ident(object.apiName()).sql(".\"id\" = v.\"id\"");
        tx.update(sql.build());
    }
}
