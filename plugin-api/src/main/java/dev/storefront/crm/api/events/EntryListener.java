package dev.storefront.crm.api.events;

import dev.storefront.crm.api.PluginContext;
import org.pf4j.ExtensionPoint;

/**
 * Hears entry changes made through the API or plugins, after they committed, on a host thread (not
 * the writing request). Bulk imports do not send one event per row: see {@link ImportListener}.
 */
public interface EntryListener extends ExtensionPoint {

    void onEntryEvent(EntryEvent event, PluginContext context) throws Exception;
}
