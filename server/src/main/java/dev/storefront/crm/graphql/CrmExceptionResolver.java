package dev.storefront.crm.graphql;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;

/**
 * Turns exceptions into GraphQL errors with {@code extensions.code} and the details our exceptions
 * carry. Anything unexpected becomes INTERNAL with an incident id that is also in the log; class
 * names, SQL and stack traces never reach the client.
 */
public class CrmExceptionResolver extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(CrmExceptionResolver.class);

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (ex instanceof CrmException crm && crm.code() != ErrorCode.INTERNAL) {
            Map<String, Object> extensions = new LinkedHashMap<>(crm.details());
            extensions.put("code", crm.code().name());
            return GraphqlErrorBuilder.newError(env).errorType(errorType(crm.code())).message(crm.getMessage())
                    .extensions(extensions).build();
        }
        String incident = UUID.randomUUID().toString();
        log.error("Incident {} in {}", incident, env.getExecutionStepInfo().getPath(), ex);
        return GraphqlErrorBuilder.newError(env).errorType(ErrorType.INTERNAL_ERROR)
                .message("Internal error, incident " + incident)
                .extensions(Map.of("code", ErrorCode.INTERNAL.name(), "incident", incident)).build();
    }

    private static ErrorType errorType(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> ErrorType.NOT_FOUND;
            case VALIDATION, CONFLICT -> ErrorType.BAD_REQUEST;
            case INTERNAL -> ErrorType.INTERNAL_ERROR;
        };
    }
}
