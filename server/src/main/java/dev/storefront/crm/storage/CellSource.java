package dev.storefront.crm.storage;

import java.util.List;
import java.util.Map;

/**
 * Where a field's text comes from in one staged row, as a tree of value types: a file column, a
 * literal, or a combination. Every node yields trimmed text, or nothing when it is empty.
 */
public sealed interface CellSource {

    /** The cell of file column {@code index} (0 = first column of the header). */
    record Column(int index) implements CellSource {
    }

    record Literal(String text) implements CellSource {
    }

    /** The non-empty parts joined by one space ({@code a + b}); nothing when all are empty. */
    record Joined(List<CellSource> parts) implements CellSource {
    }

    /** The first non-empty part ({@code a | b}). */
    record FirstOf(List<CellSource> parts) implements CellSource {
    }

    /** The parts joined with nothing between; nothing when any part is empty ({@code concat('WC-', number)}). */
    record Concat(List<CellSource> parts) implements CellSource {
    }

    /**
     * Field {@code key} of the item a row stands for, in a plan whose rows are the items of a list cell
     * ({@link ChunkPlan#items()}): {@code item('sku')} of {@code name:Cap|sku:woo-cap}.
     */
    record ItemField(String key) implements CellSource {
    }

    /**
     * {@code source} on the item whose field {@code key} is the lowest number among the items of its row's cell,
     * empty on the others ({@code lowest('id', order_id)}: the order's id on its first refund only).
     */
    record OnLowestItem(String key, CellSource source) implements CellSource {
    }

    /** The first number divided by the second ({@code per(total, quantity)}); other text of the first unchanged. */
    record Quotient(CellSource dividend, CellSource divisor) implements CellSource {
    }

    /** Nothing when the text equals {@code value} ({@code nullif(customer_id, '0')}). */
    record NullIf(CellSource source, String value) implements CellSource {
    }

    /** The text without the leading {@code characters} (Shopify's ids and phones: {@code '7412883013651}). */
    record TrimStart(CellSource source, String characters) implements CellSource {
    }

    /** A value found in {@code values} (keys compared ignoring case) becomes its translation; others pass unchanged. */
    record Translate(CellSource source, Map<String, String> values) implements CellSource {
    }

    /** {@code text} when the source is not empty, else nothing ({@code if(cancelledAt, 'Cancelled')}). */
    record IfPresent(CellSource source, String text) implements CellSource {
    }

    /**
     * {@code source} when {@code present} is empty, else nothing ({@code unless(Email, Phone)}: a key of the
     * rows that have no email, which those with one leave empty).
     */
    record Unless(CellSource present, CellSource source) implements CellSource {
    }

    /** A value found in {@code values} (keys compared ignoring case) becomes its translation; others become nothing. */
    record Pick(CellSource source, Map<String, String> values) implements CellSource {
    }

    /**
     * A date-time written without an offset ({@code 2025-03-12 18:40:02}) as a time in {@code zone}
     * (an IANA region such as {@code Europe/Berlin}; null for the store's time zone, {@code crm.timezone}),
     * given on in UTC; a text with an offset or {@code Z} keeps its own, and any other text passes
     * unchanged (the date-time check refuses it).
     */
    record LocalTime(CellSource source, String zone) implements CellSource {
    }

    /**
     * A money amount written for people: currency signs and letters, spaces and thousands separators
     * go; the decimal separator is the last {@code .} or {@code ,} when one or two digits follow it;
     * a {@code -} or parentheses make it negative. {@code $1,234.50} and {@code 1.234,50 €} are 1234.50.
     */
    record Money(CellSource source) implements CellSource {
    }

    /**
     * The day, in the store's time zone ({@code crm.timezone}), of a date-time with an offset: a refund at
     * {@code 2026-03-01T03:00:00Z} is of 2026-02-28 in Los Angeles. A date alone, or a date-time without
     * an offset, passes unchanged ({@code day(createdAt)}).
     */
    record StoreDay(CellSource source) implements CellSource {
    }
}
