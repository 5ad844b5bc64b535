package dev.storefront.crm.graphql.types;

import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Scalars that keep stored values exact: ISO-8601 dates and date-times (answered in UTC), 64-bit
 * integers ({@code Long}) and decimals ({@code Decimal}, as strings so no client reads them through
 * a double).
 */
public final class CrmScalars {

    public static final GraphQLScalarType DATE = scalar("Date", "A calendar date, ISO-8601: 2025-03-31",
            LocalDate.class, LocalDate::parse, LocalDate::toString);

    public static final GraphQLScalarType DATE_TIME = scalar("DateTime",
            "An instant with its offset, ISO-8601: 2025-03-31T14:05:00Z", OffsetDateTime.class,
            text -> OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC),
            value -> FieldValues.toText(value));

    /** The largest integer a JSON number holds exactly in JavaScript (2^53 - 1). */
    private static final long JSON_SAFE = (1L << 53) - 1;

    public static final GraphQLScalarType LONG = GraphQLScalarType.newScalar().name("Long")
            .description("A 64-bit integer: a JSON number up to 2^53 - 1 in size, a JSON string of its digits beyond;"
                    + " accepted as either")
            .coercing(new ExactCoercing() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    if (!(value instanceof Long || value instanceof Integer)) {
                        throw new CoercingSerializeException("Long cannot hold " + value);
                    }
                    long number = ((Number) value).longValue();
                    return Math.abs(number) <= JSON_SAFE ? (Object) number : Long.toString(number);
                }

                /** A whole number in range becomes a Long; anything else goes on to be refused by the engine. */
                @Override
                Object fromNumber(BigDecimal number) {
                    try {
                        return number.longValueExact();
                    } catch (ArithmeticException e) {
                        return number;
                    }
                }
            }).build();

    public static final GraphQLScalarType DECIMAL = GraphQLScalarType.newScalar().name("Decimal")
            .description("An exact decimal number, answered as a JSON string (\"4023.41\"); accepted as a string or a number")
            .coercing(new ExactCoercing() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof Fixed fixed) {
                        return fixed.text();
                    }
                    if (value instanceof BigDecimal decimal) {
                        return FieldValues.toText(decimal);
                    }
                    if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
                        return value.toString();
                    }
                    throw new CoercingSerializeException("Decimal cannot hold " + value);
                }

                @Override
                Object fromNumber(BigDecimal number) {
                    return number;
                }
            }).build();

    private CrmScalars() {
    }

    /** A decimal already written with its field's scale, trailing zeros kept ("42.50"). */
    record Fixed(String text) {
    }

    /**
     * A number field's value as the {@code Decimal} scalar answers it: with the field's declared
     * scale ("42.50" for money), or without trailing zeros when it declares none ("42.5").
     */
    public static Object decimal(FieldDef field, Object value) {
        return field.scale() != null && value instanceof BigDecimal ? new Fixed(FieldValues.toText(field, value)) : value;
    }

    /**
     * Input of Long and Decimal: JSON numbers and number literals are read exactly (never through a
     * double); text is passed on as it is, out-of-range values too, so the engine refuses them with
     * an error naming the object and field, which a coercion error here could not name.
     */
    private abstract static class ExactCoercing implements Coercing<Object, Object> {

        abstract Object fromNumber(BigDecimal number);

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
            if (input instanceof String text) {
                return text;
            }
            if (input instanceof Number number) {
                // toString of a Double is its shortest exact decimal: 0.1 stays 0.1, not 0.1000000000000000055…
                return fromNumber(new BigDecimal(number.toString()));
            }
            throw new CoercingParseValueException("Expected a number or a string of digits, not " + input);
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            if (input instanceof IntValue number) {
                return fromNumber(new BigDecimal(number.getValue()));
            }
            if (input instanceof FloatValue number) {
                return fromNumber(number.getValue());
            }
            if (input instanceof StringValue text) {
                return text.getValue();
            }
            throw new CoercingParseLiteralException("Expected a number or a string of digits");
        }
    }

    private static <T> GraphQLScalarType scalar(String name, String description, Class<T> type,
                                                Function<String, T> parse, Function<T, String> print) {
        return GraphQLScalarType.newScalar().name(name).description(description).coercing(new Coercing<Object, String>() {
            @Override
            public String serialize(Object value, GraphQLContext context, Locale locale) {
                if (!type.isInstance(value)) {
                    throw new CoercingSerializeException(name + " cannot hold " + value);
                }
                return print.apply(type.cast(value));
            }

            /**
             * Text that does not parse is passed on as it is: the engine then refuses it with an
             * error naming the object and field, which a coercion error here could not name.
             */
            @Override
            public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                if (!(input instanceof String text)) {
                    throw new CoercingParseValueException(name + " must be written as a string, not " + input);
                }
                try {
                    return parse.apply(text);
                } catch (DateTimeParseException e) {
                    return text;
                }
            }

            @Override
            public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                if (input instanceof StringValue text) {
                    return parseValue(text.getValue(), context, locale);
                }
                throw new CoercingParseLiteralException(name + " must be written as a string");
            }
        }).build();
    }
}
