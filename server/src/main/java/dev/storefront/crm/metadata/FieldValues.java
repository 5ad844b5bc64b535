package dev.storefront.crm.metadata;

import dev.storefront.crm.errors.InvalidValueException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a value from any client (GraphQL, YAML, CSV text, a plugin) into the one Java type a field
 * stores, or refuses it with an error naming the object, the field and the value. Every write path
 * goes through here, so a value is judged the same wherever it comes from.
 *
 * <p>Stored types: text kinds → String, number → BigDecimal (the field's scale, 4 by default), integer → Long, boolean →
 * Boolean, date → LocalDate, datetime → OffsetDateTime in UTC, enum → the option label, multi-enum
 * and tags → List&lt;String&gt;, relation → Long id (given as a number or a {@link GlobalIds global id}).
 */
public final class FieldValues {

    public static final int NUMBER_SCALE = 4;
    /** DECIMAL(18,4) holds 14 digits before the point. */
    private static final BigDecimal NUMBER_LIMIT = BigDecimal.TEN.pow(14);
    /**
     * The longest text a field takes, in characters: far beyond any name, note or description, and
     * small enough that one value cannot fill the server's memory.
     */
    public static final int MAX_TEXT_LENGTH = 100_000;
    /** Dates from year 1 to 9999: DuckDB reads years before 1 back as AD and wraps years past its range. */
    private static final LocalDate FIRST_DATE = LocalDate.of(1, 1, 1);
    private static final LocalDate LAST_DATE = LocalDate.of(9999, 12, 31);
    /** BIGINT's range, kept symmetric so the message is one rule: ±9223372036854775807. */
    private static final BigDecimal INTEGER_LIMIT = BigDecimal.valueOf(Long.MAX_VALUE);

    /**
     * A valid email address as a pattern, for SQL (an import checks a column at once); {@link #isEmail} is the same rule
     * for one value, which {@code FieldValuesTest} holds to this pattern.
     */
    public static final String EMAIL_PATTERN = "[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+";
    private static final Pattern EXTENSION = Pattern.compile("\\s*(x|ext\\.?)\\s*[0-9]{1,6}$", Pattern.CASE_INSENSITIVE);
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]+(\\s*(x|ext\\.?)\\s*[0-9]{1,6})?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?[0-9]+");
    /** How Excel shows a number of 12 or more digits (a phone, an id) in a cell it reads as a number: {@code 1.23457E+11}. */
    private static final Pattern SCIENTIFIC = Pattern.compile("[+-]?[0-9](\\.[0-9]+)?E\\+[0-9]{1,3}", Pattern.CASE_INSENSITIVE);
    /** How DuckDB and PostgreSQL print a timestamp with zone: {@code 2025-03-03 19:22:07.123+00}. */
    private static final Pattern SQL_DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([+-]\\d{2}(:?\\d{2})?)?");
    private static final DateTimeFormatter SPACED_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[ xx][ xxx]");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FieldValues() {
    }

    /** Converts and checks one value; null stays null (whether null is allowed is the caller's rule). */
    public static Object convert(String object, FieldDef field, Object raw) {
        if (raw == null) {
            return null;
        }
        Check check = new Check(object, field, raw);
        return switch (field.kind()) {
            case TEXT, RICHTEXT -> boundedText(check, raw);
            case EMAIL -> email(check, boundedText(check, raw));
            case PHONE -> phone(check, boundedText(check, raw));
            case URL -> url(check, boundedText(check, raw));
            case NUMBER -> number(check, raw);
            case INTEGER -> field == SystemFields.ID ? id(check, object, raw) : integer(check, raw);
            case BOOLEAN -> bool(check, raw);
            case DATE -> inRange(check, date(check, raw));
            // Microseconds, as DuckDB stores them: a value answered from what was written equals the stored one.
            case DATETIME -> inRange(check, datetime(check, raw)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            case ENUM -> option(check, raw);
            case MULTI_ENUM -> options(check, raw);
            case TAGS -> tags(check, raw);
            case RELATION -> id(check, field.relatedObject(), raw);
        };
    }

    /**
     * Reads a value written as text (a CSV cell, a default in metadata): empty means null, and list
     * kinds take a JSON array or comma-separated items.
     */
    public static Object fromText(String object, FieldDef field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (field.kind().isList()) {
            return convert(object, field, splitList(object, field, text.strip()));
        }
        return convert(object, field, text.strip());
    }

    /** The inverse of {@link #fromText} for stored values. */
    /**
     * A value of {@code field} as text: a number field with a declared scale keeps exactly that many
     * decimal places ("42.50"); everything else as {@link #toText(Object)}.
     */
    public static String toText(FieldDef field, Object value) {
        return field.scale() != null && value instanceof BigDecimal decimal
                ? decimal.setScale(field.scale(), RoundingMode.HALF_UP).toPlainString() : toText(value);
    }

    public static String toText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> list) {
            return JSON.writeValueAsString(list);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof OffsetDateTime instant) {
            // Always with seconds (OffsetDateTime.toString drops ":00"), so every client sees one width.
            return instant.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        return value.toString();
    }

    private static List<?> splitList(String object, FieldDef field, String text) {
        if (text.startsWith("[")) {
            try {
                return JSON.readValue(text, List.class);
            } catch (JacksonException e) {
                throw new InvalidValueException(object, field.apiName(), text, "is not a JSON array of strings");
            }
        }
        return List.of(text.split("\\s*,\\s*"));
    }

    private static String text(Object raw) {
        return raw instanceof String s ? s : String.valueOf(raw);
    }

    private static String boundedText(Check check, Object raw) {
        String text = text(raw);
        if (text.length() > MAX_TEXT_LENGTH) {
            throw check.refuse("is too long (" + text.length() + " characters; at most " + MAX_TEXT_LENGTH + ")");
        }
        return text;
    }

    private static <T extends java.time.temporal.Temporal> T inRange(Check check, T value) {
        LocalDate day = value instanceof OffsetDateTime t ? t.toLocalDate() : (LocalDate) value;
        if (day.isBefore(FIRST_DATE) || day.isAfter(LAST_DATE)) {
            throw check.refuse("is out of range (years 1 to 9999)");
        }
        return value;
    }

    private static String email(Check check, String value) {
        String email = value.strip().toLowerCase(Locale.ROOT);
        if (!isEmail(email)) {
            throw check.refuse("is not a valid email address");
        }
        return email;
    }

    /**
     * Something before one {@code @}, and after it a domain of two or more dot-separated labels, none empty; no
     * whitespace anywhere: {@link #EMAIL_PATTERN}, as a loop. A bulk create checks 10,000 addresses, and the pattern's
     * repeated group cost ~6x the time of this loop.
     */
    static boolean isEmail(String value) {
        int at = value.indexOf('@');
        if (at <= 0) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            if (isSpace(value.charAt(i))) {
                return false;
            }
        }
        int dots = 0;
        int label = 0;
        for (int i = at + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                dots++;
                label = 0;
            } else if (c == '@' || isSpace(c)) {
                return false;
            } else {
                label++;
            }
        }
        return dots > 0 && label > 0;
    }

    /** Whitespace as a pattern's {@code \s} means it: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String phone(Check check, String value) {
        String phone = value.strip();
        String withoutExtension = EXTENSION.matcher(phone).replaceFirst("");
        long digits = withoutExtension.chars().filter(Character::isDigit).count();
        if (!PHONE.matcher(phone).matches() || digits < 7 || digits > 15) {
            refuseScientific(check, phone);
            throw check.refuse("is not a valid phone number (7 to 15 digits, optional +, spaces, - ( ) .)");
        }
        return phone;
    }

    /**
     * Refuses a value Excel wrote in scientific notation, saying so: its last digits are gone (1.23457E+11 was
     * 123456789012 or any number near it), so no reading of it can be right.
     */
    private static void refuseScientific(Check check, String value) {
        if (SCIENTIFIC.matcher(value).matches()) {
            throw check.refuse("is a number in scientific notation, as Excel shows long numbers, and its last digits are lost:"
                    + " import the original export, or open it in the spreadsheet with the column as Text (Data > From Text/CSV), and save again");
        }
    }

    private static String url(Check check, String value) {
        String url = value.strip();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // falls through to the refusal below
        }
        throw check.refuse("is not a valid http(s) URL");
    }

    private static BigDecimal number(Check check, Object raw) {
        BigDecimal value;
        try {
            if (raw instanceof BigDecimal d) {
                value = d;
            } else if (raw instanceof Double || raw instanceof Float) {
                double d = ((Number) raw).doubleValue();
                if (Double.isInfinite(d) || Double.isNaN(d)) {
                    throw check.refuse("is too large (at most 14 digits before the decimal point)");
                }
                value = BigDecimal.valueOf(d);
            } else if (raw instanceof Number || raw instanceof String) {
                value = new BigDecimal(raw.toString().strip());
            } else {
                throw check.refuse("is not a number");
            }
        } catch (NumberFormatException e) {
            throw check.refuse("is not a number");
        }
        if (value.abs().compareTo(NUMBER_LIMIT) >= 0) {
            throw check.refuse("is too large (at most 14 digits before the decimal point)");
        }
        // Half away from zero, as DuckDB rounds a cast: the API and SQL imports store one value.
        return value.setScale(check.field().numberScale(), RoundingMode.HALF_UP);
    }

    private static Long integer(Check check, Object raw) {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        BigDecimal value;
        try {
            value = raw instanceof Number || raw instanceof String s && INTEGER_TEXT.matcher(s.strip()).matches()
                    ? new BigDecimal(raw.toString().strip()) : null;
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.stripTrailingZeros().scale() > 0) {
            if (raw instanceof String text) {
                refuseScientific(check, text.strip());
            }
            throw check.refuse("is not a whole number");
        }
        if (value.abs().compareTo(INTEGER_LIMIT) > 0) {
            throw check.refuse("is out of range (whole numbers from -" + INTEGER_LIMIT + " to " + INTEGER_LIMIT + ")");
        }
        return value.longValueExact();
    }

    private static Boolean bool(Check check, Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        return switch (text(raw).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> true;
            case "false", "no", "n", "0" -> false;
            default -> throw check.refuse("is not a boolean (true/false, yes/no)");
        };
    }

    private static LocalDate date(Check check, Object raw) {
        if (raw instanceof LocalDate d) {
            return d;
        }
        if (raw instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        }
        String text = text(raw).strip();
        try {
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw check.refuse("is not a date (YYYY-MM-DD)");
        }
    }

    private static OffsetDateTime datetime(Check check, Object raw) {
        if (raw instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (raw instanceof LocalDate d) {
            return d.atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        return parseDatetime(check, text(raw).strip());
    }

    private static OffsetDateTime parseDatetime(Check check, String given) {
        String text = SQL_DATETIME.matcher(given).matches()
                ? given.replaceFirst(" ", "T").replaceFirst("([+-]\\d{2})$", "$1:00") : given;
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            if (text.indexOf('T') > 0) {
                boolean hasOffset = text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$");
                return hasOffset
                        ? OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC)
                        : LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            }
            var parsed = SPACED_DATETIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime t
                    ? t.withOffsetSameInstant(ZoneOffset.UTC)
                    : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw check.refuse("is not a date-time (ISO-8601, e.g. 2025-03-03T14:22:07Z)");
        }
    }

    private static String option(Check check, Object raw) {
        String given = text(raw).strip();
        List<String> options = check.field.options();
        for (String option : options) {
            if (option.equals(given)) {
                return option;
            }
        }
        for (String option : options) {
            if (option.equalsIgnoreCase(given) || ApiNames.enumValue(option).equals(given)) {
                return option;
            }
        }
        throw check.refuse("is not one of the options: " + String.join(", ", options));
    }

    /** Each option once, in the order given. Loops, not streams: a bulk write converts the lists of every row. */
    private static List<String> options(Check check, Object raw) {
        Set<String> options = new LinkedHashSet<>();
        for (Object item : items(check, raw)) {
            options.add(option(check, item));
        }
        return List.copyOf(options);
    }

    /** Each tag once, stripped, the empty ones dropped, in the order given. */
    private static List<String> tags(Check check, Object raw) {
        Set<String> tags = new LinkedHashSet<>();
        for (Object item : items(check, raw)) {
            String tag = String.valueOf(item).strip();
            if (!tag.isEmpty()) {
                tags.add(tag);
            }
        }
        return List.copyOf(tags);
    }

    /** A list value's items: a collection, an array, or one value alone; an empty (null) item is refused. */
    private static Collection<?> items(Check check, Object raw) {
        Collection<?> items = raw instanceof Collection<?> list ? list
                : raw.getClass().isArray() ? Arrays.asList((Object[]) raw) : List.of(raw);
        for (Object item : items) {
            if (item == null) {
                throw check.refuse("contains an empty item");
            }
        }
        return items;
    }

    /** An entry id of {@code target}: a number, or a global id naming that object (see {@link GlobalIds}). */
    private static Long id(Check check, String target, Object raw) {
        if (raw instanceof Long || raw instanceof Integer) {
            return ((Number) raw).longValue();
        }
        String text = text(raw).strip();
        if (GlobalIds.isPlain(text)) {
            return Long.parseLong(text);
        }
        GlobalIds.Ref ref = GlobalIds.decode(text).orElseThrow(() -> check.refuse("is not an entry id"));
        if (!ref.object().equals(target)) {
            throw check.refuse("is the id of a " + ref.object() + " entry, not of a " + target + " entry");
        }
        return ref.id();
    }

    private record Check(String object, FieldDef field, Object raw) {
        InvalidValueException refuse(String problem) {
            Object shown = raw instanceof BigDecimal decimal ? decimal.stripTrailingZeros().toPlainString()
                    : (raw instanceof Double || raw instanceof Float) && Double.isFinite(((Number) raw).doubleValue())
                    ? BigDecimal.valueOf(((Number) raw).doubleValue()).stripTrailingZeros().toPlainString() : raw;
            return new InvalidValueException(object, field.apiName(), shown, problem);
        }
    }
}
