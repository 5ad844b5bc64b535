package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLInputObjectField.newInputObjectField;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.metadata.SystemFields;
import graphql.Scalars;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import java.util.List;

/**
 * The {@code where} and {@code orderBy} inputs: one operator input per kind of value (shared), per
 * enum field, and per object {@code CustomerWhere}, {@code CustomerListFilter} (for reverse lists:
 * some, none, count), {@code CustomerOrderBy} with its {@code CustomerSortField} enum.
 */
public final class FilterInputGenerator {

    static final String STRING = "StringFilter";
    static final String DECIMAL = "DecimalFilter";
    static final String LONG = "LongFilter";
    static final String INT = "IntFilter";
    static final String BOOLEAN = "BooleanFilter";
    static final String DATE = "DateFilter";
    static final String DATE_TIME = "DateTimeFilter";
    static final String ID = "IDFilter";
    static final String TAGS = "TagsFilter";

    /** The operator inputs every schema has, whatever the model. */
    public void generateShared(SchemaBuild build) {
        build.add(operators(STRING, Scalars.GraphQLString, true, false, false));
        build.add(operators(DECIMAL, CrmScalars.DECIMAL, false, true, false));
        build.add(operators(LONG, CrmScalars.LONG, false, true, false));
        build.add(operators(INT, Scalars.GraphQLInt, false, true, false));
        build.add(operators(DATE, CrmScalars.DATE, false, true, true));
        build.add(operators(DATE_TIME, CrmScalars.DATE_TIME, false, true, true));
        build.add(operators(ID, Scalars.GraphQLID, false, false, false));
        build.add(GraphQLInputObjectType.newInputObject().name(BOOLEAN)
                .field(newInputObjectField().name("eq").type(Scalars.GraphQLBoolean))
                .field(newInputObjectField().name("neq").type(Scalars.GraphQLBoolean))
                .field(isNull()).build());
        build.add(listOperators(TAGS, Scalars.GraphQLString));
        GraphQLEnumType.Builder direction = GraphQLEnumType.newEnum().name("SortDirection");
        List.of("ASC", "DESC").forEach(v -> direction.value(v));
        build.add(direction.build());
        GraphQLEnumType.Builder nulls = GraphQLEnumType.newEnum().name("SortNulls").description("Where empty values go; last by default");
        List.of("FIRST", "LAST").forEach(v -> nulls.value(v));
        build.add(nulls.build());
    }

    public void generate(SchemaBuild build, ObjectDef object) {
        GraphQLInputObjectType.Builder where = GraphQLInputObjectType.newInputObject().name(TypeNames.where(object))
                .description("Which " + object.pluralLabel() + " to match; several entries here must all match")
                .field(newInputObjectField().name("and").type(list(nonNull(typeRef(TypeNames.where(object))))))
                .field(newInputObjectField().name("or").type(list(nonNull(typeRef(TypeNames.where(object))))))
                .field(newInputObjectField().name("not").type(typeRef(TypeNames.where(object))))
                .field(newInputObjectField().name("id").type(typeRef(ID)))
                .field(newInputObjectField().name("createdAt").type(typeRef(DATE_TIME)))
                .field(newInputObjectField().name("updatedAt").type(typeRef(DATE_TIME)));
        for (FieldDef field : object.fields()) {
            if (field.kind().hasOptions()) {
                GraphQLInputType option = typeRef(TypeNames.enumType(object, field));
                build.add(field.kind().isList()
                        ? listOperators(TypeNames.enumFilter(object, field), option)
                        : operators(TypeNames.enumFilter(object, field), option, false, false, false));
            }
            if (field.isRelation()) {
                ObjectDef target = build.snapshot().object(field.relatedObject());
                where.field(newInputObjectField().name(TypeNames.field(field)).type(typeRef(TypeNames.where(target))));
                where.field(newInputObjectField().name(TypeNames.relationId(field)).type(typeRef(ID)));
            } else {
                where.field(newInputObjectField().name(TypeNames.field(field)).type(operatorsOf(object, field)));
            }
        }
        for (ReverseRelation reverse : build.snapshot().reverseRelationsOf(object.apiName())) {
            where.field(newInputObjectField().name(TypeNames.reverseList(reverse)).type(typeRef(TypeNames.listFilter(reverse.source()))));
        }
        build.add(where.build());
        build.add(GraphQLInputObjectType.newInputObject().name(TypeNames.listFilter(object))
                .description("Matches by the " + object.pluralLabel() + " in a related list")
                .field(newInputObjectField().name("some").type(typeRef(TypeNames.where(object))).description("At least one matches"))
                .field(newInputObjectField().name("none").type(typeRef(TypeNames.where(object))).description("None matches"))
                .field(newInputObjectField().name("count").type(typeRef(INT)).description("How many match 'where' (all if no 'where')"))
                .field(newInputObjectField().name("where").type(typeRef(TypeNames.where(object))))
                .build());
        generateOrderBy(build, object);
    }

