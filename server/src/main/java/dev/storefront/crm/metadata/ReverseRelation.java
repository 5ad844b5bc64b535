package dev.storefront.crm.metadata;

/**
 * The one-to-many side of a relation field, seen from its target: {@code orders.customer} gives
 * customers a reverse list named {@code orders}.
 *
 * @param source  the object holding the relation field
 * @param field   the relation field on {@code source}
 * @param apiName the list's name on the target object
 */
public record ReverseRelation(ObjectDef source, FieldDef field, String apiName) {
}
