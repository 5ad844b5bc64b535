package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.events.EntryEvent;
import dev.storefront.crm.api.events.EntryListener;
import org.pf4j.Extension;

/** Drops the cached answers that read an object when one of its entries changes. */
@Extension
public class CacheInvalidation implements EntryListener {

    @Override
    public void onEntryEvent(EntryEvent event, PluginContext context) {
        Dashboard dashboard = DashboardPlugin.dashboard();
        if (dashboard != null) {
            dashboard.cache().changed(event.object());
        }
    }
}
