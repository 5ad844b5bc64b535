package dev.storefront.crm.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.storefront.crm.api.FieldKind;
import java.util.List;
import java.util.Locale;

/** One file of {@code schema/}: an object and its fields, as a store owner writes it. */
record ObjectYaml(
        String object,
        String singular,
        String plural,
        String description,
        List<FieldYaml> fields) {

    record FieldYaml(
            String name,
            @JsonProperty("api_name") String apiName,
            String type,
            Boolean required,
            Boolean unique,
            @JsonProperty("default") Object defaultValue,
            List<String> options,
            @JsonProperty("related_object") String relatedObject,
            String description) {

        FieldKind kind() {
            return type == null ? null : FieldKind.valueOf(type.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        FieldSpec toSpec() {
            return new FieldSpec(name, apiName, kind(), Boolean.TRUE.equals(required), Boolean.TRUE.equals(unique),
                    defaultValue, options, relatedObject, description);
        }
    }
}
