package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.sync.SyncPage;
import dev.storefront.crm.api.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.pf4j.Extension;

/**
 * The reconciliation of webhooks, job {@code reconcile}: every hour (on the hour, store time, unless
 * {@code crm.plugins.shopify.jobs.reconcile.cron} says otherwise) it re-reads from each store what
 * changed since its previous run began (less {@code sync-overlap-seconds}), as {@link AdminSync}
 * does but with a cursor of its own, so whatever a delivery that never arrived would have changed
 * is written. Its first run reads back {@code reconcile-window-hours} (24), and never a whole store:
 * that is {@code graphql-sync}'s first run.
 */
@Extension
public class Reconciliation extends AdminSync {

    @Override
    public String name() {
        return "reconcile";
    }

    @Override
    public String description() {
        return "Heals missed Shopify webhook deliveries: re-reads the customers, products and orders each store changed since the last run";
    }

    @Override
    public String defaultCron() {
        return "0 0 * * * *";
    }

    /** With no store configured (webhooks only, or none) there is nothing to re-read: the hourly run ends at once. */
    @Override
    public SyncPage<Cursor> poll(Cursor cursor, SyncRun run, PluginContext context) throws Exception {
        if (Store.all(context).isEmpty()) {
            return new SyncPage<>(List.of(), cursor != null ? cursor : new Cursor(0, "customers", null, null, List.of()), true, 0);
        }
        return super.poll(cursor, run, context);
    }

    @Override
    String firstSince(PluginContext context) {
        Duration window = Duration.ofHours(Long.parseLong(context.config("reconcile-window-hours").orElse("24")));
        return Instant.now().minus(window).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
