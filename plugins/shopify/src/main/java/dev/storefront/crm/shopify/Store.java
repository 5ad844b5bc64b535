package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Shopify store the plugin serves, from {@code crm.plugins.shopify.stores[N].*} (N = 0, 1, ...
 * while {@code stores[N].shop} is set), or for a single store from the same keys without the
 * {@code stores[N].} prefix. {@code api-version} and {@code webhook-secret} given without a prefix
 * apply to every store that does not set its own (one app installed on several stores shares its
 * client secret).
 *
 * @param prefix where its settings are read, for messages: {@code stores[1].} or empty
 */
record Store(String prefix, String shop, String accessToken, String url, String apiVersion, String webhookSecret) {

    static List<Store> all(PluginContext context) {
        List<Store> stores = new ArrayList<>();
        for (int n = 0; context.config("stores[" + n + "].shop").isPresent(); n++) {
            stores.add(read(context, "stores[" + n + "]."));
        }
        if (stores.isEmpty() && context.config("shop").isPresent()) {
            stores.add(read(context, ""));
        }
        return stores;
    }

    /** The Admin API token, which only the sync needs (a webhook-only store may leave it out). */
    String requireToken(PluginContext context) {
        if (accessToken == null) {
            throw new PluginException("config.missing", "Plugin shopify needs setting crm.plugins." + context.pluginId() + "."
                    + prefix + "access-token for store " + shop);
        }
        return accessToken;
    }

    private static Store read(PluginContext context, String prefix) {
        return new Store(prefix, context.requireConfig(prefix + "shop"), context.config(prefix + "access-token").orElse(null),
                context.config(prefix + "url").orElse("https://" + context.requireConfig(prefix + "shop")),
                context.config(prefix + "api-version").or(() -> context.config("api-version")).orElse("2025-10"),
                context.config(prefix + "webhook-secret").or(() -> context.config("webhook-secret")).orElse(null));
    }
}
