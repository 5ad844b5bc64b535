package dev.storefront.crm.graphql;

import graphql.language.Argument;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import java.util.HashMap;
import java.util.Map;

/**
 * How big a query is, measured over its document before anything runs: the deepest field, the
 * number of fields with every alias and fragment spread counted where it is used, and the cost,
 * the most values it can produce: each field counts once per item of the connections around it
 * ({@code first}/{@code last}, or the default page size when a connection is given neither).
 *
 * <p>Each fragment is measured once and its figures reused wherever it is spread, so a fragment
 * bomb (fragments spreading the next one twice, 26 levels deep) is measured in linear time while
 * its counts grow past any limit. Counts saturate instead of overflowing.
 */
record QuerySize(int depth, long fields, long cost) {

    private static final QuerySize EMPTY = new QuerySize(0, 0, 0);
    /** Arguments that set how many items a connection returns. */
    private static final String[] PAGE_ARGUMENTS = {"first", "last"};

    static QuerySize of(SelectionSet operation, Map<String, FragmentDefinition> fragments, Map<String, Object> variables,
                        int defaultPageSize) {
        return new Measure(fragments, variables, defaultPageSize).of(operation);
    }

    private static final class Measure {

        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Object> variables;
        private final int defaultPageSize;
        private final Map<String, QuerySize> measured = new HashMap<>();

        Measure(Map<String, FragmentDefinition> fragments, Map<String, Object> variables, int defaultPageSize) {
            this.fragments = fragments;
            this.variables = variables;
            this.defaultPageSize = defaultPageSize;
        }

        QuerySize of(SelectionSet set) {
            int depth = 0;
            long fields = 0;
            long cost = 0;
            if (set == null) {
                return EMPTY;
            }
            for (Selection<?> selection : set.getSelections()) {
                QuerySize part = selection instanceof Field field ? field(field)
                        : selection instanceof InlineFragment inline ? of(inline.getSelectionSet())
                        : selection instanceof FragmentSpread spread ? fragment(spread.getName()) : EMPTY;
                depth = Math.max(depth, part.depth());
                fields = saturatedAdd(fields, part.fields());
                cost = saturatedAdd(cost, part.cost());
            }
            return new QuerySize(depth, fields, cost);
        }

        private QuerySize field(Field field) {
            QuerySize inside = of(field.getSelectionSet());
            long items = field.getSelectionSet() == null ? 1 : pageSize(field);
            return new QuerySize(inside.depth() + 1, saturatedAdd(1, inside.fields()),
                    saturatedAdd(1, saturatedMultiply(items, inside.cost())));
        }

        private QuerySize fragment(String name) {
            QuerySize known = measured.get(name);
            if (known != null) {
                return known;
            }
            FragmentDefinition definition = fragments.get(name);
            // Validation refuses unknown and cyclic fragments; mark this one empty while it is measured.
            measured.put(name, EMPTY);
            QuerySize size = definition == null ? EMPTY : of(definition.getSelectionSet());
            measured.put(name, size);
            return size;
        }

        /**
         * Items of a connection (a field selecting {@code nodes} or {@code edges}, or given a page
         * argument): its {@code first} or {@code last}, else the default page size.
         */
        private long pageSize(Field field) {
            for (String name : PAGE_ARGUMENTS) {
                for (Argument argument : field.getArguments()) {
                    if (argument.getName().equals(name)) {
                        Object value = argument.getValue() instanceof VariableReference ref ? variables.get(ref.getName())
                                : argument.getValue() instanceof IntValue literal ? literal.getValue() : null;
                        return value instanceof Number n ? Math.max(1, n.longValue()) : defaultPageSize;
                    }
                }
            }
            boolean connection = field.getSelectionSet().getSelectionsOfType(Field.class).stream()
                    .anyMatch(f -> f.getName().equals("nodes") || f.getName().equals("edges"));
            return connection ? defaultPageSize : 1;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }
}
