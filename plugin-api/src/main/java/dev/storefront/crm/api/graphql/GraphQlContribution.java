package dev.storefront.crm.api.graphql;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Extra GraphQL fields resolved by plugin code. {@link #sdl()} declares the plugin's own types and
 * its fields as {@code extend type Query { ... }} / {@code extend type Mutation { ... }}; it may use
 * the built-in scalars and {@code Date}/{@code DateTime}. {@link #resolvers()} maps
 * {@code "Query.<field>"} / {@code "Mutation.<field>"} to the code that answers it. The fields exist
 * while the plugin is started and disappear from the schema when it stops.
 */
public interface GraphQlContribution extends ExtensionPoint {

    String sdl();

    Map<String, GraphQlResolver> resolvers();
}
