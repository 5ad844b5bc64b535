package dev.storefront.crm.graphql.types;

import dev.storefront.crm.metadata.MetadataSnapshot;
import graphql.schema.GraphQLSchema;
import java.util.Map;

/**
 * A schema built from a model, with what had to stay out of it.
 *
 * @param served   the part of the model the schema serves (the model less {@code leftOut})
 * @param leftOut  objects whose names cannot be built (a model from an older version), by api name, with the reason
 * @param refused  contributions (by owner) left out of the schema, with the reason
 */
public record GeneratedSchema(GraphQLSchema schema, MetadataSnapshot served, Map<String, String> leftOut,
                              Map<String, String> refused) {
}
