package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.graphql.fetchers.EntryFetchers;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import graphql.Scalars;

/** The query and mutation fields of one object: find one, list, create, create many, update, upsert, delete. */
public final class RootFieldGenerator {

    private final EntryFetchers fetchers;

    public RootFieldGenerator(EntryFetchers fetchers) {
        this.fetchers = fetchers;
    }

    public void generate(SchemaBuild build, ObjectDef object) {
        MetadataSnapshot model = build.snapshot();
        String type = TypeNames.type(object);
        build.query(newFieldDefinition().name(TypeNames.findOne(object)).description("One " + object.singularLabel() + " by id, or null")
                .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .type(typeRef(type)).build(), fetchers.findOne(object));
        build.query(newFieldDefinition().name(TypeNames.findMany(object)).description("Pages through " + object.pluralLabel())
                .arguments(EntryTypeGenerator.listArguments(object))
                .type(nonNull(typeRef(TypeNames.connection(object)))).build(), fetchers.findMany(model, object));

        if (object.fields().isEmpty()) {
            // GraphQL has no empty input types: an object without fields is created without input, and has nothing to update.
            build.mutation(newFieldDefinition().name(TypeNames.create(object)).type(nonNull(typeRef(type))).build(),
                    fetchers.create(object));
        } else {
            generateInputMutations(build, object);
        }
        build.mutation(newFieldDefinition().name(TypeNames.delete(object))
                .description("Deletes and returns it; optional relations pointing at it are cleared")
                .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .type(nonNull(typeRef(type))).build(), fetchers.delete(object));
    }

    private void generateInputMutations(SchemaBuild build, ObjectDef object) {
        String type = TypeNames.type(object);
        build.mutation(newFieldDefinition().name(TypeNames.create(object))
                .argument(newArgument().name("input").type(nonNull(typeRef(TypeNames.createInput(object)))))
                .type(nonNull(typeRef(type))).build(), fetchers.create(object));
        build.mutation(newFieldDefinition().name(TypeNames.createMany(object))
                .description("Creates all of them or, if any input is refused, none")
                .argument(newArgument().name("inputs").type(nonNull(list(nonNull(typeRef(TypeNames.createInput(object)))))))
                .type(nonNull(list(nonNull(typeRef(type))))).build(), fetchers.createMany(object));
        build.mutation(newFieldDefinition().name(TypeNames.update(object))
                .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .argument(newArgument().name("input").type(nonNull(typeRef(TypeNames.updateInput(object)))))
                .argument(newArgument().name("ifVersion").type(CrmScalars.DATE_TIME)
                        .description("The updatedAt you read: the update is refused (CONFLICT) if the entry changed since"))
                .type(nonNull(typeRef(type))).build(), fetchers.update(object));
        if (InputTypeGenerator.hasNumbers(object)) {
            build.mutation(newFieldDefinition().name(TypeNames.increment(object))
                    .description("Adds to number fields (an empty value counts as 0) without reading them first: concurrent increments all count")
                    .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                    .argument(newArgument().name("by").type(nonNull(typeRef(TypeNames.incrementInput(object)))))
                    .type(nonNull(typeRef(type))).build(), fetchers.increment(object));
        }
        if (!object.uniqueFields().isEmpty()) {
            build.mutation(newFieldDefinition().name(TypeNames.upsert(object))
                    .description("Updates the " + object.singularLabel() + " with the same value of onConflict, or creates one")
                    .argument(newArgument().name("input").type(nonNull(typeRef(TypeNames.createInput(object)))))
                    .argument(newArgument().name("onConflict").type(nonNull(typeRef(TypeNames.uniqueField(object)))))
                    .type(nonNull(typeRef(type))).build(), fetchers.upsert(object));
        }
    }
}
