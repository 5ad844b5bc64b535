package dev.storefront.crm.imports.csv;

import dev.storefront.crm.storage.CellSource;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 *   <li>{@code a | b}: the first non-empty value ({@code |} binds loosest: {@code a + b | c}); a column
 *       missing from the file is empty there when another alternative names only columns it has, so
 *       one mapping reads several header variants ({@code "Accepts Email Marketing" | "Accepts Marketing"});</li>
 *   <li>{@code concat(a, b, ...)}: joined with nothing between, empty when any part is empty;</li>
 *   <li>{@code nullif(a, 'v')}: empty when the value is {@code v};</li>
 *   <li>{@code ltrim(a, 'chars')}: without the leading {@code chars} ({@code ''''} for Shopify's {@code '7412883013651});</li>
 *   <li>{@code map(a, 'from' = 'to', ...)}: translated values (ignoring case), others unchanged;</li>
 *   <li>{@code pick(a, 'from' = 'to', ...)}: translated values (ignoring case), others empty;</li>
 *   <li>{@code if(a, 'text')}: {@code text} when the value is not empty, else empty;</li>
 *   <li>{@code unless(a, b)}: {@code b} when {@code a} is empty, else empty;</li>
 *   <li>{@code money(a)}: an amount with currency signs and thousands separators ({@code $1,234.50},
 *       {@code 1.234,50 €});</li>
 *   <li>{@code local(a)}: a date-time without an offset is a time in the store's time zone ({@code crm.timezone});
 *       one with an offset or {@code Z} keeps its own; {@code local(a, 'Europe/Berlin')} names the zone.</li>
 *   <li>{@code day(a)}: the day of a date-time with an offset in the store's time zone ({@code crm.timezone}),
 *       as the customers' metrics date orders; other text unchanged.</li>
 *   <li>{@code per(a, b)}: {@code a} divided by {@code b} when both are numbers (a line's total per unit);
 *       other text of {@code a} unchanged;</li>
 *   <li>{@code item('key')}: field {@code key} of the item a row stands for, in a mapping of a list cell's
 *       items ({@code ImportMapping.items});</li>
 *   <li>{@code lowest('key', a)}: {@code a} on the item whose field {@code key} is the lowest number among the items
 *       of its cell, empty on the others (an order's first refund).</li>
 * </ul>
 */
final class SourceExpression {

    private static final Set<String> FUNCTIONS = Set.of("concat", "nullif", "ltrim", "map", "pick", "if", "money", "local", "day", "unless",
            "per", "item", "lowest");
    /** What an item's key may hold: {@code sku}, {@code product_id}, {@code refunded_qty}. */
    private static final java.util.regex.Pattern ITEM_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_ -]+");

    private final String text;
    private final Map<String, Integer> header;
    private final List<String> missing;
    private final List<String> absent;
    private int at;

    private SourceExpression(String text, Map<String, Integer> header, List<String> missing, List<String> absent) {
        this.text = text;
        this.header = header;
        this.missing = missing;
        this.absent = absent;
    }

    /**
     * Parses {@code text} and finds its columns in {@code header} (name → index); {@code missing}
     * receives the columns not found, {@code absent} those not found where another alternative
     * stands in for them (another header variant).
     */
    static CellSource parse(String text, Map<String, Integer> header, List<String> missing, List<String> absent) {
        SourceExpression parser = new SourceExpression(text, header, missing, absent);
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
        int missingBefore = missing.size();
        boolean oneComplete = false;
        List<CellSource> parts = new ArrayList<>();
        do {
            if (!parts.isEmpty()) {
                at++;
            }
            int before = missing.size();
            parts.add(joined(inArguments));
            oneComplete |= missing.size() == before;
        } while (peek('|'));
        if (parts.size() == 1) {
            return parts.get(0);
        }
        if (oneComplete) {
            List<String> standIn = missing.subList(missingBefore, missing.size());
            absent.addAll(standIn);
            standIn.clear();
        }
        return new CellSource.FirstOf(parts);
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
        if (name.equals("item")) {
            space();
            String key = itemKey();
            expect(')');
            return new CellSource.ItemField(key);
        }
        if (name.equals("lowest")) {
            space();
            String key = itemKey();
            expect(',');
            CellSource source = alternatives(true);
            expect(')');
            return new CellSource.OnLowestItem(key, source);
        }
        CellSource first = alternatives(true);
        CellSource result = switch (name) {
            case "money" -> new CellSource.Money(first);
            case "day" -> new CellSource.StoreDay(first);
            case "ltrim" -> {
                expect(',');
                space();
                yield new CellSource.TrimStart(first, quotedText('\''));
            }
            case "nullif" -> {
                expect(',');
                space();
                yield new CellSource.NullIf(first, quotedText('\''));
            }
            case "if" -> {
                expect(',');
                space();
                yield new CellSource.IfPresent(first, quotedText('\''));
            }
            case "local" -> {
                if (!peek(',')) {
                    yield new CellSource.LocalTime(first, null);
                }
                at++;
                space();
                yield new CellSource.LocalTime(first, zone(quotedText('\'')));
            }
            case "unless" -> {
                expect(',');
                yield new CellSource.Unless(first, alternatives(true));
            }
            case "per" -> {
                expect(',');
                yield new CellSource.Quotient(first, alternatives(true));
            }
            case "map" -> new CellSource.Translate(first, translations());
            case "pick" -> new CellSource.Pick(first, translations());
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

    /** An item's key in quotes: letters, digits, {@code _}, {@code -} and spaces. */
    private String itemKey() {
        String key = quotedText('\'');
        if (!ITEM_KEY.matcher(key).matches()) {
            throw problem("'" + key + "' is not an item's key (letters, digits, _ and - only)");
        }
        return key;
    }

    /** A region's id as DuckDB knows it too ({@code Europe/Berlin}, {@code UTC}); a bare offset such as {@code +02:00} it does not. */
    private String zone(String name) {
        try {
            ZoneId zone = ZoneId.of(name);
            if (!(zone instanceof ZoneOffset)) {
                return zone.getId();
            }
        } catch (DateTimeException e) {
            // refused below
        }
        throw problem("'" + name + "' is not a time zone; use a region such as Europe/Berlin, or UTC");
    }

    /** {@code , 'from' = 'to'} repeated. */
    private Map<String, String> translations() {
        Map<String, String> values = new LinkedHashMap<>();
        while (peek(',')) {
            at++;
            space();
            String from = quotedText('\'');
            expect('=');
            space();
            values.put(from, quotedText('\''));
        }
        return values;
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
