package dev.storefront.crm.graphql.types;

import static graphql.schema.GraphQLArgument.newArgument;
import static graphql.schema.GraphQLFieldDefinition.newFieldDefinition;
import static graphql.schema.GraphQLNonNull.nonNull;

import dev.storefront.crm.metadata.ObjectDef;
import graphql.Scalars;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLScalarType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Root list fields that answer exactly like an object's own list ({@code customers}: same connection,
 * where, orderBy, pages and cursors) over the entries a condition selects; the condition is computed
 * from the field's own arguments and joined to the caller's {@code where} with AND, so cursors stay
 * bound to the narrowed list.
 */
public final class NarrowedListGenerator {

    private static final Map<String, GraphQLScalarType> SCALARS = Map.of("String", Scalars.GraphQLString, "Int", Scalars.GraphQLInt,
            "Float", Scalars.GraphQLFloat, "Boolean", Scalars.GraphQLBoolean, "ID", Scalars.GraphQLID, "Date", CrmScalars.DATE,
            "DateTime", CrmScalars.DATE_TIME);

    /**
     * @param arguments the field's own arguments: name to a built-in scalar type, {@code !} for required
     * @param where     the condition, in the {@code where} model, for the own arguments' values
     */
    public record NarrowedList(String owner, String name, String object, String description, Map<String, String> arguments,
                               Function<Map<String, Object>, Map<String, Object>> where) {
    }

    /** Adds every list it can; returns the errors of those left out, by owner. */
    public Map<String, String> generate(SchemaBuild build, List<NarrowedList> lists) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (NarrowedList list : lists) {
            try {
                add(build, list);
            } catch (IllegalArgumentException e) {
                errors.put(list.owner(), "List " + list.name() + " refused: " + e.getMessage());
            }
        }
        return errors;
    }

    private static void add(SchemaBuild build, NarrowedList list) {
        ObjectDef object = build.snapshot().find(list.object())
                .orElseThrow(() -> new IllegalArgumentException("there is no object '" + list.object() + "'"));
        var core = build.query(TypeNames.findMany(object))
                .orElseThrow(() -> new IllegalArgumentException("object '" + list.object() + "' has no list"));
        if (build.query(list.name()).isPresent()) {
            throw new IllegalArgumentException("the query field '" + list.name() + "' exists already");
        }
        GraphQLFieldDefinition.Builder field = newFieldDefinition().name(list.name()).description(list.description())
                .arguments(core.getKey().getArguments()).type(core.getKey().getType());
        list.arguments().forEach((name, type) -> {
            if (core.getKey().getArgument(name) != null) {
                throw new IllegalArgumentException("argument '" + name + "' is one of the list's own");
            }
            field.argument(argument(name, type));
        });
        DataFetcher<?> fetcher = core.getValue();
        build.query(field.build(), env -> {
            Map<String, Object> own = new HashMap<>();
            list.arguments().keySet().forEach(name -> own.put(name, env.getArgument(name)));
            Map<String, Object> condition = list.where().apply(own);
            Map<String, Object> caller = env.getArgument("where");
            Map<String, Object> arguments = new LinkedHashMap<>(env.getArguments());
            arguments.put("where", caller == null ? condition : Map.of("and", List.of(condition, caller)));
            return fetcher.get(DataFetchingEnvironmentImpl.newDataFetchingEnvironment(env).arguments(arguments).build());
        });
    }

    private static GraphQLArgument argument(String name, String type) {
        boolean required = type.endsWith("!");
        String scalar = required ? type.substring(0, type.length() - 1) : type;
        GraphQLInputType input = SCALARS.get(scalar);
        if (input == null) {
            throw new IllegalArgumentException("argument '" + name + "' has type " + type + "; a list argument takes one of "
                    + String.join(", ", SCALARS.keySet().stream().sorted().toList()) + " (with ! when required)");
        }
        return newArgument().name(name).type(required ? nonNull(input) : input).build();
    }
}
