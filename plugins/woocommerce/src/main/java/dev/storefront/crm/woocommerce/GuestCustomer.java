package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.api.sync.SyncRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The customer of a guest checkout (customer_id 0): known by its billing email only, created or updated
 * by that email from the order's billing details, one rule for the REST sync ({@code billing.<key>}) and
 * the order CSV ({@code billing_<key>}).
 */
final class GuestCustomer {

    /** The CRM field each billing key fills; the full name joins first and last name. */
    private static final Map<String, String> FIELDS = fields();

    private GuestCustomer() {
    }

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", "email");
        fields.put("first_name", "first_name");
        fields.put("last_name", "last_name");
        fields.put("phone", "phone");
        fields.put("billing_company", "company");
        fields.put("billing_city", "city");
        fields.put("billing_country", "country");
        return fields;
    }

    /** The REST order's {@code billing} object as the guest's record. */
    static SyncRecord record(Map<String, Object> billing) {
        Map<String, Object> values = new LinkedHashMap<>();
        FIELDS.forEach((field, key) -> values.put(field, WooRecords.text(billing.get(key))));
        values.put("full_name", WooRecords.join(WooRecords.text(billing.get("first_name")), WooRecords.text(billing.get("last_name"))));
        return new SyncRecord("customers", List.of("email"), values);
    }

    /**
     * The order CSV's {@code billing_*} columns as the guest's import mapping, for the rows where {@code when}
     * is not empty. An export made without one of them leaves that field as stored; without any, the mapping
     * is left out.
     */
    static ImportMapping mapping(String when) {
        Map<String, String> columns = new LinkedHashMap<>();
        FIELDS.forEach((field, key) -> columns.put(field, "billing_" + key + " | ''"));
        columns.put("full_name", "billing_first_name + billing_last_name | ''");
        return new ImportMapping("customers", List.of("email"), columns, when);
    }
}
