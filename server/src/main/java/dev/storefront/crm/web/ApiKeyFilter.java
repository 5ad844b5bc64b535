package dev.storefront.crm.web;

import dev.storefront.crm.security.ApiKeys;
import dev.storefront.crm.security.CustomRoles;
import dev.storefront.crm.security.Principal;
import dev.storefront.crm.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request needs {@code Authorization: Bearer <key>} except the pages and assets of GraphiQL and the
 * console (they hold no data; the console asks for a key and sends it like any client), health,
 * and plugin endpoints (webhooks check their own signatures). Keys travel only in that header, never
 * in a cookie, so a page on another site cannot borrow them; and a request whose {@code Origin} is
 * neither this server nor in {@code crm.cors.allowed-origins} is refused outright, so a cross-site
 * form or upload fails even before its key is looked at. A key scoped to one plugin reaches only
 * {@code /graphql}, where {@code RoleAccess} limits it to that plugin's operations. A key of a custom
 * role reaches {@code /graphql} (its role's own schema) and {@code /export} (its readable fields).
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;
    private final CustomRoles roles;
    private final Set<String> allowedOrigins;

    ApiKeyFilter(ApiKeys keys, CustomRoles roles, Set<String> allowedOrigins) {
        this.keys = keys;
        this.roles = roles;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if ("OPTIONS".equals(request.getMethod()) || isPublic(request.getMethod(), path)) {
            chain.doFilter(request, response);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals(ownOrigin(request)) && !allowedOrigins.contains(origin)) {
            JsonErrors.write(response, 403, "FORBIDDEN", "Requests from " + origin + " are not allowed (crm.cors.allowed-origins)");
            return;
        }
        String header = request.getHeader("Authorization");
        Optional<Principal> principal = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? keys.authenticate(header.substring(7)) : Optional.empty();
        if (principal.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            JsonErrors.write(response, 401, "UNAUTHENTICATED", header == null
                    ? "Send an API key: Authorization: Bearer <key>" : "The API key is unknown, revoked or expired");
            return;
        }
        Role needed = roleFor(path);
        if (principal.get().plugin() != null && !path.equals("/graphql")) {
            JsonErrors.write(response, 403, "FORBIDDEN", "The key '" + principal.get().keyName()
                    + "' may only call the GraphQL operations of plugin " + principal.get().plugin() + ", not " + path);
            return;
        }
        if (principal.get().role() == Role.CUSTOM) {
            if (roles.find(principal.get().customRole()).isEmpty()) {
                JsonErrors.write(response, 403, "FORBIDDEN", "The key '" + principal.get().keyName() + "' has role '"
                        + principal.get().customRole() + "', which is no longer defined (crm.security.roles)");
                return;
            }
            if (!path.equals("/graphql") && !path.startsWith("/export/")) {
                JsonErrors.write(response, 403, "FORBIDDEN", "The custom role " + principal.get().customRole() + " cannot use " + path
                        + "; it reaches /graphql and /export only");
                return;
            }
        } else if (!principal.get().role().includes(needed)) {
            JsonErrors.write(response, 403, "FORBIDDEN", "The " + principal.get().role().label() + " role cannot use " + path
                    + "; it needs " + needed.label());
            return;
        }
        request.setAttribute(Principal.ATTRIBUTE, principal.get());
        chain.doFilter(request, response);
    }

    private static boolean isPublic(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        return path.startsWith("/plugins/")
                || read && (path.equals("/graphiql") || path.startsWith("/graphiql/") || path.startsWith("/webjars/")
                || path.equals("/console") || path.startsWith("/console/")
                || path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.equals("/favicon.ico"));
    }

    /** GraphQL checks each operation itself; the plain endpoints by path. */
    private static Role roleFor(String path) {
        if (path.equals("/graphql")) {
            return Role.VIEWER;
        }
        if (path.startsWith("/imports/") || path.startsWith("/export/")) {
            return Role.EDITOR;
        }
        return Role.ADMIN;
    }

    private static String ownOrigin(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean defaultPort = "http".equals(request.getScheme()) && port == 80 || "https".equals(request.getScheme()) && port == 443;
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
