package dev.storefront.crm.api.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry to create or update. {@code keys} are unique fields tried in order to find the entry
 * (e.g. {@code woocommerce_id}, then {@code email}); {@code values} maps field api names to values,
 * where a relation may be given as an {@link EntryRef} resolved by the host within the page's
 * transaction (so an order can point at a customer written earlier in the same page).
 */
public record SyncRecord(String object, List<String> keys, Map<String, Object> values) {

    public SyncRecord {
        keys = List.copyOf(keys);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
