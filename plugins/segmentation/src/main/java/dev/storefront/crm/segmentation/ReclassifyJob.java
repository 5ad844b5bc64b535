package dev.storefront.crm.segmentation;

import dev.storefront.crm.api.jobs.JobContext;
import dev.storefront.crm.api.jobs.PluginJob;
import org.pf4j.Extension;

/** Reclassifies every customer by the configured rule set and scores RFM, committed together; on a cron schedule or on demand. */
@Extension
public class ReclassifyJob implements PluginJob {

    @Override
    public String name() {
        return "reclassify";
    }

    @Override
    public String description() {
        return "Reclassify every customer by the configured rule set and score RFM, as of today (args: ruleSet, asOf)";
    }

    /** Daily at 07:00 in the store's time zone, unless {@code jobs.reclassify.cron} says otherwise. */
    @Override
    public String defaultCron() {
        return "0 0 7 * * *";
    }

    @Override
    public void run(JobContext job) {
        var context = job.plugin();
        var asOf = SegmentationGraphQl.asOf(context, job.args().get("asOf"));
        var rules = RuleSet.shipped(SegmentationGraphQl.ruleSet(context, (String) job.args().get("ruleSet")));
        // One transaction: no reader sees customers reclassified but scored by yesterday's RFM.
        var run = context.crm().inTransaction(crm -> {
            var moves = Segmentation.reclassify(crm, rules, asOf);
            Segmentation.scoreRfm(crm, RfmGroups.shipped(), asOf);
            return moves;
        });
        job.message(run.get("moved") + " customers moved, " + run.get("unmatched") + " matched no segment");
    }
}
