package dev.storefront.crm.storage;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an SQL console query could not run, in a store owner's words: DuckDB's binder and catalog
 * messages ("Binder Error: Referenced column ... not found in FROM clause!") rewritten to name the
 * unknown column, table or function, with DuckDB's suggestion where it has one.
 */
final class ConsoleMessages {

    private record Rule(Pattern pattern, Function<Matcher, String> words) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("Referenced column \"([^\"]+)\" not found[^\\n]*(?:\\nCandidate bindings: ([^\\n]+))?"),
                    m -> "There is no column \"" + m.group(1) + "\" in the tables this query reads" + suggestion(m.group(1), m.group(2))),
            new Rule(Pattern.compile("Table with name (\\S+) does not exist"),
                    m -> "There is no table named \"" + m.group(1) + "\""),
            new Rule(Pattern.compile("Referenced table \"([^\"]+)\" not found[^\\n]*(?:\\nCandidate tables: ([^\\n]+))?"),
                    m -> "\"" + m.group(1) + "\" is not a table or alias of this query's FROM clause" + suggestion(m.group(1), m.group(2))),
            new Rule(Pattern.compile("column \"([^\"]+)\" must appear in the GROUP BY clause"),
                    m -> "The column \"" + m.group(1) + "\" is neither grouped nor aggregated: add it to GROUP BY, or use an "
                            + "aggregate such as any_value(" + m.group(1) + ")"),
            new Rule(Pattern.compile("Function with name (\\S+) does not exist"),
                    m -> "There is no function named " + m.group(1)),
            new Rule(Pattern.compile("No function matches the given name and argument types '([^(]+)\\(([^)]*)\\)'"),
                    m -> "The function " + m.group(1) + " does not take arguments of these types (" + types(m.group(2)) + ")"),
            new Rule(Pattern.compile("best candidate function for the function call \"([^(]+)\\(([^)]*)\\)\""),
                    m -> "The values given to " + m.group(1) + " do not fit together (" + types(m.group(2))
                            + "); convert one with CAST(value AS type)"));

    /** DuckDB's category of a message, "Binder Error: ", which means nothing to a store owner. */
    private static final Pattern CATEGORY = Pattern.compile("^[A-Za-z ]+ Error: ");

    private ConsoleMessages() {
    }

    /** The plain words for DuckDB's {@code message}; an unknown one loses its category and DuckDB's pointer to the text. */
    static String plain(String message) {
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(message);
            if (matcher.find()) {
                return rule.words().apply(matcher);
            }
        }
        String first = message.lines().findFirst().orElse("");
        return CATEGORY.matcher(first).replaceFirst("").replaceAll("!$", "");
    }

    /** DuckDB's closest candidate, when it is close enough to be a typo of {@code name}: DuckDB lists five, however far. */
    private static String suggestion(String name, String candidates) {
        if (candidates == null) {
            return "";
        }
        String closest = candidates.split(",")[0].strip().replace("\"", "");
        String unqualified = closest.substring(closest.lastIndexOf('.') + 1);
        return distance(name, unqualified) <= Math.max(2, name.length() / 3) ? "; did you mean " + closest + "?" : "";
    }

    /** Levenshtein distance: the fewest single-character edits from {@code a} to {@code b}. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String types(String arguments) {
        return arguments.replace("_LITERAL", "").replace("STRING", "VARCHAR");
    }
}
