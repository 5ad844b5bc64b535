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

/**
 * The named types one type uses directly, one level deep, no walk of the schema: as objects, or by
 * reference (a {@link GraphQLTypeReference}, resolved when the schema is assembled).
 */
final class NamedTypes {

    private NamedTypes() {
    }

    /** The types {@code type} holds as objects, which the assembly must be given too. */
    static List<GraphQLNamedType> usedBy(GraphQLNamedType type) {
        return parts(type).stream().filter(part -> !(part instanceof GraphQLTypeReference)).toList();
    }

    /** The names of the types {@code type} refers to by reference. */
    static List<String> referencedBy(GraphQLNamedType type) {
        return parts(type).stream().filter(GraphQLTypeReference.class::isInstance).map(GraphQLNamedType::getName).toList();
    }

    private static List<GraphQLNamedType> parts(GraphQLNamedType type) {
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
        if (GraphQLTypeUtil.unwrapAllAs(type) instanceof GraphQLNamedType named) {
            used.add(named);
        }
    }
}
