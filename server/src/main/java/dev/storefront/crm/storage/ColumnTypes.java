package dev.storefront.crm.storage;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.FieldDef;

/** How each field kind is stored in DuckDB. */
final class ColumnTypes {

    private ColumnTypes() {
    }

    /** The column type of {@code field}: a number keeps its declared scale. */
    static String of(FieldDef field) {
        return field.kind() == FieldKind.NUMBER ? "DECIMAL(18," + field.numberScale() + ")" : of(field.kind());
    }

    private static String of(FieldKind kind) {
        return switch (kind) {
            case TEXT, EMAIL, PHONE, URL, RICHTEXT, ENUM -> "VARCHAR";
            case NUMBER -> "DECIMAL(18,4)";
            case INTEGER, RELATION -> "BIGINT";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case DATETIME -> "TIMESTAMPTZ";
            case MULTI_ENUM, TAGS -> "VARCHAR[]";
        };
    }

    /**
     * The cast that turns a value sent as text into the column's type; lists travel as JSON text.
     * Used where values come as text (CSV staging, defaults) and for lists, which no driver array holds.
     */
    static String castFromText(FieldDef field) {
        return field.kind().isList() ? "::JSON::VARCHAR[]" : "::" + of(field);
    }
}
