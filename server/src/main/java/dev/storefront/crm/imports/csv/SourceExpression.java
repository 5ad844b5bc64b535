package dev.storefront.crm.imports.csv;

import dev.storefront.crm.storage.CellSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses where a target's value comes from into a {@link CellSource}, which the import evaluates in
 * SQL for a whole chunk at once:
 * <ul>
 *   <li>{@code col} or {@code "col"} (quoted when the name holds {@code | + , ( )}): a column, found by
 *       exact name, else ignoring case;</li>
 *   <li>{@code 'literal'};</li>
 *   <li>{@code a + b}: the non-empty values joined by one space;</li>
 *   <li>{@code a | b}: the first non-empty value ({@code |} binds loosest: {@code a + b | c});</li>
 *   <li>{@code concat(a, b, ...)}: joined with nothing between, empty when any part is empty;</li>
 *   <li>{@code nullif(a, 'v')}: empty when the value is {@code v};</li>
 *   <li>{@code map(a, 'from' = 'to', ...)}: translated values (ignoring case), others unchanged;</li>
 *   <li>{@code money(a)}: an amount with currency signs and thousands separators ({@code $1,234.50},
 *       {@code 1.234,50 €}).</li>
 * </ul>
 */
final class SourceExpression {

    private static final Set<String> FUNCTIONS = Set.of("concat", "nullif", "map", "money");

    private final String text;
    private final Map<String, Integer> header;
    private final List<String> missing;
    private int at;

    private SourceExpression(String text, Map<String, Integer> header, List<String> missing) {
        this.text = text;
        this.header = header;
        this.missing = missing;
    }

    /**
     * Parses {@code text} and finds its columns in {@code header} (name → index); {@code missing}
     * receives the columns not found.
     */
    static CellSource parse(String text, Map<String, Integer> header, List<String> missing) {
        SourceExpression parser = new SourceExpression(text, header, missing);
        CellSource source = parser.alternatives(false);
        parser.space();
        if (parser.at < text.length()) {
            throw parser.problem("unexpected '" + text.charAt(parser.at) + "'");
        }
        return source;
    }

    /** A column name written so that any name parses as that column. */
    static String quoted(String column) {
        return '"' + column.replace("\"", "\"\"") + '"';
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

    private CellSource alternatives(boolean inArguments) {
        List<CellSource> parts = new ArrayList<>();
        parts.add(joined(inArguments));
        while (peek('|')) {
            at++;
            parts.add(joined(inArguments));
        }
        return parts.size() == 1 ? parts.get(0) : new CellSource.FirstOf(parts);
    }

    private CellSource joined(boolean inArguments) {
        List<CellSource> parts = new ArrayList<>();
        parts.add(term(inArguments));
        while (peek('+')) {
            at++;
            parts.add(term(inArguments));
        }
        return parts.size() == 1 ? parts.get(0) : new CellSource.Joined(parts);
    }

    private CellSource term(boolean inArguments) {
        space();
        if (at >= text.length()) {
            throw problem("a column or 'literal' is missing at the end");
        }
        char c = text.charAt(at);
        if (c == '\'') {
            return new CellSource.Literal(quotedText('\''));
        }
        if (c == '"') {
            return column(quotedText('"'));
        }
        int open = text.indexOf('(', at);
        if (open > 0 && FUNCTIONS.contains(text.substring(at, open).strip().toLowerCase(Locale.ROOT))) {
            String name = text.substring(at, open).strip().toLowerCase(Locale.ROOT);
            at = open + 1;
            return function(name);
        }
        int start = at;
        while (at < text.length() && !endsBareName(inArguments)) {
            at++;
        }
        return column(text.substring(start, at).strip());
    }

    /** A bare column name runs to {@code |}, to a {@code +} between spaces, and in arguments to {@code ,} or {@code )}. */
    private boolean endsBareName(boolean inArguments) {
        char c = text.charAt(at);
        if (c == '|' || inArguments && (c == ',' || c == ')')) {
            return true;
        }
        return c == '+' && at > 0 && Character.isWhitespace(text.charAt(at - 1))
                && (at + 1 == text.length() || Character.isWhitespace(text.charAt(at + 1)));
    }

    private CellSource function(String name) {
        CellSource first = alternatives(true);
        CellSource result = switch (name) {
            case "money" -> new CellSource.Money(first);
            case "nullif" -> {
                expect(',');
                space();
                yield new CellSource.NullIf(first, quotedText('\''));
            }
            case "map" -> {
                Map<String, String> values = new LinkedHashMap<>();
                while (peek(',')) {
                    at++;
                    space();
                    String from = quotedText('\'');
                    expect('=');
                    space();
                    values.put(from, quotedText('\''));
                }
                yield new CellSource.Translate(first, values);
            }
            default -> {
                List<CellSource> parts = new ArrayList<>(List.of(first));
                while (peek(',')) {
                    at++;
                    parts.add(alternatives(true));
                }
                yield new CellSource.Concat(parts);
            }
        };
        expect(')');
        return result;
    }

    private CellSource column(String name) {
        Integer index = find(header, name);
        if (index == null) {
            missing.add(name);
            return new CellSource.Literal("");
        }
        return new CellSource.Column(index);
    }

    /** Text between two {@code quote}s, a doubled quote standing for one. */
    private String quotedText(char quote) {
        if (at >= text.length() || text.charAt(at) != quote) {
            throw problem("expected " + quote + " at position " + (at + 1));
        }
        StringBuilder value = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c != quote) {
                value.append(c);
            } else if (at < text.length() && text.charAt(at) == quote) {
                value.append(quote);
                at++;
            } else {
                return value.toString();
            }
        }
        throw problem("a quote " + quote + " is never closed");
    }

    private boolean peek(char c) {
        space();
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw problem("expected '" + c + "' at position " + (at + 1));
        }
        at++;
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private ImportFileException problem(String what) {
        return new ImportFileException("The mapping source \"" + text + "\" cannot be read: " + what);
    }
}
