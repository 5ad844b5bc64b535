package dev.storefront.crm.shopify;

import dev.storefront.crm.api.jobs.JobContext;
import dev.storefront.crm.api.jobs.PluginJob;
import org.pf4j.Extension;

/**
 * Applies stored deliveries that are still Received (stored before a restart, a refund before its
 * order), on the applier's thread so it never races the deliveries arriving meanwhile.
 */
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
    public void run(JobContext job) throws Exception {
        int applied = Applier.applyNow(job.plugin());
        job.processed(applied);
        job.message("Applied " + applied + " stored deliveries");
    }
}
