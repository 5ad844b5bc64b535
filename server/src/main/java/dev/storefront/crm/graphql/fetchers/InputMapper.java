package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.types.TypeNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renames a GraphQL input ({@code lifetimeValue}, {@code customerId}) to field api names. Made once
 * per fetcher, when the schema is built: a bulk create renames the keys of thousands of inputs.
 */
final class InputMapper {

    private final ObjectDef object;
    private final Map<String, String> apiNames = new HashMap<>();

    InputMapper(ObjectDef object) {
        this.object = object;
        for (FieldDef field : object.fields()) {
            apiNames.put(field.isRelation() ? TypeNames.relationId(field) : TypeNames.field(field), field.apiName());
        }
    }

    Map<String, Object> toApiNames(Map<String, Object> input) {
        Map<String, Object> values = new LinkedHashMap<>();
        input.forEach((name, value) -> {
            String apiName = apiNames.get(name);
            if (apiName == null) {
                throw new CrmException(ErrorCode.VALIDATION, object.apiName() + " has no field '" + name + "'",
                        Map.of("object", object.apiName(), "field", name));
            }
            values.put(apiName, value);
        });
        return values;
    }
}
