package dev.storefront.crm.api.graphql;

import dev.storefront.crm.api.PluginContext;
import java.util.List;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * A root list field over a core object, narrowed by the plugin, that the host answers exactly like
 * the object's own list: the same connection type ({@code CustomerConnection}), {@code where},
 * {@code orderBy}, page arguments and cursors, plus this list's own {@link #arguments()}, whose
 * {@link #where} condition is joined to the caller's with AND. The host also exports it as CSV:
 * {@code GET /export/<object>.csv?list=<name>&<argument>=<value>} (columns {@link #exportFields()}
 * unless {@code fields=} names others).
 */
public interface FilteredList extends ExtensionPoint {

    /** The GraphQL field name, e.g. {@code segmentCustomers}. */
    String name();

    /** The object listed, by api name, e.g. {@code customers}. */
    String object();

    String description();

    /** Its own arguments: name to GraphQL type of a built-in scalar, e.g. {@code "String!"}, {@code "Date"}. */
    Map<String, String> arguments();

    /**
     * The condition for the given arguments in GraphQL's {@code where} model on the object (GraphQL
     * field names, enum values as labels), e.g. {@code {customerSegment: {eq: "At Risk"}}}. Throws a
     * {@link dev.storefront.crm.api.PluginException} for arguments it refuses.
     */
    Map<String, Object> where(Map<String, Object> arguments, PluginContext context);

    /** Columns of the CSV export (GraphQL field names) when none are asked for; empty: every field. */
    default List<String> exportFields() {
        return List.of();
    }
}
