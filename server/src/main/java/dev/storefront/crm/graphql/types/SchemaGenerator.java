package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLObjectType.newObject;

import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import dev.storefront.crm.metadata.FieldDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds the whole GraphQL schema from one metadata snapshot. Only sets the order; each kind of
 * type has its own generator.
 */
public final class SchemaGenerator {

    private final EntryTypeGenerator entryTypes;
    private final InputTypeGenerator inputTypes;
    private final RootFieldGenerator rootFields;
    private final MetadataTypeGenerator metadataTypes;
    private final AggregateTypeGenerator aggregateTypes;
    private final ViewTypeGenerator viewTypes;
    private final SqlTypeGenerator sqlTypes;
    private final FilterInputGenerator filterInputs = new FilterInputGenerator();
    /** Added by other modules (plugins): run after the model's types, on every build. */
    private final List<Consumer<SchemaBuild>> contributors = new CopyOnWriteArrayList<>();
    /** What those contributions would add to a model's schema: each type name and root field, with its owner. */
    private final List<Function<MetadataSnapshot, Map<String, String>>> claimants = new CopyOnWriteArrayList<>();

    public SchemaGenerator(EntryTypeGenerator entryTypes, InputTypeGenerator inputTypes, RootFieldGenerator rootFields,
                           AggregateTypeGenerator aggregateTypes, ViewTypeGenerator viewTypes, SqlTypeGenerator sqlTypes,
                           MetadataTypeGenerator metadataTypes) {
        this.entryTypes = entryTypes;
        this.inputTypes = inputTypes;
        this.rootFields = rootFields;
        this.aggregateTypes = aggregateTypes;
        this.viewTypes = viewTypes;
        this.sqlTypes = sqlTypes;
        this.metadataTypes = metadataTypes;
    }

    public void addContributor(Consumer<SchemaBuild> contributor) {
        contributors.add(contributor);
    }

    /**
     * Tells, for a model, the type names and root fields ({@code Query.name}) a contributor would add,
     * each with its owner, so that {@link #refusedContributions} can be answered without a build.
     */
    public void addClaimant(Function<MetadataSnapshot, Map<String, String>> claimant) {
        claimants.add(claimant);
    }

    /**
     * Builds the schema of a model. An object whose names clash with the host's or an earlier
     * object's is left out with the objects that point at it, and reported in the result: a model
     * stored by an older version still starts, and a model change compares what its candidate
     * leaves out with what the current schema does.
     */
    public GeneratedSchema generate(MetadataSnapshot snapshot) {
        Map<String, String> leftOut = clashingObjects(snapshot);
        MetadataSnapshot served = withoutLeftOut(snapshot, leftOut);
        SchemaBuild build = new SchemaBuild(served);
        build.add(EntryTypeGenerator.pageInfo());
        build.add(CrmScalars.DATE);
        build.add(CrmScalars.DATE_TIME);
        metadataTypes.generate(build);
        filterInputs.generateShared(build);
        aggregateTypes.generateShared(build);
        viewTypes.generate(build);
        sqlTypes.generate(build);
        for (ObjectDef object : served.objects()) {
            entryTypes.generate(build, object);
            filterInputs.generate(build, object);
            inputTypes.generate(build, object);
            rootFields.generate(build, object);
            aggregateTypes.generate(build, object);
        }
        contributors.forEach(contributor -> contributor.accept(build));
        return new GeneratedSchema(assemble(build), served, leftOut, build.refused());
    }

    /** The objects the schema of {@code snapshot} would leave out, with the reason, found without building it. */
    public Map<String, String> leftOut(MetadataSnapshot snapshot) {
        Map<String, String> leftOut = clashingObjects(snapshot);
        withoutLeftOut(snapshot, leftOut);
        return leftOut;
    }

