package dev.storefront.crm.workflows;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/** Conversions between the values the host hands out, a workflow's YAML text and the field kinds a write takes. */
final class Values {

    private Values() {
    }

    static OffsetDateTime dateTime(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Instant t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(String.valueOf(value)).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static Long id(Object value) {
        if (value == null || String.valueOf(value).isBlank()) {
            return null;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = String.valueOf(value).strip();
        if (text.matches("[0-9]{1,18}")) {
            return Long.parseLong(text);
        }
        String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        return Long.parseLong(decoded.substring(decoded.indexOf(':') + 1));
    }

    /** The id clients see for an entry (base64url of {@code object:id}), as the host gives them out. */
    static String globalId(String object, long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((object + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** A rendered template value as the field's kind takes it: text from YAML becomes a number, a flag, a day. */
    static Object forField(dev.storefront.crm.api.FieldKind kind, Object value) {
        if (!(value instanceof String text) || kind == null) {
            return value;
        }
        if (text.isEmpty()) {
            return null;
        }
        return switch (kind) {
            case INTEGER, RELATION -> id(text);
            case NUMBER -> new BigDecimal(text);
            case BOOLEAN -> Boolean.parseBoolean(text);
            case DATE -> LocalDate.parse(text);
            case DATETIME -> dateTime(text);
            default -> text;
        };
    }

    /** Field values typed for {@code object}'s fields; an unknown field is left for the host to refuse by name. */
    static Map<String, Object> forFields(Map<String, dev.storefront.crm.api.FieldKind> kinds, Map<String, Object> values) {
        Map<String, Object> typed = new java.util.LinkedHashMap<>();
        values.forEach((field, value) -> typed.put(field, forField(kinds.get(field), value)));
        return typed;
    }

    /** Two values the same once enum labels and GraphQL names are alike ("At Risk" = "AT_RISK"). */
    static boolean same(Object a, Object b) {
        return normal(a).equals(normal(b));
    }

    private static String normal(Object value) {
        return value == null ? "" : String.valueOf(value).replaceAll("[\\s_-]+", "").toLowerCase(java.util.Locale.ROOT);
    }
}
