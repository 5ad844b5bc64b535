package dev.storefront.crm.api.jobs;

import org.pf4j.ExtensionPoint;

/**
 * Work run by the host's job runner: on demand ({@code runJob(plugin:, job:, args:)}) or on a cron
 * schedule: configuration's ({@code crm.plugins.<pluginId>.jobs.<name>.cron}) or else the job's
 * {@link #defaultCron()}, read in the store's time zone ({@code crm.timezone}).
 */
public interface PluginJob extends ExtensionPoint {

    String name();

    String description();

    /** Spring cron syntax (seconds first), in the store's time zone; null: runs only on demand unless configured. */
    default String defaultCron() {
        return null;
    }

    void run(JobContext job) throws Exception;
}
