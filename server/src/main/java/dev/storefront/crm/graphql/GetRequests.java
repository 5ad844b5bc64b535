package dev.storefront.crm.graphql;

import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.support.SerializableGraphQlRequest;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /graphql?query=…&variables=…&operationName=…&extensions=…}, as the GraphQL-over-HTTP
 * spec allows, so browsers and CDNs can cache queries (also persisted ones: a hash alone in
 * {@code extensions}). Mutations are refused with 405: a GET must never change anything. Which
 * operation a document holds is known only once it is parsed (or found by its hash), so the check
 * runs as the operation begins ({@link QueriesOnly}).
 */
final class GetRequests {

    private static final String GET_KEY = GetRequests.class.getName();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebGraphQlHandler handler;

    GetRequests(WebGraphQlHandler handler) {
        this.handler = handler;
    }

    @SuppressWarnings("unchecked")
    ServerResponse handle(ServerRequest request) {
        SerializableGraphQlRequest body = new SerializableGraphQlRequest();
        request.param("query").ifPresent(body::setQuery);
        request.param("operationName").ifPresent(body::setOperationName);
        try {
            request.param("variables").ifPresent(json -> body.setVariables(JSON.readValue(json, Map.class)));
            request.param("extensions").ifPresent(json -> body.setExtensions(JSON.readValue(json, Map.class)));
        } catch (JacksonException e) {
            return refuse("'variables' and 'extensions' must be JSON objects");
        }
        if (body.getQuery() == null && !body.getExtensions().containsKey("persistedQuery")) {
            return refuse("A GET request needs a 'query' parameter (or a persisted query hash in 'extensions')");
        }
        MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
        request.cookies().forEach((name, values) -> values.forEach(c -> cookies.add(name, new HttpCookie(name, c.getValue()))));
        WebGraphQlRequest graphQl = new WebGraphQlRequest(request.uri(), request.headers().asHttpHeaders(), cookies,
                request.remoteAddress().orElse(null), request.attributes(), body, request.servletRequest().getRequestId(),
                request.servletRequest().getLocale());
        graphQl.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(GET_KEY, true)).build());
        return ServerResponse.async(handler.handleRequest(graphQl).map(GetRequests::respond));
    }

    private static ServerResponse respond(WebGraphQlResponse response) {
        boolean mutation = response.getExecutionResult().getErrors().stream()
                .anyMatch(e -> ErrorCodes.METHOD_NOT_ALLOWED.equals(e.getExtensions() == null ? null : e.getExtensions().get("code")));
        return (mutation ? ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).allow(HttpMethod.POST) : ServerResponse.ok())
                .headers(headers -> headers.putAll(response.getResponseHeaders()))
                .contentType(MediaType.APPLICATION_GRAPHQL_RESPONSE).body(response.toMap());
    }

    private static ServerResponse refuse(String message) {
        return ServerResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_GRAPHQL_RESPONSE)
                .body(Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", ErrorCodes.BAD_USER_INPUT)))));
    }

    /** Stops a mutation sent by GET before it runs. */
    static final class QueriesOnly implements Instrumentation {

        @Override
        public InstrumentationContext<graphql.ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                                    InstrumentationState state) {
            var context = parameters.getExecutionContext();
            if (Boolean.TRUE.equals(context.getGraphQLContext().get(GET_KEY))
                    && context.getOperationDefinition().getOperation() != OperationDefinition.Operation.QUERY) {
                throw new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
                        .message("Only queries may be sent with GET; send a " + context.getOperationDefinition().getOperation()
                                .name().toLowerCase(java.util.Locale.ROOT) + " with POST")
                        .extensions(Map.of("code", ErrorCodes.METHOD_NOT_ALLOWED)).build()));
            }
            return SimpleInstrumentationContext.noOp();
        }
    }
}
