package dev.storefront.crm.api.sync;

import java.util.Collection;
import java.util.List;

/**
 * Entries the source no longer holds, named by the values of a unique field {@code key} (e.g.
 * {@code woocommerce_id}). With {@code allBut} false the entries holding one of {@code values} are
 * deleted; with {@code allBut} true, given after the source listed every key it holds, the entries
 * holding a key value that is not among {@code values} are deleted. Entries without a key value
 * (made in the CRM, or known to the source by another key) are never deleted.
 */
public record SyncDeletion(String object, String key, List<Object> values, boolean allBut) {

    public SyncDeletion {
        values = List.copyOf(values);
    }

    public static SyncDeletion of(String object, String key, Collection<?> values) {
        return new SyncDeletion(object, key, List.copyOf(values), false);
    }

    public static SyncDeletion allBut(String object, String key, Collection<?> values) {
        return new SyncDeletion(object, key, List.copyOf(values), true);
    }
}
