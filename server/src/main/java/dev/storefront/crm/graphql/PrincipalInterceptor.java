package dev.storefront.crm.graphql;

import dev.storefront.crm.security.Principal;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/** Hands the key that the HTTP filter authenticated to the GraphQL execution, as a context entry. */
final class PrincipalInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Object principal = request.getAttributes().get(Principal.ATTRIBUTE);
        if (principal != null) {
            request.configureExecutionInput((input, builder) -> {
                input.getGraphQLContext().put(Principal.ATTRIBUTE, principal);
                return input;
            });
        }
        return chain.next(request);
    }
}
