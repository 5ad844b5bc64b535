package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.graphql.types.TypeNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renames a GraphQL input ({@code lifetimeValue}, {@code customerId}) to field api names. */
final class InputMapper {

    private InputMapper() {
    }

    static Map<String, Object> toApiNames(ObjectDef object, Map<String, Object> input) {
        Map<String, String> apiNames = new LinkedHashMap<>();
        for (FieldDef field : object.fields()) {
            apiNames.put(field.isRelation() ? TypeNames.relationId(field) : TypeNames.field(field), field.apiName());
        }
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
