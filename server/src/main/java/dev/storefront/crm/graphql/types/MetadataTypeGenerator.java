package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLInputObjectField.newInputObjectField;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.graphql.fetchers.MetadataFetchers;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.ObjectDef;
import graphql.Scalars;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLObjectType;

/** The metadata API: {@code objects}, {@code object}, and the mutations that change the model. */
public final class MetadataTypeGenerator {

    private static final String OBJECT = "CrmObject";
    private static final String FIELD = "CrmField";
    private static final String FIELD_TYPE = "FieldType";
    private static final String FIELD_INPUT = "FieldInput";

    private final MetadataFetchers fetchers;

    public MetadataTypeGenerator(MetadataFetchers fetchers) {
        this.fetchers = fetchers;
    }

    public void generate(SchemaBuild build) {
        GraphQLEnumType.Builder kinds = GraphQLEnumType.newEnum().name(FIELD_TYPE).description("What a field holds");
        for (FieldKind kind : FieldKind.values()) {
            kinds.value(kind.name(), kind);
        }
        build.add(kinds.build());
        build.add(objectType());
        build.add(fieldType());
        build.fetcher(OBJECT, "typeName", env -> TypeNames.type(env.<ObjectDef>getSource()));
        build.fetcher(FIELD, "type", env -> env.<FieldDef>getSource().kind());
        build.fetcher(FIELD, "graphqlName", env -> TypeNames.field(env.<FieldDef>getSource()));
        build.fetcher(FIELD, "defaultValue", env -> FieldValues.toText(env.<FieldDef>getSource().defaultValue()));
        build.add(fieldInput());
        build.add(fieldChangesInput());
        build.add(GraphQLInputObjectType.newInputObject().name("CreateObjectInput")
                .field(newInputObjectField().name("apiName").type(Scalars.GraphQLString)
                        .description("Plural snake_case name, also the table name; derived from pluralLabel if omitted"))
                .field(newInputObjectField().name("singularLabel").type(nonNull(Scalars.GraphQLString)))
                .field(newInputObjectField().name("pluralLabel").type(nonNull(Scalars.GraphQLString)))
                .field(newInputObjectField().name("description").type(Scalars.GraphQLString))
                .field(newInputObjectField().name("fields").type(list(nonNull(typeRef(FIELD_INPUT)))))
                .build());

        build.query(newFieldDefinition().name("objects").type(nonNull(list(nonNull(typeRef(OBJECT))))).build(),
                MetadataFetchers.objects(build.snapshot()));
        build.query(newFieldDefinition().name("object").argument(newArgument().name("apiName").type(nonNull(Scalars.GraphQLString)))
                .type(typeRef(OBJECT)).build(), MetadataFetchers.object(build.snapshot()));
        build.mutation(newFieldDefinition().name("createObject")
                .argument(newArgument().name("input").type(nonNull(typeRef("CreateObjectInput"))))
                .type(nonNull(typeRef(OBJECT))).build(), fetchers.createObject());
        build.mutation(newFieldDefinition().name("addField")
                .argument(newArgument().name("object").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("input").type(nonNull(typeRef(FIELD_INPUT))))
                .type(nonNull(typeRef(FIELD))).build(), fetchers.addField());
        build.mutation(newFieldDefinition().name("updateField")
                .description("Renames, retypes or reconfigures a field; refuses changes that would lose stored values")
                .argument(newArgument().name("object").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("field").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("input").type(nonNull(typeRef("FieldChangesInput"))))
                .type(nonNull(typeRef(FIELD))).build(), fetchers.updateField());
        build.mutation(newFieldDefinition().name("recomputeRollups")
                .description("Recomputes every rollup and formula field of an object from scratch; answers how many entries changed."
                        + " They are kept right on every write, so this is for repairs and after bulk SQL")
                .argument(newArgument().name("object").type(nonNull(Scalars.GraphQLString)))
                .type(nonNull(Scalars.GraphQLInt)).build(), fetchers.recomputeRollups());
        build.mutation(newFieldDefinition().name("deleteField")
                .description("Deletes a field; one that holds values needs confirm: true")
                .argument(newArgument().name("object").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("field").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("confirm").type(Scalars.GraphQLBoolean).defaultValueProgrammatic(false))
                .type(nonNull(typeRef(FIELD))).build(), fetchers.deleteField());
        build.mutation(newFieldDefinition().name("deleteObject")
                .description("Deletes an object and its table; one with entries needs confirm: true")
                .argument(newArgument().name("apiName").type(nonNull(Scalars.GraphQLString)))
                .argument(newArgument().name("confirm").type(Scalars.GraphQLBoolean).defaultValueProgrammatic(false))
                .type(nonNull(typeRef(OBJECT))).build(), fetchers.deleteObject());
    }

