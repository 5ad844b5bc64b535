package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import graphql.Scalars;
import graphql.schema.GraphQLType;

/** The GraphQL type of a field's value, the same for output and input. */
final class FieldTypes {

    private FieldTypes() {
    }

    /** For a relation, the type of its id ({@code ID}); the entry itself is wired separately. */
    static GraphQLType of(ObjectDef object, FieldDef field) {
        return switch (field.kind()) {
            case TEXT, EMAIL, PHONE, URL, RICHTEXT -> Scalars.GraphQLString;
            case NUMBER -> CrmScalars.DECIMAL;
            case INTEGER -> CrmScalars.LONG;
            case BOOLEAN -> Scalars.GraphQLBoolean;
            case DATE -> CrmScalars.DATE;
            case DATETIME -> CrmScalars.DATE_TIME;
            case ENUM -> typeRef(TypeNames.enumType(object, field));
            case MULTI_ENUM -> list(nonNull(typeRef(TypeNames.enumType(object, field))));
            case TAGS -> list(nonNull(Scalars.GraphQLString));
            case RELATION -> Scalars.GraphQLID;
        };
    }

    static String describe(FieldDef field) {
        String text = field.description() == null ? field.label() : field.label() + ": " + field.description();
        return field.required() ? text + " (required)" : text;
    }
}