    private static void generateOrderBy(SchemaBuild build, ObjectDef object) {
        GraphQLEnumType.Builder fields = GraphQLEnumType.newEnum().name(TypeNames.sortField(object));
        SystemFields.ALL.forEach(f -> fields.value(TypeNames.fieldConstant(f), f.apiName()));
        object.fields().stream().filter(f -> !f.kind().isList())
                .forEach(f -> fields.value(TypeNames.fieldConstant(f), f.apiName(), f.label()));
        build.add(fields.build());
        build.add(GraphQLInputObjectType.newInputObject().name(TypeNames.orderBy(object))
                .field(newInputObjectField().name("field").type(nonNull(typeRef(TypeNames.sortField(object)))))
                .field(newInputObjectField().name("direction").type(typeRef("SortDirection")).defaultValueProgrammatic("ASC"))
                .field(newInputObjectField().name("nulls").type(typeRef("SortNulls")))
                .build());
    }

    private static GraphQLInputType operatorsOf(ObjectDef object, FieldDef field) {
        return switch (field.kind()) {
            case TEXT, EMAIL, PHONE, URL, RICHTEXT -> typeRef(STRING);
            case NUMBER -> typeRef(DECIMAL);
            case INTEGER -> typeRef(LONG);
            case BOOLEAN -> typeRef(BOOLEAN);
            case DATE -> typeRef(DATE);
            case DATETIME -> typeRef(DATE_TIME);
            case TAGS -> typeRef(TAGS);
            case ENUM, MULTI_ENUM -> typeRef(TypeNames.enumFilter(object, field));
            case RELATION -> typeRef(ID);
        };
    }

    private static GraphQLInputObjectType operators(String name, GraphQLInputType value, boolean text, boolean ordered, boolean dated) {
        GraphQLInputObjectType.Builder input = GraphQLInputObjectType.newInputObject().name(name)
                .field(newInputObjectField().name("eq").type(value))
                .field(newInputObjectField().name("neq").type(value).description("Differs; empty values count as different"))
                .field(newInputObjectField().name("in").type(list(nonNull(value))))
                .field(newInputObjectField().name("notIn").type(list(nonNull(value))).description("None of these; empty values match"))
                .field(isNull());
        if (text) {
            List.of("contains", "startsWith", "endsWith").forEach(op ->
                    input.field(newInputObjectField().name(op).type(Scalars.GraphQLString).description("Case-insensitive")));
        }
        if (ordered) {
            List.of("gt", "gte", "lt", "lte").forEach(op -> input.field(newInputObjectField().name(op).type(value)));
            input.field(newInputObjectField().name("between").type(list(nonNull(value))).description("[low, high], both included"));
        }
        if (dated) {
            input.field(newInputObjectField().name("withinLastDays").type(Scalars.GraphQLInt)
                    .description("On or after today minus N days (server clock)"));
            input.field(newInputObjectField().name("moreThanDaysAgo").type(Scalars.GraphQLInt)
                    .description("Before today minus N days (server clock)"));
        }
        return input.build();
    }

    private static GraphQLInputObjectType listOperators(String name, GraphQLInputType item) {
        return GraphQLInputObjectType.newInputObject().name(name)
                .field(newInputObjectField().name("containsAny").type(list(nonNull(item))))
                .field(newInputObjectField().name("containsAll").type(list(nonNull(item))))
                .field(isNull())
                .build();
    }

    private static graphql.schema.GraphQLInputObjectField.Builder isNull() {
        return newInputObjectField().name("isNull").type(Scalars.GraphQLBoolean).description("true: empty; false: filled");
    }
}
