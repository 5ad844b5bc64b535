package dev.storefront.crm.schema;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.Computed;
import java.util.List;

/**
 * Changes to one field; a null component means "leave as it is". {@code clearDefault} removes the
 * default, since a null {@code defaultValue} cannot say that. {@code computed} replaces a rollup or
 * formula definition (null leaves it as it is); {@code scale} sets a number field's decimal places.
 */
public record FieldPatch(
        String label,
        String apiName,
        FieldKind kind,
        Boolean required,
        Boolean unique,
        Object defaultValue,
        boolean clearDefault,
        List<String> options,
        String description,
        Computed computed,
        Integer scale) {

    public FieldPatch(String label, String apiName, FieldKind kind, Boolean required, Boolean unique, Object defaultValue,
                      boolean clearDefault, List<String> options, String description) {
        this(label, apiName, kind, required, unique, defaultValue, clearDefault, options, description, null, null);
    }

    public static FieldPatch none() {
        return new FieldPatch(null, null, null, null, null, null, false, null, null);
    }
}
