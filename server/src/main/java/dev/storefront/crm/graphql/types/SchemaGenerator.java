package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLObjectType.newObject;

import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import graphql.schema.GraphQLSchema;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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

    public GraphQLSchema generate(MetadataSnapshot snapshot) {
        SchemaBuild build = new SchemaBuild(snapshot);
        build.add(EntryTypeGenerator.pageInfo());
        build.add(CrmScalars.DATE);
        build.add(CrmScalars.DATE_TIME);
        metadataTypes.generate(build);
        filterInputs.generateShared(build);
        aggregateTypes.generateShared(build);
        viewTypes.generate(build);
        sqlTypes.generate(build);
        for (ObjectDef object : snapshot.objects()) {
            entryTypes.generate(build, object);
            filterInputs.generate(build, object);
            inputTypes.generate(build, object);
            rootFields.generate(build, object);
            aggregateTypes.generate(build, object);
        }
        contributors.forEach(contributor -> contributor.accept(build));
        return GraphQLSchema.newSchema()
                .query(newObject().name("Query").fields(build.queries()))
                .mutation(newObject().name("Mutation").fields(build.mutations()))
                .additionalTypes(new HashSet<>(build.types()))
                .codeRegistry(build.codeRegistry())
                .build();
    }
}
