package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.events.EntryEvent;
import dev.storefront.crm.api.events.EntryListener;
import org.pf4j.Extension;

/**
 * Drops the cached answers that read an object when one of its entries changes, one by one or in bulk,
 * and has the default board computed again (see {@link Dashboard#changed}).
 */
@Extension
public class CacheInvalidation implements EntryListener {

    @Override
    public void onEntryEvent(EntryEvent event, PluginContext context) {
        changed(event.object(), context);
    }

    /** Only which object changed matters to the cache: not the entries as they were, nor each of a set-based write. */
    @Override
    public boolean readsBefore(String object, PluginContext context) {
        return false;
    }

    @Override
    public boolean hearsEachEntry(String object, PluginContext context) {
        return false;
    }

    @Override
    public void onBulkWrite(String object, PluginContext context) {
        changed(object, context);
    }

    private static void changed(String object, PluginContext context) {
        Dashboard dashboard = DashboardPlugin.dashboard();
        if (dashboard != null) {
            dashboard.changed(object, context);
        }
    }
}
