package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;

/** Numeric settings of the plugin ({@code crm.plugins.woocommerce.<key>}), refused by name when not a whole number. */
final class WooSettings {

    private WooSettings() {
    }

    static int integer(PluginContext context, String key, int fallback) {
        String text = context.config(key).orElse(null);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new PluginException("config.invalid", "Setting crm.plugins." + context.pluginId() + "." + key
                + " must be a whole number of 0 or more, not '" + text + "'");
    }
}
