package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.graphql.fetchers.EntryFetchers;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import graphql.Scalars;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import java.util.List;

/**
 * The output types of one object: its enums, the entry type ({@code Customer}) with scalar,
 * relation and reverse-list fields, and its {@code CustomerEdge} and {@code CustomerConnection}.
 */
public final class EntryTypeGenerator {

    static final String PAGE_INFO = "PageInfo";

    private final EntryFetchers fetchers;

    public EntryTypeGenerator(EntryFetchers fetchers) {
        this.fetchers = fetchers;
    }

    /** The arguments of every list of {@code object}: where, orderBy and Relay's page arguments. */
    static List<GraphQLArgument> listArguments(ObjectDef object) {
        return List.of(
                newArgument().name("where").type(typeRef(TypeNames.where(object))).build(),
                newArgument().name("orderBy").type(list(nonNull(typeRef(TypeNames.orderBy(object)))))
                        .description("Sort keys in order; ties are broken by id").build(),
                newArgument().name("first").type(Scalars.GraphQLInt).description("Page forward: at most this many").build(),
                newArgument().name("after").type(Scalars.GraphQLString).description("Start after this cursor").build(),
                newArgument().name("last").type(Scalars.GraphQLInt).description("Page backward: at most this many").build(),
                newArgument().name("before").type(Scalars.GraphQLString).description("End before this cursor").build());
    }

    static GraphQLObjectType pageInfo() {
        return GraphQLObjectType.newObject().name(PAGE_INFO)
                .field(newFieldDefinition().name("hasNextPage").type(nonNull(Scalars.GraphQLBoolean)))
                .field(newFieldDefinition().name("hasPreviousPage").type(nonNull(Scalars.GraphQLBoolean)))
                .field(newFieldDefinition().name("startCursor").type(Scalars.GraphQLString))
                .field(newFieldDefinition().name("endCursor").type(Scalars.GraphQLString))
                .build();
    }

    public void generate(SchemaBuild build, ObjectDef object) {
        object.fields().stream().filter(f -> f.kind().hasOptions()).forEach(f -> build.add(enumType(object, f)));
        build.add(entryType(build, object));
        build.add(GraphQLObjectType.newObject().name(TypeNames.edge(object))
                .field(newFieldDefinition().name("cursor").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("node").type(nonNull(typeRef(TypeNames.type(object)))))
                .build());
        build.add(GraphQLObjectType.newObject().name(TypeNames.connection(object))
                .description("A page of " + object.pluralLabel())
                .field(newFieldDefinition().name("edges").type(nonNull(list(nonNull(typeRef(TypeNames.edge(object)))))))
                .field(newFieldDefinition().name("nodes").type(nonNull(list(nonNull(typeRef(TypeNames.type(object)))))))
                .field(newFieldDefinition().name("pageInfo").type(nonNull(typeRef(PAGE_INFO))))
                .field(newFieldDefinition().name("totalCount").type(nonNull(Scalars.GraphQLInt))
                        .description("How many entries the list holds in all, across pages"))
                .build());
    }

    private static GraphQLEnumType enumType(ObjectDef object, FieldDef field) {
        GraphQLEnumType.Builder type = GraphQLEnumType.newEnum().name(TypeNames.enumType(object, field))
                .description("Options of " + object.singularLabel() + " " + field.label());
        field.options().forEach(option -> type.value(ApiNames.enumValue(option), option, option));
        return type.build();
    }

    private GraphQLObjectType entryType(SchemaBuild build, ObjectDef object) {
        String typeName = TypeNames.type(object);
        GraphQLObjectType.Builder type = GraphQLObjectType.newObject().name(typeName)
                .description(object.description() == null ? object.singularLabel() : object.description())
                .withInterface(typeRef(ViewTypeGenerator.NODE))
                .withInterface(typeRef(ViewTypeGenerator.ENTRY))
                .field(newFieldDefinition().name("id").type(nonNull(Scalars.GraphQLID)).description(ViewTypeGenerator.ID_DESCRIPTION))
                .field(newFieldDefinition().name("createdAt").type(nonNull(CrmScalars.DATE_TIME)))
                .field(newFieldDefinition().name("updatedAt").type(nonNull(CrmScalars.DATE_TIME)));
        build.fetcher(typeName, "id", EntryFetchers.id(object));
        for (FieldDef field : object.fields()) {
            if (field.isRelation()) {
                ObjectDef target = build.snapshot().object(field.relatedObject());
                type.field(newFieldDefinition().name(TypeNames.field(field)).description(FieldTypes.describe(field))
                        .type(typeRef(TypeNames.type(target))));
                type.field(newFieldDefinition().name(TypeNames.relationId(field)).type(Scalars.GraphQLID)
                        .description("Global id of " + field.label()));
                build.fetcher(typeName, TypeNames.field(field), EntryFetchers.relation(target, field));
                build.fetcher(typeName, TypeNames.relationId(field), EntryFetchers.relationId(field));
            } else {
                type.field(newFieldDefinition().name(TypeNames.field(field)).description(FieldTypes.describe(field))
                        .type((graphql.schema.GraphQLOutputType) FieldTypes.of(object, field)));
                build.fetcher(typeName, TypeNames.field(field), EntryFetchers.value(field));
            }
        }
        for (ReverseRelation reverse : build.snapshot().reverseRelationsOf(object.apiName())) {
            type.field(newFieldDefinition().name(TypeNames.reverseList(reverse))
                    .description(reverse.source().pluralLabel() + " whose " + reverse.field().label() + " is this "
                            + object.singularLabel())
                    .arguments(listArguments(reverse.source()))
                    .type(nonNull(typeRef(TypeNames.connection(reverse.source())))));
            build.fetcher(typeName, TypeNames.reverseList(reverse), fetchers.reverseList(build.snapshot(), reverse));
        }
        return type.build();
    }
}
