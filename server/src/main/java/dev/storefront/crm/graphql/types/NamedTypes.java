package dev.storefront.crm.graphql.types;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLImplementingType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import java.util.ArrayList;
import java.util.List;

/** The named types one type uses directly as objects (not by reference): one level, no walk of the schema. */
final class NamedTypes {

    private NamedTypes() {
    }

    static List<GraphQLNamedType> usedBy(GraphQLNamedType type) {
        List<GraphQLNamedType> used = new ArrayList<>();
        if (type instanceof GraphQLFieldsContainer container) {
            for (GraphQLFieldDefinition field : container.getFieldDefinitions()) {
                add(used, field.getType());
                for (GraphQLArgument argument : field.getArguments()) {
                    add(used, argument.getType());
                }
            }
        }
        if (type instanceof GraphQLImplementingType implementing) {
            implementing.getInterfaces().forEach(i -> add(used, i));
        }
        if (type instanceof GraphQLInputObjectType input) {
            for (GraphQLInputObjectField field : input.getFieldDefinitions()) {
                add(used, field.getType());
            }
        }
        if (type instanceof GraphQLUnionType union) {
            union.getTypes().forEach(member -> add(used, member));
        }
        return used;
    }

    private static void add(List<GraphQLNamedType> used, GraphQLType type) {
        GraphQLType unwrapped = GraphQLTypeUtil.unwrapAllAs(type);
        if (unwrapped instanceof GraphQLNamedType named && !(named instanceof GraphQLTypeReference)) {
            used.add(named);
        }
    }
}