    /**
     * The schema of a finished build, put together from its complete type map: every reference by
     * name is replaced in one pass over the types, and nothing walks the schema graph. graphql-java's
     * full builder walks it depth first for type collection, reference replacement and validation,
     * each element looking up through its parents, a cost that grows with the square of the longest
     * chain of relations. What its validation would catch is refused earlier: names are claimed
     * through {@link TypeNames}, plugin SDL is compiled and validated alone, {@link SchemaChecks}
     * checks the rest in one pass, and the property and golden tests validate the schemas the
     * generators make.
     */
    static GraphQLSchema assemble(SchemaBuild build) {
        GraphQLObjectType query = newObject().name("Query").fields(build.queries()).build();
        GraphQLObjectType mutation = newObject().name("Mutation").fields(build.mutations()).build();
        GraphQLSchema.FastBuilder schema = new GraphQLSchema.FastBuilder(build.codeRegistryBuilder(), query, mutation, null);
        List<GraphQLNamedType> types = new ArrayList<>(List.of(query, mutation));
        types.addAll(build.types());
        SchemaChecks.check(build.queries(), build.mutations(), types);
        for (GraphQLNamedType type : types) {
            schema.addType(type);
            // Types used as objects rather than by name (Int, ID, a plugin's own types) are not in the build's list.
            NamedTypes.usedBy(type).forEach(schema::addType);
        }
        return schema.build();
    }

    /**
     * The contributions, by owner with the reason, that a build of {@code snapshot} would refuse
     * because an object it serves already holds a name they claim; found without building it.
     */
    public Map<String, String> refusedContributions(MetadataSnapshot snapshot) {
        Map<String, String> objects = new HashMap<>();
        for (ObjectDef object : withoutLeftOut(snapshot, clashingObjects(snapshot)).objects()) {
            TypeNames.claims(object).forEach((name, owner) -> objects.put(name, owner));
        }
        Map<String, String> refused = new LinkedHashMap<>();
        for (Function<MetadataSnapshot, Map<String, String>> claimant : claimants) {
            claimant.apply(snapshot).forEach((name, owner) -> {
                if (objects.containsKey(name) && !refused.containsKey(owner)) {
                    refused.put(owner, "GraphQL contribution refused: " + name + " is already taken by " + objects.get(name));
                }
            });
        }
        return refused;
    }

    /** Objects, in model order, whose names the host or an earlier object already holds. */
    private static Map<String, String> clashingObjects(MetadataSnapshot snapshot) {
        Map<String, String> taken = new HashMap<>();
        TypeNames.HOST_TYPES.forEach(name -> taken.put(name, "the CRM's own API"));
        TypeNames.HOST_ROOT_FIELDS.forEach(name -> taken.put(name, "the CRM's own API"));
        Map<String, String> leftOut = new LinkedHashMap<>();
        for (ObjectDef object : snapshot.objects()) {
            try {
                Map<String, String> claims = TypeNames.claims(object);
                claims.forEach((name, owner) -> {
                    if (taken.containsKey(name)) {
                        throw new NameClash(name, taken.get(name), owner);
                    }
                });
                taken.putAll(claims);
            } catch (NameClash clash) {
                leftOut.put(object.apiName(), clash.getMessage());
            }
        }
        return leftOut;
    }

    /** The model less the left-out objects and, until none is left, the objects with a relation to one. */
    private static MetadataSnapshot withoutLeftOut(MetadataSnapshot snapshot, Map<String, String> leftOut) {
        MetadataSnapshot served = snapshot;
        for (String name : leftOut.keySet()) {
            served = served.without(name);
        }
        boolean removed = !leftOut.isEmpty();
        while (removed) {
            removed = false;
            for (ObjectDef object : served.objects()) {
                for (FieldDef field : object.relationFields()) {
                    if (served.find(field.relatedObject()).isEmpty() && !leftOut.containsKey(object.apiName())) {
                        leftOut.put(object.apiName(), "field " + object.apiName() + "." + field.apiName() + " points at "
                                + field.relatedObject() + ", which is left out");
                        served = served.without(object.apiName());
                        removed = true;
                    }
                }
            }
        }
        return served.withVersion(snapshot.version());
    }
}
