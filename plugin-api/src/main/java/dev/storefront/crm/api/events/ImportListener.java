package dev.storefront.crm.api.events;

import dev.storefront.crm.api.PluginContext;
import org.pf4j.ExtensionPoint;

/**
 * Hears each finished CSV import once, after its last chunk committed, on a host thread. Bulk imports
 * send no {@link EntryEvent} per row: a plugin that keeps derived values (customer totals) recomputes
 * them here, for the whole object at once.
 */
public interface ImportListener extends ExtensionPoint {

    void onImportFinished(ImportFinished event, PluginContext context) throws Exception;
}
