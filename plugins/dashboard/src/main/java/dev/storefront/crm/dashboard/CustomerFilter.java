package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.query.Selection;
import java.util.List;
import java.util.Map;

/**
 * Which customers a widget looks at: by segment and acquisition source (labels as in the model,
 * such as {@code Potential Loyal}), and by any condition of GraphQL's customer {@code where}; an empty
 * list or no condition does not filter.
 *
 * @param where the customers matching the {@code where} condition, as the host wrote it; null for all
 */
record CustomerFilter(List<String> segments, List<String> acquisitionSources, Selection where) {

    static final CustomerFilter NONE = new CustomerFilter(List.of(), List.of(), null);

    CustomerFilter {
        segments = List.copyOf(segments);
        acquisitionSources = List.copyOf(acquisitionSources);
    }

    @SuppressWarnings("unchecked")
    static CustomerFilter of(Object argument, PluginContext context) {
        if (!(argument instanceof Map<?, ?> map)) {
            return NONE;
        }
        List<String> segments = (List<String>) map.get("segments");
        List<String> sources = (List<String>) map.get("acquisitionSources");
        return new CustomerFilter(segments == null ? List.of() : segments, sources == null ? List.of() : sources,
                where((String) map.get("where"), context));
    }

    private static Selection where(String json, PluginContext context) {
        if (json == null) {
            return null;
        }
        Object where;
        try {
            where = context.json().parse(json);
        } catch (RuntimeException e) {
            throw new PluginException("filter.where", "filter.where: not JSON; write a customers where as in GraphQL, "
                    + "e.g. {\"lifetimeValue\": {\"gt\": 500}}");
        }
        if (!(where instanceof Map<?, ?> condition)) {
            throw new PluginException("filter.where", "filter.where: a customers where is a JSON object, e.g. {\"lifetimeValue\": {\"gt\": 500}}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) condition;
        return context.crm().matching("customers", typed);
    }

    boolean isEmpty() {
        return segments.isEmpty() && acquisitionSources.isEmpty() && where == null;
    }

    /** {@code AND <column> IN (customers that match)}; nothing when the filter is empty. */
    void andCustomerIn(Select select, String column) {
        if (!isEmpty()) {
            select.sql(" AND " + column + " IN (SELECT c.id FROM customers c WHERE 1 = 1");
            andCustomerMatches(select, "c");
            select.sql(")");
        }
    }

    /** {@code AND} the conditions on the customers table under {@code alias}. */
    void andCustomerMatches(Select select, String alias) {
        if (!segments.isEmpty()) {
            select.sql(" AND " + alias + ".customer_segment IN ").list(segments);
        }
        if (!acquisitionSources.isEmpty()) {
            select.sql(" AND " + alias + ".acquisition_source IN ").list(acquisitionSources);
        }
        if (where != null) {
            select.sql(" AND " + alias + ".id IN (").embed(where).sql(")");
        }
    }
}
