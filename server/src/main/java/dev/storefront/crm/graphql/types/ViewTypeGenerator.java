package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLInputObjectField.newInputObjectField;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.graphql.fetchers.ViewFetchers;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ViewDef;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.graphql.fetchers.EntryFetchers;
import graphql.Scalars;
import graphql.schema.TypeResolver;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLObjectType;

/**
 * Saved views and kanban boards. A view can list any object, so its entries come as the
 * {@code Entry} interface that every object type implements; clients pick fields with fragments
 * ({@code ... on Customer { fullName }}).
 */
public final class ViewTypeGenerator {

    static final String ENTRY = "Entry";
    /** Relay's interface of everything that can be fetched again by its id alone. */
    static final String NODE = "Node";
    static final String ID_DESCRIPTION = "Global id: opaque, names the object and the entry; node(id:) finds it";
    private static final String VIEW = "View";
    private static final String ENTRY_CONNECTION = "EntryConnection";

    private final ViewFetchers fetchers;

    public ViewTypeGenerator(ViewFetchers fetchers) {
        this.fetchers = fetchers;
    }

    public void generate(SchemaBuild build) {
        MetadataSnapshot model = build.snapshot();
        build.add(JsonScalar.JSON);
        build.add(GraphQLInterfaceType.newInterface().name(NODE).description("An object with a global id (Relay)")
                .field(newFieldDefinition().name("id").type(nonNull(Scalars.GraphQLID)).description(ID_DESCRIPTION))
                .build());
        build.add(GraphQLInterfaceType.newInterface().name(ENTRY).description("An entry of any object")
                .withInterface(typeRef(NODE))
                .field(newFieldDefinition().name("id").type(nonNull(Scalars.GraphQLID)).description(ID_DESCRIPTION))
                .field(newFieldDefinition().name("createdAt").type(nonNull(CrmScalars.DATE_TIME)))
                .field(newFieldDefinition().name("updatedAt").type(nonNull(CrmScalars.DATE_TIME)))
                .build());
        TypeResolver byObject = env -> env.getSchema().getObjectType(TypeNames.type(model.object(((Entry) env.getObject()).object())));
        build.typeResolver(ENTRY, byObject);
        build.typeResolver(NODE, byObject);
        build.query(newFieldDefinition().name("node").description("Any entry by its global id, or null")
                .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .type(typeRef(NODE)).build(), EntryFetchers.node(model));
        build.query(newFieldDefinition().name("nodes").description("Entries by global ids, in the same order; null where none")
                .argument(newArgument().name("ids").type(nonNull(list(nonNull(Scalars.GraphQLID)))))
                .type(nonNull(list(typeRef(NODE)))).build(), EntryFetchers.nodes(model));
        build.add(GraphQLObjectType.newObject().name("EntryEdge")
                .field(newFieldDefinition().name("cursor").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("node").type(nonNull(typeRef(ENTRY)))).build());
        build.add(GraphQLObjectType.newObject().name(ENTRY_CONNECTION)
                .field(newFieldDefinition().name("edges").type(nonNull(list(nonNull(typeRef("EntryEdge"))))))
                .field(newFieldDefinition().name("nodes").type(nonNull(list(nonNull(typeRef(ENTRY))))))
                .field(newFieldDefinition().name("pageInfo").type(nonNull(typeRef(EntryTypeGenerator.PAGE_INFO))))
                .field(newFieldDefinition().name("totalCount").type(nonNull(Scalars.GraphQLInt))).build());
        GraphQLEnumType.Builder types = GraphQLEnumType.newEnum().name("ViewType");
        for (ViewDef.Type type : ViewDef.Type.values()) {
            types.value(type.name(), type);
        }
        build.add(types.build());
        build.add(viewType());
        build.add(viewInput("ViewInput", true));
        build.add(viewInput("ViewChangesInput", false));
        build.add(GraphQLObjectType.newObject().name("KanbanColumn")
                .field(newFieldDefinition().name("value").type(nonNull(Scalars.GraphQLString)).description("The option's label"))
                .field(newFieldDefinition().name("key").type(nonNull(Scalars.GraphQLString)).description("The option as a GraphQL enum value"))
                .field(newFieldDefinition().name("count").type(nonNull(Scalars.GraphQLInt)))
                .field(newFieldDefinition().name("entries").type(nonNull(list(nonNull(typeRef(ENTRY)))))
                        .description("The first entries: hand-placed ones first, then in the view's order"))
                .build());
        build.add(GraphQLObjectType.newObject().name("Kanban")
                .field(newFieldDefinition().name("view").type(nonNull(typeRef(VIEW))))
                .field(newFieldDefinition().name("columns").type(nonNull(list(nonNull(typeRef("KanbanColumn"))))))
                .build());
        rootFields(build);
    }

