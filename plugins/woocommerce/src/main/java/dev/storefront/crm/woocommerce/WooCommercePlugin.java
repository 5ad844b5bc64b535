package dev.storefront.crm.woocommerce;

import org.pf4j.Plugin;

/**
 * WooCommerce for Storefront CRM: CSV imports of product, customer and order exports, a REST API (v3) sync
 * of customers and orders with line items, and the {@code wooCommerceSyncStatus} /
 * {@code wooCommerceCheckConnection} GraphQL fields. Settings ({@code crm.plugins.woocommerce.*}):
 * {@code url}, {@code consumer-key}, {@code consumer-secret}, optional {@code page-size} (default 50),
 * {@code sync-overlap-seconds} (300), {@code retries} (5), {@code retry-backoff-ms} (1000),
 * {@code retry-backoff-max-ms} (30000), {@code webhook-secret}.
 */
public class WooCommercePlugin extends Plugin {
}
