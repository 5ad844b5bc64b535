package dev.storefront.crm.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the self-hosted GraphiQL page at {@code /graphiql} and the console at {@code /console}.
 *
 * <p>Spring for GraphQL's bundled GraphiQL page loads its scripts and styles from a
 * CDN, so it is blank on a machine with no internet. Instead, the page in
 * {@code static/graphiql/index.html} loads GraphiQL, React and ReactDOM from webjars
 * on the classpath (served at {@code /webjars/**}); this controller only maps the
 * friendly URL onto that static file. Keep {@code spring.graphql.graphiql.enabled}
 * off so the two do not compete for the same path.
 */
@Controller
class GraphiQlController {

    @GetMapping({"/graphiql", "/graphiql/"})
    String graphiql() {
        return "forward:/graphiql/index.html";
    }

    /** The web console (clients/web), built into {@code static/console/} by the Maven build. */
    @GetMapping({"/console", "/console/"})
    String console() {
        return "forward:/console/index.html";
    }
}
