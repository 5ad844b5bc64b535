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
 *
 * <p>{@code items}, a source or null, makes each row one row per item of that cell: a list written as
 * order exports write their line items, items joined by {@code ;}, each a run of {@code key:value} fields
 * joined by {@code |}, with a {@code \} before a {@code : | ;} that is part of a key or value
 * ({@code name:Cap|sku:woo-cap|quantity:1|total:20.00;name:Beanie|...}), or a JSON array of objects
 * ({@code [{"name":"Cap","sku":"woo-cap","quantity":1},...]}). Sources read an item's field with
 * {@code item('sku')} beside the row's columns, and {@code lowest('id', order_id)} is {@code order_id} on the item
 * whose {@code id} is the lowest number of its cell (an order's first refund), empty on the others; {@code when} is
 * tried per item. A refused item is reported by the record holding it.
 *
 * <p>{@code createOnly}: a row whose keys find an entry leaves it as it is; only rows of new entries are
 * written. For a value a file gives when nothing better is known, which must not overwrite what another
 * path wrote (an order export's refunded total, where the sync wrote the refunds one by one).
 *
 * <p>{@code keepStored}: a row whose value for a field is empty leaves the field of the entry it updates as stored,
 * instead of emptying it. For values a file gives only sometimes (a guest order's phone), where an empty one says
 * nothing.
 *
 * <p>A target may name a relation through a unique field of its target followed by {@code ?}
 * ({@code product.sku?}): the row links to the entry holding the value, or to none when no entry holds it
 * (instead of being refused). A relation named so through several fields ({@code product.woocommerce_id?},
 * {@code product.sku?}) links to the entry the first of them finds.
 */
public record ImportMapping(String object, List<String> keys, Map<String, String> columns, String when, String items,
                            boolean createOnly, boolean keepStored) {

    public ImportMapping {
        keys = keys == null ? List.of() : List.copyOf(keys);
        columns = columns == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** A mapping whose empty values empty the fields they map. */
    public ImportMapping(String object, List<String> keys, Map<String, String> columns, String when, String items, boolean createOnly) {
        this(object, keys, columns, when, items, createOnly, false);
    }

    /** A mapping of every row. */
    public ImportMapping(String object, List<String> keys, Map<String, String> columns) {
        this(object, keys, columns, null, null, false);
    }

    /** A mapping of the rows where {@code when} is not empty, one entry per row. */
    public ImportMapping(String object, List<String> keys, Map<String, String> columns, String when) {
        this(object, keys, columns, when, null, false);
    }
}
