package dev.storefront.crm.api.query;

import java.util.List;

/**
 * Which entries to match, as data: the model behind GraphQL's {@code where} argument, saved views
 * and plugin queries. Fields are named by api name ({@code lifetime_value}); reverse lists by
 * their api name on the object ({@code support_tickets}).
 */
public sealed interface Filter {

    /** Matches when every part matches; no parts matches everything. */
    record And(List<Filter> filters) implements Filter {
        public And {
            filters = List.copyOf(filters);
        }
    }

    /** Matches when any part matches; no parts matches nothing. */
    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = List.copyOf(filters);
        }
    }

    record Not(Filter filter) implements Filter {
    }

    /** One field compared with a value; list-taking operators take a {@link List}. */
    record Compare(String field, Operator operator, Object value) implements Filter {
    }

    /** Through a relation field to the entry it points at: orders whose customer is VIP. */
    record Related(String field, Filter filter) implements Filter {
    }

    /** Entries with at least one entry in a reverse list matching {@code where} (null: any). */
    record Some(String list, Filter where) implements Filter {
    }

    /** Entries with no entry in a reverse list matching {@code where} (null: any). */
    record None(String list, Filter where) implements Filter {
    }

    /** Entries whose count of reverse-list entries matching {@code where} compares with {@code value}. */
    record Count(String list, Filter where, Operator operator, Object value) implements Filter {
    }

    static Filter all() {
        return new And(List.of());
    }

    static Filter and(Filter... filters) {
        return new And(List.of(filters));
    }

    static Filter or(Filter... filters) {
        return new Or(List.of(filters));
    }

    static Filter compare(String field, Operator operator, Object value) {
        return new Compare(field, operator, value);
    }
}
