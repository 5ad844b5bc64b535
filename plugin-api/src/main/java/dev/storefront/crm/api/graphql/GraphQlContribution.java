package dev.storefront.crm.api.graphql;

import dev.storefront.crm.api.PluginContext;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Extra GraphQL fields resolved by plugin code. {@link #sdl()} declares the plugin's own types and
 * its fields as {@code extend type Query { ... }} / {@code extend type Mutation { ... }}; it may use
 * the built-in scalars and the host's {@code Date}, {@code DateTime}, {@code Long} (counts: answer a
 * Long or Integer) and {@code Decimal} (money and other exact numbers, answered as a string: answer a
 * BigDecimal, Long or Integer). A value of a union or interface type is a
 * map whose {@code __typename} entry names its object type. {@link #resolvers()} maps
 * {@code "Query.<field>"} / {@code "Mutation.<field>"} to the code that answers it. The fields exist
 * while the plugin is started and disappear from the schema when it stops.
 */
public interface GraphQlContribution extends ExtensionPoint {

    String sdl();

    /**
     * The SDL for the model as it is now, asked at the plugin's start and at every schema build (so
     * also after the model changed): a contribution whose fields depend on the model overrides this.
     */
    default String sdl(PluginContext context) {
        return sdl();
    }

    Map<String, GraphQlResolver> resolvers();
}
