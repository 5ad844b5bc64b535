package dev.storefront.crm.plugins;

import dev.storefront.crm.api.events.EntryListener;
import dev.storefront.crm.api.events.ImportListener;
import dev.storefront.crm.api.graphql.FilteredList;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.http.HttpEndpoint;
import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.jobs.BackgroundTask;
import dev.storefront.crm.api.jobs.PluginJob;
import dev.storefront.crm.api.plugin.SchemaContribution;
import dev.storefront.crm.api.sync.SyncSource;
import java.util.List;
import org.pf4j.PluginManager;

/** The extensions of one started plugin, created once at its start and dropped at its stop. */
public record PluginExtensions(List<SchemaContribution> schema, List<GraphQlContribution> graphql,
                               List<CsvImporter> importers, List<PluginJob> jobs, List<SyncSource<?>> syncSources,
                               List<EntryListener> listeners, List<ImportListener> importListeners,
                               List<HttpEndpoint> endpoints, List<FilteredList> lists, List<BackgroundTask> tasks) {

    @SuppressWarnings({"unchecked", "rawtypes"})
    static PluginExtensions of(PluginManager manager, String pluginId) {
        List<SyncSource<?>> sources = (List) manager.getExtensions(SyncSource.class, pluginId);
        return new PluginExtensions(
                manager.getExtensions(SchemaContribution.class, pluginId),
                manager.getExtensions(GraphQlContribution.class, pluginId),
                manager.getExtensions(CsvImporter.class, pluginId),
                manager.getExtensions(PluginJob.class, pluginId),
                List.copyOf(sources),
                manager.getExtensions(EntryListener.class, pluginId),
                manager.getExtensions(ImportListener.class, pluginId),
                manager.getExtensions(HttpEndpoint.class, pluginId),
                manager.getExtensions(FilteredList.class, pluginId),
                manager.getExtensions(BackgroundTask.class, pluginId));
    }

    public boolean isEmpty() {
        return schema.isEmpty() && graphql.isEmpty() && importers.isEmpty() && jobs.isEmpty() && syncSources.isEmpty()
                && listeners.isEmpty() && importListeners.isEmpty() && endpoints.isEmpty() && lists.isEmpty() && tasks.isEmpty();
    }
}
