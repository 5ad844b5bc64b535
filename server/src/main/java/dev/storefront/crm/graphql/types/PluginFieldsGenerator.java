package dev.storefront.crm.graphql.types;

import graphql.language.InterfaceTypeDefinition;
import graphql.language.UnionTypeDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLUnionType;
import graphql.schema.TypeResolver;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.schema.SchemaTransformer;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.language.ObjectTypeExtensionDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Adds {@link SdlContribution}s to a schema build. Each contribution's SDL is compiled on its own
 * (with the built-in scalars and the host's Date, DateTime, Long and Decimal), then its types and root fields are copied in. A
 * contribution that does not compile, lacks a resolver, or clashes with a name already in the
 * build is left out whole and its error returned; the rest of the schema is unaffected.
 */
public final class PluginFieldsGenerator {

    /** The host's scalars, so plugin values read as entry values do: money as Decimal, counts as Long. */
    private static final List<GraphQLScalarType> SHARED = List.of(CrmScalars.DATE, CrmScalars.DATE_TIME, CrmScalars.LONG,
            CrmScalars.DECIMAL);
    private static final String BASE = "scalar Date\nscalar DateTime\nscalar Long\nscalar Decimal\n"
            + "type Query { _unused: Boolean }\ntype Mutation { _unused: Boolean }\n";

    /** Plugin values of a union or interface type name their object type in {@code __typename}. */
    private static final TypeResolver BY_TYPENAME = env -> env.getObject() instanceof Map<?, ?> value
            && value.get("__typename") instanceof String name ? env.getSchema().getObjectType(name) : null;

    /** Compiled contribution: what goes into the build. */
    record Compiled(List<GraphQLNamedType> types, List<GraphQLFieldDefinition> queries, List<GraphQLFieldDefinition> mutations) {
    }

    /**
     * Compiled contributions by SDL text, kept while a build still asks for that text: compiling is a
     * whole graphql-java schema build per plugin, and most model changes leave a plugin's SDL as it
     * was. Reusing the types across schemas is safe because they hold no references by name for a
     * later build to resolve in place: compiling resolved them all within the plugin's own schema.
     */
    private final Map<String, Compiled> compiledBySdl = new ConcurrentHashMap<>();

    /** Adds every contribution it can; returns the errors of those left out, by owner. */
    public Map<String, String> generate(SchemaBuild build, List<SdlContribution> contributions) {
        Map<String, String> errors = new LinkedHashMap<>();
        compiledBySdl.keySet().retainAll(contributions.stream().map(SdlContribution::sdl).toList());
        for (SdlContribution contribution : contributions) {
            try {
                Compiled compiled = compiledBySdl.computeIfAbsent(contribution.sdl(), PluginFieldsGenerator::compile);
                checkNames(build, compiled);
                for (GraphQLFieldDefinition field : compiled.queries()) {
                    resolver(contribution, "Query." + field.getName());
                }
                for (GraphQLFieldDefinition field : compiled.mutations()) {
                    resolver(contribution, "Mutation." + field.getName());
                }
                compiled.types().forEach(build::add);
                for (GraphQLNamedType type : compiled.types()) {
                    if (type instanceof GraphQLUnionType || type instanceof GraphQLInterfaceType) {
                        build.typeResolver(type.getName(), BY_TYPENAME);
                    }
                }
                for (GraphQLFieldDefinition field : compiled.queries()) {
                    Function<Map<String, Object>, Object> resolver = resolver(contribution, "Query." + field.getName());
                    build.query(field, env -> resolver.apply(env.getArguments()));
                }
                for (GraphQLFieldDefinition field : compiled.mutations()) {
                    Function<Map<String, Object>, Object> resolver = resolver(contribution, "Mutation." + field.getName());
                    build.mutation(field, env -> resolver.apply(env.getArguments()));
                }
            } catch (RuntimeException e) {
                errors.put(contribution.owner(), "GraphQL contribution refused: " + e.getMessage());
            }
        }
        return errors;
    }

    /**
     * The type names and root fields ({@code Query.name}, {@code Mutation.name}) a contribution
     * declares; none when its SDL does not compile, which refuses it on its own.
     */
    public List<String> claims(SdlContribution contribution) {
        Compiled compiled;
        try {
            compiled = compiledBySdl.computeIfAbsent(contribution.sdl(), PluginFieldsGenerator::compile);
        } catch (RuntimeException invalid) {
            return List.of();
        }
        List<String> claims = new ArrayList<>();
        compiled.types().forEach(type -> claims.add(type.getName()));
        compiled.queries().forEach(field -> claims.add(TypeNames.queryKey(field.getName())));
        compiled.mutations().forEach(field -> claims.add(TypeNames.mutationKey(field.getName())));
        return claims;
    }

    /** Compiles SDL alone; throws with graphql-java's message when it is not valid. */
    public static void check(String sdl) {
        compile(sdl);
    }

    /** The names an SDL contribution declares: {@code types}, {@code queries}, {@code mutations}. */
    public static Map<String, List<String>> names(String sdl) {
        Compiled compiled = compile(sdl);
        Map<String, List<String>> names = new LinkedHashMap<>();
        names.put("types", compiled.types().stream().map(GraphQLNamedType::getName).toList());
        names.put("queries", compiled.queries().stream().map(GraphQLFieldDefinition::getName).toList());
        names.put("mutations", compiled.mutations().stream().map(GraphQLFieldDefinition::getName).toList());
        return names;
    }

    static Compiled compile(String sdl) {
        TypeDefinitionRegistry registry = new SchemaParser().parse(BASE + sdl);
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
        SHARED.forEach(wiring::scalar);
        registry.getTypes(UnionTypeDefinition.class).forEach(t -> wiring.type(t.getName(), w -> w.typeResolver(BY_TYPENAME)));
        registry.getTypes(InterfaceTypeDefinition.class).forEach(t -> wiring.type(t.getName(), w -> w.typeResolver(BY_TYPENAME)));
        GraphQLSchema schema = sharedScalars(new graphql.schema.idl.SchemaGenerator().makeExecutableSchema(registry, wiring.build()));
        List<GraphQLNamedType> types = new ArrayList<>();
        for (String name : registry.types().keySet()) {
            if (!name.equals("Query") && !name.equals("Mutation")) {
                types.add((GraphQLNamedType) schema.getType(name));
            }
        }
        return new Compiled(types, extensionFields(registry, schema.getQueryType(), "Query"),
                extensionFields(registry, schema.getMutationType(), "Mutation"));
    }

    /**
     * graphql-java copies wired scalars while building, and a schema refuses two different objects
     * with one name: point every use back at the main schema's scalars.
     */
    private static GraphQLSchema sharedScalars(GraphQLSchema schema) {
        return SchemaTransformer.transformSchema(schema, new GraphQLTypeVisitorStub() {
            @Override
            public TraversalControl visitGraphQLScalarType(GraphQLScalarType node, TraverserContext<GraphQLSchemaElement> context) {
                for (GraphQLScalarType shared : SHARED) {
                    if (node.getName().equals(shared.getName()) && node != shared) {
                        return changeNode(context, shared);
                    }
                }
                return TraversalControl.CONTINUE;
            }
        });
    }

    private static List<GraphQLFieldDefinition> extensionFields(TypeDefinitionRegistry registry, GraphQLObjectType root, String name) {
        List<GraphQLFieldDefinition> fields = new ArrayList<>();
        for (ObjectTypeExtensionDefinition extension : registry.objectTypeExtensions().getOrDefault(name, List.of())) {
            extension.getFieldDefinitions().forEach(f -> fields.add(root.getFieldDefinition(f.getName())));
        }
        return fields;
    }

    private static void checkNames(SchemaBuild build, Compiled compiled) {
        Set<String> types = new HashSet<>();
        build.types().forEach(t -> types.add(t.getName()));
        for (GraphQLNamedType type : compiled.types()) {
            if (types.contains(type.getName())) {
                throw new IllegalStateException("type " + type.getName() + " already exists");
            }
        }
        Set<String> queries = new HashSet<>();
        build.queries().forEach(f -> queries.add(f.getName()));
        for (GraphQLFieldDefinition field : compiled.queries()) {
            if (queries.contains(field.getName())) {
                throw new IllegalStateException("Query." + field.getName() + " already exists");
            }
        }
        Set<String> mutations = new HashSet<>();
        build.mutations().forEach(f -> mutations.add(f.getName()));
        for (GraphQLFieldDefinition field : compiled.mutations()) {
            if (mutations.contains(field.getName())) {
                throw new IllegalStateException("Mutation." + field.getName() + " already exists");
            }
        }
    }

    private static Function<Map<String, Object>, Object> resolver(SdlContribution contribution, String coordinates) {
        Function<Map<String, Object>, Object> resolver = contribution.resolvers().get(coordinates);
        if (resolver == null) {
            throw new IllegalStateException("no resolver for " + coordinates);
        }
        return resolver;
    }
}
