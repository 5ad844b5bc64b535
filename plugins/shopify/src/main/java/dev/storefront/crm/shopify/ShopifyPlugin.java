package dev.storefront.crm.shopify;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.pf4j.Plugin;

/**
 * Shopify for Storefront CRM: the webhook endpoint {@code POST /plugins/shopify/webhooks}
 * ({@link WebhookEndpoint}, journaled by group commit in {@link DeliveryJournal}, moved into DuckDB by
 * {@link JournalMover}), deliveries applied by
 * {@link Applier} (and the job {@code apply-webhooks}), the sync {@code graphql-sync} of customers,
 * products and orders of each store ({@link AdminSync}; a store's first run through bulk operations,
 * {@link BulkExport}), the hourly {@code reconcile} ({@link Reconciliation}) and the customers and
 * orders CSV importers. Entries are keyed by shop and Shopify GID ({@code shopify_key}), so several
 * stores never collide, and the same way on every path ({@link CsvShop}). Settings: see {@link Store}
 * and the README.
 */
public class ShopifyPlugin extends Plugin {

    @Override
    public void stop() {
        Applier.stop();
        try {
            DeliveryJournal.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the webhook journal", e);
        }
    }
}
