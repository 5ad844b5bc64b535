package dev.storefront.crm.graphql.types;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.GraphQLScalarType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Any JSON value. Saved views keep their filter and sort as data whose shape depends on the
 * object, so the views API takes and returns them as JSON and checks them against the model.
 */
final class JsonScalar {

    static final GraphQLScalarType JSON = GraphQLScalarType.newScalar().name("JSON")
            .description("Any JSON value: object, list, string, number, boolean or null")
            .coercing(new Coercing<Object, Object>() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    return value;
                }

                @Override
                public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                    return input;
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                    return literal(input, variables);
                }
            }).build();

    private JsonScalar() {
    }

    private static Object literal(Value<?> input, CoercedVariables variables) {
        if (input instanceof ObjectValue object) {
            Map<String, Object> map = new LinkedHashMap<>();
            object.getObjectFields().forEach(f -> map.put(f.getName(), literal(f.getValue(), variables)));
            return map;
        }
        if (input instanceof ArrayValue array) {
            return array.getValues().stream().map(v -> literal(v, variables)).toList();
        }
        if (input instanceof StringValue text) {
            return text.getValue();
        }
        if (input instanceof IntValue number) {
            return number.getValue().longValueExact();
        }
        if (input instanceof FloatValue number) {
            return number.getValue().doubleValue();
        }
        if (input instanceof BooleanValue bool) {
            return bool.isValue();
        }
        if (input instanceof EnumValue constant) {
            return constant.getName();
        }
        if (input instanceof VariableReference variable) {
            return variables.get(variable.getName());
        }
        if (input instanceof NullValue) {
            return null;
        }
        throw new CoercingParseLiteralException("Not a JSON value: " + input);
    }
}
