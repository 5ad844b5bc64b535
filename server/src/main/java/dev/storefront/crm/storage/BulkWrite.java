package dev.storefront.crm.storage;

import java.util.Map;
import java.util.Set;

/**
 * What a bulk write (an import chunk) touched, for the computed fields that read it: the entries
 * written, and per relation field (api name) the entries linked before or after the write, so a
 * moved order recomputes its old customer and its new one.
 */
public record BulkWrite(Set<Long> ids, Map<String, Set<Long>> links) {

    public BulkWrite {
        ids = Set.copyOf(ids);
        links = Map.copyOf(links);
    }
}
