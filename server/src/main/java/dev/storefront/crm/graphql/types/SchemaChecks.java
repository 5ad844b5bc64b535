package dev.storefront.crm.graphql.types;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What graphql-java's validation would refuse and the names claimed through {@link TypeNames}
 * cannot rule out, checked in one pass over the types of a build: the schema is assembled without
 * that validation ({@link SchemaGenerator#assemble}). Two root fields of one name (the type builder
 * would silently keep the last), a type without fields or values, and a reference to a type no part
 * defines. A model change whose schema fails is refused with a VALIDATION error naming the problem,
 * before anything is written.
 */
final class SchemaChecks {

    private SchemaChecks() {
    }

    /** {@code types}: every type the schema is assembled from, the root types included. */
    static void check(List<GraphQLFieldDefinition> queries, List<GraphQLFieldDefinition> mutations,
                      Collection<GraphQLNamedType> types) {
        rootFieldsOnce("Query", queries);
        rootFieldsOnce("Mutation", mutations);
        Set<String> defined = new HashSet<>();
        for (GraphQLNamedType type : types) {
            defined.add(type.getName());
            NamedTypes.usedBy(type).forEach(used -> defined.add(used.getName()));
        }
        for (GraphQLNamedType type : types) {
            if (type instanceof GraphQLFieldsContainer container && container.getFieldDefinitions().isEmpty()
                    || type instanceof GraphQLInputObjectType input && input.getFieldDefinitions().isEmpty()) {
                throw refused("type " + type.getName() + " would have no fields", type.getName());
            }
            if (type instanceof GraphQLEnumType options && options.getValues().isEmpty()) {
                throw refused("type " + type.getName() + " would have no values", type.getName());
            }
            for (String referenced : NamedTypes.referencedBy(type)) {
                if (!defined.contains(referenced)) {
                    throw refused("type " + type.getName() + " would use type " + referenced + ", which nothing defines",
                            referenced);
                }
            }
        }
    }

    /** A second type of the name {@code name}. */
    static CrmException twoTypesNamed(String name) {
        return refused("two types would be named " + name, name);
    }

    private static void rootFieldsOnce(String root, List<GraphQLFieldDefinition> fields) {
        Set<String> seen = new HashSet<>();
        for (GraphQLFieldDefinition field : fields) {
            if (!seen.add(field.getName())) {
                throw refused(root + "." + field.getName() + " would be defined twice", root + "." + field.getName());
            }
        }
    }

    private static CrmException refused(String problem, String type) {
        return new CrmException(ErrorCode.VALIDATION, "This change cannot be made: in the GraphQL API, " + problem,
                Map.of("type", type));
    }
}
