package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.PluginContext;
import java.time.ZoneId;

/**
 * The store's time zone ({@code crm.timezone}, as the host gives it) for the dates of WooCommerce's CSV
 * exports: they are the store's local times, written without an offset (the REST API's {@code *_gmt}
 * fields, which the sync reads, are UTC).
 */
record StoreTime(ZoneId zone) {

    static final StoreTime UTC = new StoreTime(ZoneId.of("UTC"));

    static StoreTime of(PluginContext context) {
        return new StoreTime(context.timeZone());
    }

    /** An import mapping source: {@code column} read as a time in the store's zone, unless it has an offset of its own. */
    String local(String column) {
        return "local(" + column + ", '" + zone.getId() + "')";
    }
}
