package dev.storefront.crm.schema;

import java.util.List;

/** One change to the model. A list of them is applied in one transaction by {@link SchemaService}. */
public sealed interface SchemaChange {

    /** @param apiName plural snake_case name; null derives it from {@code pluralLabel} */
    record CreateObject(String apiName, String singularLabel, String pluralLabel, String description,
                        List<FieldSpec> fields) implements SchemaChange {
    }

    record AddField(String object, FieldSpec field) implements SchemaChange {
    }

    record UpdateField(String object, String field, FieldPatch patch) implements SchemaChange {
    }

    /** @param confirm must be true when the field holds any value */
    record DeleteField(String object, String field, boolean confirm) implements SchemaChange {
    }

    /** @param confirm must be true when the object has any entry */
    record DeleteObject(String object, boolean confirm) implements SchemaChange {
    }
}
