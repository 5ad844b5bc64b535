package dev.storefront.crm.graphql;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * graphql-java writes the rejected value of a validation error as its own syntax tree
 * ({@code ObjectValue{objectFields=[ObjectField{name='x', value=StringValue{value='…'}}]}}), and
 * names tree classes in the reason ("Expected an AST type of 'EnumValue'"). Clients get the reason
 * in plain words, without the value (which can be as long as the request); ErrorCodes adds the code.
 */
final class ErrorMessages implements Instrumentation {

    /** {@code with value '<tree>'} before the reason; the reasons start with these words. */
    private static final Pattern REJECTED_VALUE = Pattern.compile(" with value '.*' (?=(is |contains |has |must |cannot ))", Pattern.DOTALL);
    private static final Pattern AST_TYPE = Pattern.compile("'(String|Int|Float|Boolean|Enum|Object|Array|Null)Value'");
    /** A single value as its tree ({@code EnumValue{name='BACKORDER'}}) and as GraphQL writes it ({@code BACKORDER}). */
    private static final List<Map.Entry<Pattern, String>> LITERALS = List.of(
            Map.entry(Pattern.compile("EnumValue\\{name='([^']*)'\\}"), "$1"),
            Map.entry(Pattern.compile("StringValue\\{value='([^']*)'\\}"), "\"$1\""),
            Map.entry(Pattern.compile("(?:Int|Float)Value\\{value=([^}]*)\\}"), "$1"),
            Map.entry(Pattern.compile("BooleanValue\\{value=(true|false)\\}"), "$1"),
            Map.entry(Pattern.compile("NullValue\\{\\}"), "null"));
    /** What is left of a tree anywhere else. */
    private static final Pattern TREE = Pattern.compile("'?\\b\\w+(Value|Field)\\{.*?\\}+'?", Pattern.DOTALL);
    private static final Map<String, String> KINDS = Map.of("String", "a string", "Int", "an integer", "Float", "a number",
            "Boolean", "a boolean", "Enum", "an enum value", "Object", "an object", "Array", "a list", "Null", "null");

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result, InstrumentationExecutionParameters parameters,
                                                                       InstrumentationState state) {
        if (result.getErrors().isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        List<GraphQLError> errors = result.getErrors().stream().map(ErrorMessages::plain).toList();
        return CompletableFuture.completedFuture(result.transform(builder -> builder.errors(errors)));
    }

    private static GraphQLError plain(GraphQLError error) {
        ErrorClassification type = error.getErrorType();
        boolean validation = type == ErrorType.ValidationError || type == ErrorType.InvalidSyntax;
        String message = error.getMessage() == null ? "" : error.getMessage();
        String cleaned = clean(message);
        if (!validation && cleaned.equals(message)) {
            return error;
        }
        Map<String, Object> extensions = new LinkedHashMap<>(error.getExtensions() == null ? Map.of() : error.getExtensions());
        // The rebuilt error is no longer a graphql-java ValidationError, which is what tells its code: keep it.
        extensions.putIfAbsent("code", ErrorCodes.codeOf(error));
        return GraphqlErrorBuilder.newError().message(cleaned).locations(error.getLocations()).path(error.getPath())
                .errorType(type).extensions(extensions).build();
    }

    static String clean(String message) {
        String text = REJECTED_VALUE.matcher(message).replaceFirst(" ");
        Matcher kinds = AST_TYPE.matcher(text);
        text = kinds.replaceAll(m -> KINDS.get(m.group(1)));
        text = text.replace("Expected an AST type of", "expected").replace("but it was a", "but got");
        for (Map.Entry<Pattern, String> literal : LITERALS) {
            text = literal.getKey().matcher(text).replaceAll(literal.getValue());
        }
        return TREE.matcher(text).replaceAll("(value)");
    }
}
