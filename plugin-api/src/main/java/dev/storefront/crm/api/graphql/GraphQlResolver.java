package dev.storefront.crm.api.graphql;

import dev.storefront.crm.api.PluginContext;
import java.util.Map;

/**
 * Answers one root field. Arguments arrive as plain Java values (maps for input objects, lists,
 * strings, numbers, booleans); the result is returned the same way: maps (or records) for object
 * types, lists, scalars, or enum names as strings.
 */
@FunctionalInterface
public interface GraphQlResolver {

    Object resolve(Map<String, Object> arguments, PluginContext context) throws Exception;
}
