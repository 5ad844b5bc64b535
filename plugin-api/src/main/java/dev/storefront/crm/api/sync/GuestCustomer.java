package dev.storefront.crm.api.sync;

import dev.storefront.crm.api.imports.ImportMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The customer of a guest checkout (an order that names no customer account): found by the order's
 * email, created from the order's billing name and phone when no customer has that email, else
 * updated from them, so the order counts in that customer's metrics. One rule for every store plugin
 * and every path: a record for a webhook or a sync ({@link #record}), a mapping for a CSV or bulk file
 * ({@link #mapping}). An order without an email links no customer.
 */
public record GuestCustomer(String email, String firstName, String lastName, String phone) {

    /** The customer field a guest is found by. */
    public static final String KEY = "email";

    /**
     * The guest's record: its email, names (the full name joins first and last) and phone, then {@code more} fields of the
     * plugin. A value the order does not give (null) is left out, so it leaves the one stored: a guest order without a phone
     * keeps the phone the customer has; a value given updates it.
     */
    public SyncRecord record(Map<String, Object> more) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("email", email);
        values.put("first_name", firstName);
        values.put("last_name", lastName);
        values.put("full_name", firstName == null ? lastName : lastName == null ? firstName : firstName + " " + lastName);
        values.put("phone", phone);
        values.putAll(more);
        values.values().removeIf(java.util.Objects::isNull);
        return new SyncRecord("customers", List.of(KEY), values);
    }

    /** What the guest's order points at. */
    public EntryRef ref() {
        return new EntryRef("customers", KEY, email);
    }

    /**
     * The same rule over a file: each argument a source of {@link ImportMapping} (a column, or a path of a
     * JSON line), {@code more} the plugin's further fields; for the rows where {@code when} is not empty. A
     * file without one of the sources, or a row where it is empty, leaves that field as stored.
     */
    public static ImportMapping mapping(String email, String firstName, String lastName, String phone, Map<String, String> more,
                                        String when) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("email", email + " | ''");
        columns.put("first_name", firstName + " | ''");
        columns.put("last_name", lastName + " | ''");
        columns.put("full_name", firstName + " + " + lastName + " | ''");
        columns.put("phone", phone + " | ''");
        columns.putAll(more);
        return new ImportMapping("customers", List.of(KEY), columns, when, null, false, true);
    }
}
