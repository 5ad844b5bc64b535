package dev.storefront.crm.schema;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.Computed;
import java.util.List;

/**
 * A field as a client asks for it. {@code apiName} may be null (derived from the label);
 * {@code defaultValue} is raw (text, number, list...) and is checked against the kind;
 * {@code scale} is the decimal places of a number field, or null for the default.
 */
public record FieldSpec(
        String label,
        String apiName,
        FieldKind kind,
        boolean required,
        boolean unique,
        Object defaultValue,
        List<String> options,
        String relatedObject,
        String description,
        Computed computed,
        Integer scale) {

    public FieldSpec {
        options = options == null ? List.of() : List.copyOf(options);
    }

    public FieldSpec(String label, String apiName, FieldKind kind, boolean required, boolean unique, Object defaultValue,
                     List<String> options, String relatedObject, String description) {
        this(label, apiName, kind, required, unique, defaultValue, options, relatedObject, description, null, null);
    }
}
