package dev.storefront.crm.plugins;

import dev.storefront.crm.api.jobs.PluginJob;
import dev.storefront.crm.api.sync.SyncSource;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.imports.sync.SyncRunner;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.jobs.JobRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The jobs started plugins offer (their {@link PluginJob}s and {@link SyncSource}s) and running them. */
public final class PluginJobs {

    /**
     * @param kind        JOB or SYNC
     * @param defaultCron the job's own schedule when configuration gives none; null for none
     */
    public record Available(String plugin, String name, String description, String kind, String defaultCron) {
    }

    private final PluginHost host;
    private final JobRunner runner;
    private final SyncRunner sync;

    public PluginJobs(PluginHost host, JobRunner runner, SyncRunner sync) {
        this.host = host;
        this.runner = runner;
        this.sync = sync;
    }

    public List<Available> available() {
        List<Available> all = new ArrayList<>();
        for (StartedPlugin plugin : host.started()) {
            plugin.extensions().jobs().forEach(j -> all.add(new Available(plugin.id(), safe(plugin, j::name), safe(plugin, j::description), "JOB",
                    safe(plugin, j::defaultCron))));
            plugin.extensions().syncSources().forEach(s -> all.add(new Available(plugin.id(), safe(plugin, s::name), safe(plugin, s::description), "SYNC",
                    safe(plugin, s::defaultCron))));
        }
        return all;
    }

    public Job run(String pluginId, String name, Map<String, Object> args) {
        StartedPlugin plugin = host.started().stream().filter(p -> p.id().equals(pluginId)).findFirst()
                .orElseThrow(() -> new NotFoundException("No started plugin with id '" + pluginId + "'", Map.of("plugin", pluginId)));
        for (PluginJob job : plugin.extensions().jobs()) {
            if (name.equals(safe(plugin, job::name))) {
                return runner.submit(pluginId, name, args, plugin.context(), running -> plugin.call(() -> {
                    job.run(running);
                    return null;
                }));
            }
        }
        for (SyncSource<?> source : plugin.extensions().syncSources()) {
            if (name.equals(safe(plugin, source::name))) {
                return runner.submit(pluginId, name, args, plugin.context(),
                        running -> sync.run(running, pluginId + ":" + name, source, plugin.context(), plugin::call));
            }
        }
        throw new NotFoundException("Plugin " + pluginId + " has no job named '" + name + "'", Map.of("plugin", pluginId, "job", name));
    }

    private static String safe(StartedPlugin plugin, Callable<String> call) {
        try {
            return plugin.call(call);
        } catch (Exception e) {
            return "(" + PluginHost.describe(e) + ")";
        }
    }
}
