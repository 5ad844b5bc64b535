package dev.storefront.crm.shopify;

import org.pf4j.Plugin;

/**
 * Shopify for Storefront CRM: the webhook endpoint {@code POST /plugins/shopify/webhooks}
 * ({@link WebhookEndpoint}), deliveries applied by {@link Applier} (and the job {@code apply-webhooks}),
 * the sync {@code graphql-sync} of customers, products and orders of each store ({@link AdminSync}) and
 * the customers CSV importer. Entries are keyed by shop and Shopify GID ({@code shopify_key}), so
 * several stores never collide. Settings: see {@link Store}, plus {@code page-size} (50),
 * {@code sync-overlap-seconds} (300), {@code retries} (5), {@code retry-backoff-ms} (1000).
 */
public class ShopifyPlugin extends Plugin {

    @Override
    public void stop() {
        Applier.stop();
    }
}
