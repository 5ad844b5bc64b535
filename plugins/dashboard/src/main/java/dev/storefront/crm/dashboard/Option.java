package dev.storefront.crm.dashboard;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One argument a widget query takes besides the period and the filter: its GraphQL declaration and
 * the check of a value given in the board's YAML (GraphQL checks the values of a request itself).
 */
record Option(String name, String graphQl, Check check) {

    /** Returns a problem with the value in a store owner's words, or null when it is fine. */
    @FunctionalInterface
    interface Check {
        String problem(Object value);
    }

    static Option granularity() {
        return choice("granularity", "Granularity = MONTH", Granularity.class);
    }

    static Option positive(String name, int defaultValue) {
        return new Option(name, name + ": Int = " + defaultValue,
                v -> v instanceof Integer i && i > 0 ? null : "must be a whole number above 0, not " + v);
    }

    static <E extends Enum<E>> Option choice(String name, String graphQl, Class<E> values) {
        List<String> names = Arrays.stream(values.getEnumConstants()).map(Enum::name).toList();
        return new Option(name, name + ": " + graphQl,
                v -> names.contains(v) ? null : "must be one of " + String.join(", ", names) + ", not " + v);
    }

    static Option text(String name) {
        return new Option(name, name + ": String", v -> v instanceof String ? null : "must be text, not " + v);
    }

    /** Checks the YAML arguments of a widget against these options; returns the problems found. */
    static List<String> problems(List<Option> options, Map<String, Object> arguments) {
        List<String> problems = new java.util.ArrayList<>();
        arguments.forEach((name, value) -> {
            Option option = options.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
            if (option == null) {
                problems.add("argument '" + name + "' is not known; it takes "
                        + (options.isEmpty() ? "none" : String.join(", ", options.stream().map(Option::name).toList())));
            } else {
                String problem = option.check().problem(value);
                if (problem != null) {
                    problems.add("argument '" + name + "' " + problem);
                }
            }
        });
        return problems;
    }
}
