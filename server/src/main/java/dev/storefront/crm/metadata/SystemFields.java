package dev.storefront.crm.metadata;

import dev.storefront.crm.api.FieldKind;
import java.util.List;
import java.util.Optional;

/** The columns every object table has, described as fields so they can be filtered and sorted on. */
public final class SystemFields {

    public static final FieldDef ID = system("id", "Id", FieldKind.INTEGER);
    public static final FieldDef CREATED_AT = system("created_at", "Created At", FieldKind.DATETIME);
    public static final FieldDef UPDATED_AT = system("updated_at", "Updated At", FieldKind.DATETIME);
    public static final List<FieldDef> ALL = List.of(ID, CREATED_AT, UPDATED_AT);

    private SystemFields() {
    }

    public static Optional<FieldDef> find(String apiName) {
        return ALL.stream().filter(f -> f.apiName().equals(apiName)).findFirst();
    }

    private static FieldDef system(String apiName, String label, FieldKind kind) {
        return new FieldDef(apiName, label, kind, true, apiName.equals("id"), null, List.of(), null, -1, null);
    }
}
