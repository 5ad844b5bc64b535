package dev.storefront.crm.shopify;

import org.pf4j.Plugin;

/**
 * Shopify for Storefront CRM, first part: the webhook endpoint {@code POST /plugins/shopify/webhooks}
 * ({@link WebhookEndpoint}) and the job {@code apply-webhooks} for deliveries stored but not yet
 * applied. Entries are keyed by shop and Shopify GID ({@code shopify_key}), so several stores never
 * collide. Settings ({@code crm.plugins.shopify.*}): {@code webhook-secret} (the app's client secret).
 */
public class ShopifyPlugin extends Plugin {
}
