package dev.storefront.crm.dashboard;

import java.util.List;
import java.util.Map;

/**
 * Which customers a widget looks at: by segment and acquisition source (labels as in the model,
 * such as {@code Potential Loyal}); an empty list does not filter.
 */
record CustomerFilter(List<String> segments, List<String> acquisitionSources) {

    static final CustomerFilter NONE = new CustomerFilter(List.of(), List.of());

    CustomerFilter {
        segments = List.copyOf(segments);
        acquisitionSources = List.copyOf(acquisitionSources);
    }

    @SuppressWarnings("unchecked")
    static CustomerFilter of(Object argument) {
        if (!(argument instanceof Map<?, ?> map)) {
            return NONE;
        }
        List<String> segments = (List<String>) map.get("segments");
        List<String> sources = (List<String>) map.get("acquisitionSources");
        return new CustomerFilter(segments == null ? List.of() : segments, sources == null ? List.of() : sources);
    }

    boolean isEmpty() {
        return segments.isEmpty() && acquisitionSources.isEmpty();
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
    }
}