    private static GraphQLObjectType objectType() {
        return GraphQLObjectType.newObject().name(OBJECT).description("An object of the model, stored as one table")
                .field(newFieldDefinition().name("apiName").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("singularApiName").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("singularLabel").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("pluralLabel").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("description").type(Scalars.GraphQLString))
                .field(newFieldDefinition().name("typeName").type(nonNull(Scalars.GraphQLString))
                        .description("Its GraphQL type, e.g. Customer"))
                .field(newFieldDefinition().name("fields").type(nonNull(list(nonNull(typeRef(FIELD))))))
                .build();
    }

    private static GraphQLObjectType fieldType() {
        return GraphQLObjectType.newObject().name(FIELD).description("A field of an object, stored as one column")
                .field(newFieldDefinition().name("apiName").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("graphqlName").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("label").type(nonNull(Scalars.GraphQLString)))
                .field(newFieldDefinition().name("type").type(nonNull(typeRef(FIELD_TYPE))))
                .field(newFieldDefinition().name("required").type(nonNull(Scalars.GraphQLBoolean)))
                .field(newFieldDefinition().name("unique").type(nonNull(Scalars.GraphQLBoolean)))
                .field(newFieldDefinition().name("defaultValue").type(Scalars.GraphQLString))
                .field(newFieldDefinition().name("options").type(nonNull(list(nonNull(Scalars.GraphQLString)))))
                .field(newFieldDefinition().name("relatedObject").type(Scalars.GraphQLString))
                .field(newFieldDefinition().name("position").type(nonNull(Scalars.GraphQLInt)))
                .field(newFieldDefinition().name("scale").type(Scalars.GraphQLInt)
                        .description("Decimal places a NUMBER field keeps and answers (money: 2); null: 4, answered without trailing zeros"))
                .field(newFieldDefinition().name("description").type(Scalars.GraphQLString))
                .build();
    }

    private static GraphQLInputObjectType fieldInput() {
        return GraphQLInputObjectType.newInputObject().name(FIELD_INPUT)
                .field(newInputObjectField().name("label").type(nonNull(Scalars.GraphQLString)))
                .field(newInputObjectField().name("apiName").type(Scalars.GraphQLString)
                        .description("snake_case column name; derived from the label if omitted"))
                .field(newInputObjectField().name("type").type(nonNull(typeRef(FIELD_TYPE))))
                .field(newInputObjectField().name("required").type(Scalars.GraphQLBoolean))
                .field(newInputObjectField().name("unique").type(Scalars.GraphQLBoolean))
                .field(newInputObjectField().name("defaultValue").type(Scalars.GraphQLString)
                        .description("As text: 'true', '12.5', 'VIP', '[\"a\",\"b\"]'"))
                .field(newInputObjectField().name("options").type(list(nonNull(Scalars.GraphQLString))))
                .field(newInputObjectField().name("relatedObject").type(Scalars.GraphQLString))
                .field(newInputObjectField().name("description").type(Scalars.GraphQLString))
                .field(newInputObjectField().name("scale").type(Scalars.GraphQLInt)
                        .description("NUMBER only: decimal places, 0 to 4 (money: 2)"))
                .build();
    }

    private static GraphQLInputObjectType fieldChangesInput() {
        return GraphQLInputObjectType.newInputObject().name("FieldChangesInput").description("Only what is given changes")
                .field(newInputObjectField().name("label").type(Scalars.GraphQLString))
                .field(newInputObjectField().name("apiName").type(Scalars.GraphQLString)
                        .description("Renames the field and its column; stored values are kept"))
                .field(newInputObjectField().name("type").type(typeRef(FIELD_TYPE))
                        .description("Converts the column; refused, naming the values, if any stored value does not convert"))
                .field(newInputObjectField().name("required").type(Scalars.GraphQLBoolean))
                .field(newInputObjectField().name("unique").type(Scalars.GraphQLBoolean))
                .field(newInputObjectField().name("defaultValue").type(Scalars.GraphQLString))
                .field(newInputObjectField().name("clearDefault").type(Scalars.GraphQLBoolean))
                .field(newInputObjectField().name("options").type(list(nonNull(Scalars.GraphQLString))))
                .field(newInputObjectField().name("description").type(Scalars.GraphQLString))
                .field(newInputObjectField().name("scale").type(Scalars.GraphQLInt)
                        .description("NUMBER only: decimal places, 0 to 4; stored values are rounded half away from zero"))
                .build();
    }
}
