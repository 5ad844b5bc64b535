package dev.storefront.crm.api.events;

import dev.storefront.crm.api.PluginContext;
import org.pf4j.ExtensionPoint;

/**
 * Hears entry changes made through the API or plugins, after they committed, on a host thread (not
 * the writing request). Bulk imports do not send one event per row: {@link #onBulkWrite} once per
 * committed chunk, and {@link ImportListener} once per finished import.
 */
public interface EntryListener extends ExtensionPoint {

    void onEntryEvent(EntryEvent event, PluginContext context) throws Exception;

    /** Many entries of {@code object} were created or changed at once (a chunk of a bulk import), after commit. */
    default void onBulkWrite(String object, PluginContext context) throws Exception {
    }
}
