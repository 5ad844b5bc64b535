package dev.storefront.crm.graphql;

import dev.storefront.crm.errors.ErrorCode;
import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.InvalidSyntaxError;
import graphql.execution.preparsed.persisted.PersistedQueryIdInvalid;
import graphql.execution.preparsed.persisted.PersistedQueryNotFound;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Gives every error of a response an {@code extensions.code}, so clients branch on one field: ours
 * ({@link ErrorCode}) already carry one; those graphql-java raises before any field runs get the
 * names Apollo uses ({@code GRAPHQL_PARSE_FAILED}, {@code GRAPHQL_VALIDATION_FAILED},
 * {@code BAD_USER_INPUT}, {@code PERSISTED_QUERY_NOT_FOUND}).
 */
final class ErrorCodes implements WebGraphQlInterceptor {

    static final String PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
    static final String VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";
    static final String BAD_USER_INPUT = "BAD_USER_INPUT";
    static final String PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND";
    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(response -> {
            List<GraphQLError> errors = response.getExecutionResult().getErrors();
            if (errors.stream().allMatch(e -> e.getExtensions() != null && e.getExtensions().containsKey("code"))) {
                return response;
            }
            return response.transform(builder -> builder.errors(errors.stream().map(ErrorCodes::withCode).toList()));
        });
    }

    private static GraphQLError withCode(GraphQLError error) {
        if (error.getExtensions() != null && error.getExtensions().containsKey("code")) {
            return error;
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (error.getExtensions() != null) {
            extensions.putAll(error.getExtensions());
        }
        extensions.put("code", codeOf(error));
        return GraphqlErrorBuilder.newError().message(error.getMessage()).locations(error.getLocations())
                .path(error.getPath()).errorType(error.getErrorType()).extensions(extensions).build();
    }

    static String codeOf(GraphQLError error) {
        ErrorClassification type = error.getErrorType();
        if (error instanceof InvalidSyntaxError || type == graphql.ErrorType.InvalidSyntax) {
            return PARSE_FAILED;
        }
        if (type instanceof PersistedQueryNotFound) {
            return PERSISTED_QUERY_NOT_FOUND;
        }
        if (type instanceof PersistedQueryIdInvalid) {
            return BAD_USER_INPUT;
        }
        if (error instanceof ValidationError validation) {
            // A literal of the wrong type (an unknown enum value, text for an Int) is the user's input, not the document's shape.
            return validation.getValidationErrorType() == ValidationErrorType.WrongType ? BAD_USER_INPUT : VALIDATION_FAILED;
        }
        if (type == graphql.ErrorType.ValidationError || type == ErrorType.BAD_REQUEST) {
            // Variables that do not coerce (wrong type, null for a non-null, unknown input field).
            return BAD_USER_INPUT;
        }
        if (type == ErrorType.NOT_FOUND) {
            return ErrorCode.NOT_FOUND.name();
        }
        return ErrorCode.INTERNAL.name();
    }
}
