package dev.storefront.crm.imports.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a target's value comes from: {@code col}, {@code a + b} (non-empty values joined by one
 * space), {@code a | b} (the first non-empty alternative), {@code 'literal'}. {@code |} binds
 * loosest: {@code a + b | c} is "a and b joined, or else c".
 */
final class SourceExpression {

    private static final Pattern OR = Pattern.compile("\\s*\\|\\s*");

    /** One term: a column (resolved to its index) or a literal. */
    private record Term(String column, int index, String literal) {
    }

    private final String text;
    private final List<List<Term>> alternatives;

    private SourceExpression(String text, List<List<Term>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /**
     * Parses {@code text} and finds its columns in {@code header} (exact name first, then ignoring
     * case); {@code missing} receives the columns not found.
     */
    static SourceExpression parse(String text, Map<String, Integer> header, List<String> missing) {
        List<List<Term>> alternatives = new ArrayList<>();
        for (String alternative : OR.split(text.strip())) {
            List<Term> terms = new ArrayList<>();
            for (String part : splitPlus(alternative)) {
                String term = part.strip();
                if (term.length() >= 2 && term.startsWith("'") && term.endsWith("'")) {
                    terms.add(new Term(null, -1, term.substring(1, term.length() - 1)));
                    continue;
                }
                Integer index = find(header, term);
                if (index == null) {
                    missing.add(term);
                    index = -1;
                }
                terms.add(new Term(term, index, null));
            }
            alternatives.add(terms);
        }
        return new SourceExpression(text.strip(), alternatives);
    }

    private static List<String> splitPlus(String alternative) {
        List<String> parts = new ArrayList<>();
        for (String piece : alternative.split("\\s\\+\\s")) {
            parts.add(piece);
        }
        return parts;
    }

    static Integer find(Map<String, Integer> header, String column) {
        Integer exact = header.get(column);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Integer> entry : header.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(column)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The value for one row, or null when every alternative is empty. */
    String evaluate(Cells row) {
        for (List<Term> terms : alternatives) {
            StringBuilder joined = new StringBuilder();
            for (Term term : terms) {
                String value = term.literal != null ? term.literal : row.get(term.index);
                if (value != null && !value.isBlank()) {
                    if (!joined.isEmpty()) {
                        joined.append(' ');
                    }
                    joined.append(value.strip());
                }
            }
            if (!joined.isEmpty()) {
                return joined.toString();
            }
        }
        return null;
    }

    /** The column(s) a value came from, as the mapping wrote them, for the error report. */
    String columns() {
        return text;
    }

    String text() {
        return text;
    }

    /** A row's cells by column index. */
    interface Cells {
        String get(int index);
    }
}
