package dev.storefront.crm.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.Computed;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
            String description,
            RollupYaml rollup,
            String formula,
            String result,
            Integer scale) {

        static final Set<String> COMPUTED_TYPES = Set.of("rollup", "formula");

        /** A rollup or formula holds the kind named by {@code result}, or its definition's default. */
        FieldKind kind() {
            Computed computed = computed();
            String kind = computed != null && result != null ? result : type;
            if (computed != null && result == null) {
                return computed.defaultKind();
            }
            return kind == null ? null : FieldKind.valueOf(kind.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        Computed computed() {
            if ("rollup".equalsIgnoreCase(type) && rollup != null) {
                return new Computed.Rollup(rollup.from(), rollup.via(), Computed.Aggregate.parse(rollup.aggregate()),
                        rollup.field(), rollup.where());
            }
            return "formula".equalsIgnoreCase(type) && formula != null ? new Computed.Formula(formula) : null;
        }

        FieldSpec toSpec() {
            return new FieldSpec(name, apiName, kind(), Boolean.TRUE.equals(required), Boolean.TRUE.equals(unique),
                    defaultValue, options, relatedObject, description, computed(), scale);
        }
    }

    /** {@code rollup: {from: orders, via: customer, aggregate: sum, field: total_amount, where: {status: {neq: CANCELLED}}}} */
    record RollupYaml(String from, String via, String aggregate, String field, Map<String, Object> where) {
    }
}
