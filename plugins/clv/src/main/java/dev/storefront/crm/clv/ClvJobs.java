package dev.storefront.crm.clv;

import dev.storefront.crm.api.jobs.JobContext;
import dev.storefront.crm.api.jobs.PluginJob;
import org.pf4j.Extension;

/**
 * The two scheduled jobs. Their default schedules are in the server's {@code application.yaml}
 * ({@code crm.plugins.clv.jobs.<name>.cron}); both take an optional {@code asOf} argument.
 */
final class ClvJobs {

    private ClvJobs() {
    }

    /** Refits the models as of today (weekly by default) and rescores every customer. */
    @Extension
    public static class FitModel implements PluginJob {

        @Override
        public String name() {
            return "fit-model";
        }

        @Override
        public String description() {
            return "Refit the CLV models on the counted orders up to today and rescore every customer";
        }

        @Override
        public void run(JobContext job) {
            ClvService.Outcome outcome = new ClvService(job.plugin()).fit(ClvGraphQl.asOf(job.args().get("asOf"), job.plugin()));
            report(job, outcome);
        }
    }

    /** Rescores every customer as of today with the latest fit (daily by default): the scores move as time passes. */
    @Extension
    public static class ScoreCustomers implements PluginJob {

        @Override
        public String name() {
            return "score-customers";
        }

        @Override
        public String description() {
            return "Rescore every customer as of today with the latest CLV fit";
        }

        @Override
        public void run(JobContext job) {
            ClvService.Outcome outcome = new ClvService(job.plugin()).score(ClvGraphQl.asOf(job.args().get("asOf"), job.plugin()));
            report(job, outcome);
        }
    }

    private static void report(JobContext job, ClvService.Outcome outcome) {
        job.total(outcome.changedCustomers());
        job.processed(outcome.changedCustomers());
        ClvModel model = outcome.model();
        job.message(model.converged()
                ? "Scored with the fit as of " + model.asOf() + "; " + outcome.changedCustomers() + " customers changed"
                : model.message() + "; scores emptied (" + outcome.changedCustomers() + " customers changed)");
    }
}
