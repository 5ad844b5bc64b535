package dev.storefront.crm.graphql;

import dev.storefront.crm.security.CustomRoles;
import dev.storefront.crm.security.Principal;
import dev.storefront.crm.security.Role;
import org.springframework.graphql.ExecutionGraphQlRequest;
import org.springframework.graphql.ExecutionGraphQlResponse;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.execution.DefaultExecutionGraphQlService;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.server.WebGraphQlRequest;
import reactor.core.publisher.Mono;

/**
 * Runs each request on the schema of its key's role: the full schema for the built-in roles (which
 * {@link RoleAccess} checks per root field), the role's own derived schema for a custom role, so
 * what the role may not see is unknown to validation and absent from introspection.
 */
final class RoleGraphQlService implements ExecutionGraphQlService {

    private final CrmGraphQlSource source;
    private final CustomRoles roles;
    private final ExecutionGraphQlService full;

    RoleGraphQlService(CrmGraphQlSource source, CustomRoles roles) {
        this.source = source;
        this.roles = roles;
        this.full = service(source);
    }

    @Override
    public Mono<ExecutionGraphQlResponse> execute(ExecutionGraphQlRequest request) {
        Principal principal = request instanceof WebGraphQlRequest web && web.getAttributes().get(Principal.ATTRIBUTE) instanceof Principal p
                ? p : null;
        if (principal == null || principal.role() != Role.CUSTOM) {
            return full.execute(request);
        }
        // The key filter let the request in only with a role that exists; roles are never deleted.
        return service(source.forRole(roles.find(principal.customRole()).orElseThrow())).execute(request);
    }

    /**
     * A service is a thin wrapper: one per request on a role's cached source costs nothing to speak of.
     * It registers no DataLoaders: {@link RelationLoaders} gives them to the requests that read relations.
     */
    private static ExecutionGraphQlService service(GraphQlSource graphQl) {
        return new DefaultExecutionGraphQlService(graphQl);
    }
}
