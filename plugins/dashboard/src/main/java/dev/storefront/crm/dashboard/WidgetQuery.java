package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One widget query: a GraphQL field of the same name, and what a board widget's {@code query:}
 * names. Each computes its whole answer in a few set-based statements.
 */
interface WidgetQuery {

    String name();

    /** The GraphQL type of the answer: Series, Table, Stat or Matrix. */
    String resultType();

    String description();

    default List<Option> options() {
        return List.of();
    }

    /** Problems with a board widget's arguments for this query, in a store owner's words; empty when none. */
    default List<String> problems(Map<String, Object> arguments, CrmContext crm) {
        return Option.problems(options(), arguments);
    }

    /** The objects the answer depends on: a write to any of them drops the cached answer. */
    Set<String> reads(Args args);

    /** False when the model lacks what the query needs (then the field and its board widgets are absent). */
    default boolean available(CrmContext crm) {
        return true;
    }

    WidgetData compute(Args args, CrmContext crm);
}
