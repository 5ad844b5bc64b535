package dev.storefront.crm.shopify;

import org.pf4j.Plugin;

/**
 * Shopify for Storefront CRM, first parts: the webhook endpoint {@code POST /plugins/shopify/webhooks}
 * ({@link WebhookEndpoint}), the job {@code apply-webhooks} for deliveries stored but not yet
 * applied, and the incremental customer sync {@code graphql-sync} ({@link CustomerSync}). Entries
 * are keyed by shop and Shopify GID ({@code shopify_key}), so several stores never collide.
 * Settings ({@code crm.plugins.shopify.*}): {@code webhook-secret} (the app's client secret),
 * {@code shop} (domain), {@code access-token}, optional {@code api-version} (2025-10), {@code url}
 * (default https://&lt;shop&gt;), {@code page-size} (50), {@code sync-overlap-seconds} (300),
 * {@code retries} (5), {@code retry-backoff-ms} (1000).
 */
public class ShopifyPlugin extends Plugin {
}
