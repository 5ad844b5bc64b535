package dev.storefront.crm.api.jobs;

import org.pf4j.ExtensionPoint;

/**
 * Work run by the host's job runner: on demand ({@code runJob(plugin:, job:, args:)}) or on a cron
 * schedule from configuration ({@code crm.plugins.<pluginId>.jobs.<name>.cron}).
 */
public interface PluginJob extends ExtensionPoint {

    String name();

    String description();

    void run(JobContext job) throws Exception;
}
