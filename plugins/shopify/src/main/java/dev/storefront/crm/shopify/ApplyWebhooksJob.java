package dev.storefront.crm.shopify;

import dev.storefront.crm.api.jobs.JobContext;
import dev.storefront.crm.api.jobs.PluginJob;
import org.pf4j.Extension;

/** Applies stored deliveries that are still Received (a crash between store and apply, a refund before its order). */
@Extension
public class ApplyWebhooksJob implements PluginJob {

    @Override
    public String name() {
        return "apply-webhooks";
    }

    @Override
    public String description() {
        return "Applies the Shopify webhook deliveries stored but not applied yet";
    }

    @Override
    public void run(JobContext job) {
        int applied = Deliveries.applyPending(job.plugin());
        job.processed(applied);
        job.message("Applied " + applied + " stored deliveries");
    }
}