    private void rootFields(SchemaBuild build) {
        build.query(newFieldDefinition().name("views").argument(newArgument().name("object").type(Scalars.GraphQLString))
                .type(nonNull(list(nonNull(typeRef(VIEW))))).build(), fetchers.views());
        build.query(newFieldDefinition().name("view").argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .type(typeRef(VIEW)).build(), fetchers.view());
        build.query(newFieldDefinition().name("viewEntries").description("Runs a saved view")
                .argument(newArgument().name("view").type(nonNull(Scalars.GraphQLID)))
                .argument(newArgument().name("first").type(Scalars.GraphQLInt))
                .argument(newArgument().name("after").type(Scalars.GraphQLString))
                .argument(newArgument().name("last").type(Scalars.GraphQLInt))
                .argument(newArgument().name("before").type(Scalars.GraphQLString))
                .type(nonNull(typeRef(ENTRY_CONNECTION))).build(), fetchers.viewEntries());
        build.query(newFieldDefinition().name("kanban").description("A kanban view's board: a column per option, empty ones too")
                .argument(newArgument().name("view").type(nonNull(Scalars.GraphQLID)))
                .argument(newArgument().name("first").type(Scalars.GraphQLInt).description("Entries per column"))
                .type(nonNull(typeRef("Kanban"))).build(), fetchers.kanban());
        build.mutation(newFieldDefinition().name("createView").argument(newArgument().name("input").type(nonNull(typeRef("ViewInput"))))
                .type(nonNull(typeRef(VIEW))).build(), fetchers.createView());
        build.mutation(newFieldDefinition().name("updateView")
                .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .argument(newArgument().name("input").type(nonNull(typeRef("ViewChangesInput"))))
                .type(nonNull(typeRef(VIEW))).build(), fetchers.updateView());
        build.mutation(newFieldDefinition().name("deleteView").argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .type(nonNull(typeRef(VIEW))).build(), fetchers.deleteView());
        build.mutation(newFieldDefinition().name("moveEntry")
                .description("Moves an entry of a kanban view to a column (option) at a position (0 = top)")
                .argument(newArgument().name("view").type(nonNull(Scalars.GraphQLID)))
                .argument(newArgument().name("id").type(nonNull(Scalars.GraphQLID)))
                .argument(newArgument().name("to").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("position").type(nonNull(Scalars.GraphQLInt)))
                .type(nonNull(typeRef(ENTRY))).build(), fetchers.moveEntry());
    }

    private static GraphQLObjectType viewType() {
        return GraphQLObjectType.newObject().name(VIEW).description("A saved list of one object's entries")
                .field(newFieldDefinition().name("id").type(nonNull(Scalars.GraphQLID)))
                .field(newFieldDefinition().name("name").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("object").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("type").type(nonNull(typeRef("ViewType"))))
                .field(newFieldDefinition().name("filter").type(nonNull(JsonScalar.JSON)).description("A where object"))
                .field(newFieldDefinition().name("sort").type(nonNull(JsonScalar.JSON)).description("An orderBy list"))
                .field(newFieldDefinition().name("fields").type(nonNull(list(nonNull(Scalars.GraphQLString)))))
                .field(newFieldDefinition().name("kanbanField").type(Scalars.GraphQLString))
                .build();
    }

    private static GraphQLInputObjectType viewInput(String name, boolean creating) {
        GraphQLInputObjectType.Builder input = GraphQLInputObjectType.newInputObject().name(name)
                .field(newInputObjectField().name("name").type(creating ? nonNull(Scalars.GraphQLString) : Scalars.GraphQLString))
                .field(newInputObjectField().name("type").type(typeRef("ViewType")))
                .field(newInputObjectField().name("filter").type(JsonScalar.JSON)
                        .description("A where object, as in the object's list query: {lifetimeValue: {gt: 500}}"))
                .field(newInputObjectField().name("sort").type(JsonScalar.JSON)
                        .description("An orderBy list: [{field: LIFETIME_VALUE, direction: DESC}]"))
                .field(newInputObjectField().name("fields").type(list(nonNull(Scalars.GraphQLString))).description("Fields to show"))
                .field(newInputObjectField().name("kanbanField").type(Scalars.GraphQLString).description("An enum field, for kanban views"));
        if (creating) {
            input.field(newInputObjectField().name("object").type(nonNull(Scalars.GraphQLString)));
        }
        return input.build();
    }
}
