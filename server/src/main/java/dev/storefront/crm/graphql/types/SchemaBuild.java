package dev.storefront.crm.graphql.types;

import dev.storefront.crm.metadata.MetadataSnapshot;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLNamedType;
import graphql.schema.TypeResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of one schema build: the snapshot it is built from, the types made so far, the
 * fetchers wired so far and the root fields contributed. Made anew for every build and passed to
 * each generator, so builds never share mutable state.
 */
public final class SchemaBuild {

    private final MetadataSnapshot snapshot;
    private final Map<String, GraphQLNamedType> types = new LinkedHashMap<>();
    private final GraphQLCodeRegistry.Builder code = GraphQLCodeRegistry.newCodeRegistry();
    private final List<GraphQLFieldDefinition> queries = new ArrayList<>();
    private final List<GraphQLFieldDefinition> mutations = new ArrayList<>();
    private final Map<String, String> refused = new LinkedHashMap<>();

    public SchemaBuild(MetadataSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    public MetadataSnapshot snapshot() {
        return snapshot;
    }

    /** Adds a named type; a second type of the same name refuses the build (a change that leads to it is not made). */
    public void add(GraphQLNamedType type) {
        if (types.putIfAbsent(type.getName(), type) != null) {
            throw SchemaChecks.twoTypesNamed(type.getName());
        }
    }

    public void fetcher(String typeName, String fieldName, DataFetcher<?> fetcher) {
        code.dataFetcher(FieldCoordinates.coordinates(typeName, fieldName), fetcher);
    }

    public void typeResolver(String interfaceName, TypeResolver resolver) {
        code.typeResolver(interfaceName, resolver);
    }

    public void query(GraphQLFieldDefinition field, DataFetcher<?> fetcher) {
        queries.add(field);
        fetcher("Query", field.getName(), fetcher);
    }

    /** A root query field added so far, with its fetcher. */
    public Optional<Map.Entry<GraphQLFieldDefinition, DataFetcher<?>>> query(String name) {
        return queries.stream().filter(q -> q.getName().equals(name)).findFirst()
                .map(q -> Map.entry(q, code.getDataFetcher(FieldCoordinates.coordinates("Query", name), q)));
    }

    public void mutation(GraphQLFieldDefinition field, DataFetcher<?> fetcher) {
        mutations.add(field);
        fetcher("Mutation", field.getName(), fetcher);
    }

    /** Records that a contribution (by owner, a plugin id) was left out of this build, and why. */
    public void refuse(String owner, String reason) {
        refused.put(owner, reason);
    }

    Map<String, String> refused() {
        return Map.copyOf(refused);
    }

    List<GraphQLNamedType> types() {
        return List.copyOf(types.values());
    }

    List<GraphQLFieldDefinition> queries() {
        return queries;
    }

    List<GraphQLFieldDefinition> mutations() {
        return mutations;
    }

    GraphQLCodeRegistry.Builder codeRegistryBuilder() {
        return code;
    }
}
