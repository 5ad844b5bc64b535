package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLInputObjectField.newInputObjectField;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import java.util.Locale;

/**
 * {@code CustomerCreateInput}, {@code CustomerUpdateInput} and, for objects with unique fields,
 * {@code CustomerUniqueField}. Input fields are all nullable: required fields and value formats are
 * checked by the engine, which names the object and field in its error, the same for every client.
 */
public final class InputTypeGenerator {

    public void generate(SchemaBuild build, ObjectDef object) {
        if (object.fields().isEmpty()) {
            return;
        }
        build.add(input(TypeNames.createInput(object), object, "Values of a new " + object.singularLabel()));
        build.add(input(TypeNames.updateInput(object), object,
                "Fields to change on a " + object.singularLabel() + "; a field given as null is cleared"));
        if (hasNumbers(object)) {
            GraphQLInputObjectType.Builder increment = GraphQLInputObjectType.newInputObject().name(TypeNames.incrementInput(object))
                    .description("Amounts to add to number fields of a " + object.singularLabel() + " (negative to subtract)");
            numbers(object).forEach(field -> increment.field(newInputObjectField().name(TypeNames.field(field))
                    .type((GraphQLInputType) FieldTypes.of(object, field))));
            build.add(increment.build());
        }
        if (!object.uniqueFields().isEmpty()) {
            GraphQLEnumType.Builder unique = GraphQLEnumType.newEnum().name(TypeNames.uniqueField(object))
                    .description("Unique fields of " + object.singularLabel() + ", to match an upsert on");
            object.uniqueFields().forEach(f -> unique.value(f.apiName().toUpperCase(Locale.ROOT), f.apiName(), f.label()));
            build.add(unique.build());
        }
    }

    static boolean hasNumbers(ObjectDef object) {
        return numbers(object).findAny().isPresent();
    }

    private static java.util.stream.Stream<FieldDef> numbers(ObjectDef object) {
        return object.fields().stream().filter(f -> f.kind() == FieldKind.NUMBER || f.kind() == FieldKind.INTEGER);
    }

    private static GraphQLInputObjectType input(String name, ObjectDef object, String description) {
        GraphQLInputObjectType.Builder input = GraphQLInputObjectType.newInputObject().name(name).description(description);
        // Rollups and formulas are read-only: the engine writes them.
        for (FieldDef field : object.fields().stream().filter(f -> !f.isComputed()).toList()) {
            String fieldName = field.isRelation() ? TypeNames.relationId(field) : TypeNames.field(field);
            input.field(newInputObjectField().name(fieldName).description(FieldTypes.describe(field))
                    .type((GraphQLInputType) FieldTypes.of(object, field)));
        }
        return input.build();
    }
}
