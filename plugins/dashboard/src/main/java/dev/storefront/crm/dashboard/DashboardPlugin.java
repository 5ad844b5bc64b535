package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.PluginContext;
import org.pf4j.Plugin;

/**
 * The store's KPIs as GraphQL widgets and a board of them in YAML. Settings
 * ({@code crm.plugins.dashboard.*}): {@code board} (a YAML file; the bundled board otherwise),
 * {@code cache-size} (answers kept, default 1000), {@code threads} (widgets computed at once, default 4),
 * {@code shop-field} (the field that records a shop, default {@code shopify_shop}), {@code refresh-seconds}
 * (the default board is computed at start and this long after changes, default 30; 0: never in the background).
 */
public class DashboardPlugin extends Plugin {

    /**
     * The state of the started plugin. PF4J makes extensions anew on each lookup, so the GraphQL
     * fields and the event listener meet here; it lives from the first schema build after start to stop.
     */
    private static volatile Dashboard dashboard;

    static synchronized Dashboard dashboard(PluginContext context) {
        if (dashboard == null) {
            dashboard = new Dashboard(Integer.parseInt(context.config("cache-size").orElse("1000")),
                    Integer.parseInt(context.config("threads").orElse("4")),
                    Integer.parseInt(context.config("refresh-seconds").orElse("30")));
        }
        return dashboard;
    }

    /** The started plugin's state, or null before its first schema build. */
    static Dashboard dashboard() {
        return dashboard;
    }

    @Override
    public void stop() {
        synchronized (DashboardPlugin.class) {
            if (dashboard != null) {
                dashboard.close();
                dashboard = null;
            }
        }
    }
}
