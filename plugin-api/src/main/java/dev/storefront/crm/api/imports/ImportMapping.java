package dev.storefront.crm.api.imports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the columns of a file become the fields of one object.
 *
 * <p>{@code columns} maps a target to a source expression. A target is a field's label or api name
 * ({@code Full Name}, {@code full_name}), or a relation followed by a unique field of the related
 * object ({@code customer.email}), which links by that value. A source is a column name (in double
 * quotes when it holds {@code | + , ( )}), a quoted literal {@code 'USD'}, {@code a + b} (the
 * non-empty values joined by a space), {@code a | b} (the first non-empty value), or a function:
 * {@code concat('WC-', number)} (joined with nothing between; empty when a part is empty),
 * {@code nullif(customer_id, '0')} (empty when equal), {@code map(status, 'wc-completed' = 'Fulfilled', ...)}
 * (translated ignoring case, other values unchanged), {@code unless(Email, Phone)} (the second value when the first is
 * empty), {@code money(total)} (drops currency signs and
 * thousands separators: {@code $1,234.50} and {@code 1.234,50 €} are 1234.50), {@code local(order_date)} (a date-time
 * without an offset is a time in the store's time zone, {@code crm.timezone}, or in the zone of
 * {@code local(order_date, 'Europe/Berlin')}), {@code day(createdAt)} (the day of a date-time with an offset in the
 * store's time zone; other text unchanged).
 *
 * <p>{@code keys} are the unique fields that identify an existing entry, tried in order: a row whose
 * first non-empty key matches an entry updates it, any other row creates one. So a re-import
 * updates and never duplicates.
 *
 * <p>{@code when}, a source like the others or null, limits the mapping to the rows where it is not
 * empty: in a file with one row per order line whose first row alone carries the order's fields, the
 * order's mapping reads only those first rows.
 */
public record ImportMapping(String object, List<String> keys, Map<String, String> columns, String when) {

    public ImportMapping {
        keys = keys == null ? List.of() : List.copyOf(keys);
        columns = columns == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** A mapping of every row. */
    public ImportMapping(String object, List<String> keys, Map<String, String> columns) {
        this(object, keys, columns, null);
    }
}
