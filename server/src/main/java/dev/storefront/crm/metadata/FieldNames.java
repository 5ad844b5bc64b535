package dev.storefront.crm.metadata;

import java.util.Locale;
import java.util.Optional;

/**
 * How fields are named in the GraphQL API and in the JSON of saved views: {@code lifetime_value}
 * is {@code lifetimeValue}, a relation {@code customer} also gives {@code customerId}, and a field
 * named as a constant (sort and group keys) is {@code LIFETIME_VALUE}.
 */
public final class FieldNames {

    private FieldNames() {
    }

    public static String of(FieldDef field) {
        return ApiNames.camel(field.apiName());
    }

    public static String relationId(FieldDef field) {
        return ApiNames.camel(field.apiName()) + "Id";
    }

    public static String reverseList(ReverseRelation relation) {
        return ApiNames.camel(relation.apiName());
    }

    /**
     * The field (system fields included) a GraphQL name stands for; a relation answers to both its
     * own name ({@code customer}) and its id's ({@code customerId}).
     */
    public static Optional<FieldDef> find(ObjectDef object, String name) {
        return SystemFields.ALL.stream().filter(f -> of(f).equals(name)).findFirst()
                .or(() -> object.fields().stream()
                        .filter(f -> of(f).equals(name) || f.isRelation() && relationId(f).equals(name)).findFirst());
    }

    public static String constant(FieldDef field) {
        return field.apiName().toUpperCase(Locale.ROOT);
    }
}
