package dev.storefront.crm.entries;

import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.Sort;
import java.util.List;

/** Which entries of a list, and in what order. */
public record ListQuery(Filter filter, List<Sort> sort) {

    public ListQuery {
        filter = filter == null ? Filter.all() : filter;
        sort = sort == null ? List.of() : List.copyOf(sort);
    }

    public static ListQuery all() {
        return new ListQuery(Filter.all(), List.of());
    }
}
