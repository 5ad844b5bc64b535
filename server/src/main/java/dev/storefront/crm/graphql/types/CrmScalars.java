package dev.storefront.crm.graphql.types;

import dev.storefront.crm.metadata.FieldValues;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/** ISO-8601 scalars for date and datetime fields. Date-times are answered in UTC. */
public final class CrmScalars {

    public static final GraphQLScalarType DATE = scalar("Date", "A calendar date, ISO-8601: 2025-03-31",
            LocalDate.class, LocalDate::parse, LocalDate::toString);

    public static final GraphQLScalarType DATE_TIME = scalar("DateTime",
            "An instant with its offset, ISO-8601: 2025-03-31T14:05:00Z", OffsetDateTime.class,
            text -> OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC),
            value -> FieldValues.toText(value));

    private CrmScalars() {
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
