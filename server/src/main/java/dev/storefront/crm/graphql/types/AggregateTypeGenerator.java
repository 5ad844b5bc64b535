package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLInputObjectField.newInputObjectField;
import static graphql.schema.GraphQLList.list;
import static graphql.schema.GraphQLNonNull.nonNull;
import static graphql.schema.GraphQLTypeReference.typeRef;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.query.GroupBy;
import dev.storefront.crm.graphql.fetchers.AggregateFetchers;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.GlobalIds;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.SystemFields;
import dev.storefront.crm.storage.AggregateGroup;
import graphql.Scalars;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code customersAggregate(where:, groupBy:)}: one {@code CustomerAggregate} per group with its
 * key, count, and sum/avg/min/max of every numeric field ({@code CustomerNumbers}).
 */
public final class AggregateTypeGenerator {

    static final String GRANULARITY = "DateGranularity";

    private final AggregateFetchers fetchers;

    public AggregateTypeGenerator(AggregateFetchers fetchers) {
        this.fetchers = fetchers;
    }

    public void generateShared(SchemaBuild build) {
        GraphQLEnumType.Builder granularity = GraphQLEnumType.newEnum().name(GRANULARITY)
                .description("The period a date is truncated to when grouping; weeks start on Monday");
        for (GroupBy.Granularity value : GroupBy.Granularity.values()) {
            granularity.value(value.name(), value);
        }
        build.add(granularity.build());
    }

    public void generate(SchemaBuild build, ObjectDef object) {
        List<FieldDef> keys = groupable(object);
        List<FieldDef> numeric = object.fields().stream().filter(f -> f.kind().isNumeric()).toList();
        GraphQLEnumType.Builder groupFields = GraphQLEnumType.newEnum().name(TypeNames.groupField(object));
        GraphQLObjectType.Builder key = GraphQLObjectType.newObject().name(TypeNames.aggregateKey(object))
                .description("The values a group shares; dates are the first day of their period");
        for (FieldDef field : keys) {
            groupFields.value(TypeNames.fieldConstant(field), field.apiName(), field.label());
            String name = field.isRelation() ? TypeNames.relationId(field) : ApiNames.camel(field.apiName());
            key.field(newFieldDefinition().name(name).type(keyType(object, field)));
            build.fetcher(TypeNames.aggregateKey(object), name, env -> keyValue(env.<Map<String, Object>>getSource(), field));
        }
        build.add(groupFields.build());
        build.add(key.build());
        build.add(graphql.schema.GraphQLInputObjectType.newInputObject().name(TypeNames.groupBy(object))
                .field(newInputObjectField().name("field").type(nonNull(typeRef(TypeNames.groupField(object)))))
                .field(newInputObjectField().name("granularity").type(typeRef(GRANULARITY))
                        .description("For date and datetime fields; DAY if omitted"))
                .build());

        GraphQLObjectType.Builder aggregate = GraphQLObjectType.newObject().name(TypeNames.aggregate(object))
                .field(newFieldDefinition().name("key").type(nonNull(typeRef(TypeNames.aggregateKey(object)))))
                .field(newFieldDefinition().name("count").type(nonNull(Scalars.GraphQLInt)));
        if (!numeric.isEmpty()) {
            GraphQLObjectType.Builder numbers = GraphQLObjectType.newObject().name(TypeNames.numbers(object));
            for (FieldDef field : numeric) {
                numbers.field(newFieldDefinition().name(TypeNames.field(field)).type(CrmScalars.DECIMAL));
                build.fetcher(TypeNames.numbers(object), TypeNames.field(field),
                        env -> CrmScalars.decimal(field, env.<Map<String, Object>>getSource().get(field.apiName())));
            }
            build.add(numbers.build());
            statistic(build, object, aggregate, "sum", AggregateGroup::sum);
            statistic(build, object, aggregate, "avg", AggregateGroup::avg);
            statistic(build, object, aggregate, "min", AggregateGroup::min);
            statistic(build, object, aggregate, "max", AggregateGroup::max);
        }
        build.fetcher(TypeNames.aggregate(object), "key", env -> env.<AggregateGroup>getSource().key());
        build.add(aggregate.build());

        build.query(newFieldDefinition().name(TypeNames.aggregateField(object))
                .description("Counts and numeric statistics of " + object.pluralLabel() + ", in groups if groupBy is given")
                .argument(newArgument().name("where").type(typeRef(TypeNames.where(object))))
                .argument(newArgument().name("groupBy").type(list(nonNull(typeRef(TypeNames.groupBy(object))))))
                .type(nonNull(list(nonNull(typeRef(TypeNames.aggregate(object)))))).build(),
                fetchers.aggregate(build.snapshot(), object));
    }

    private static void statistic(SchemaBuild build, ObjectDef object, GraphQLObjectType.Builder aggregate, String name,
                                  Function<AggregateGroup, Map<String, Object>> values) {
        aggregate.field(newFieldDefinition().name(name).type(nonNull(typeRef(TypeNames.numbers(object)))));
        build.fetcher(TypeNames.aggregate(object), name, env -> values.apply(env.getSource()));
    }

    static List<FieldDef> groupable(ObjectDef object) {
        List<FieldDef> fields = new ArrayList<>(object.fields().stream()
                .filter(f -> !f.kind().isList() && !f.kind().isNumeric() && f.kind() != FieldKind.RICHTEXT).toList());
        fields.add(SystemFields.CREATED_AT);
        fields.add(SystemFields.UPDATED_AT);
        return fields;
    }

    private static GraphQLOutputType keyType(ObjectDef object, FieldDef field) {
        if (field.kind() == FieldKind.DATE || field.kind() == FieldKind.DATETIME) {
            return CrmScalars.DATE;
        }
        return (GraphQLOutputType) FieldTypes.of(object, field);
    }

    private static Object keyValue(Map<String, Object> key, FieldDef field) {
        Object value = key.get(field.apiName());
        return field.isRelation() && value != null ? GlobalIds.encode(field.relatedObject(), (Long) value) : value;
    }
}
