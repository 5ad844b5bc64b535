package dev.storefront.crm.plugins;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.api.imports.CsvImporter;
import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.graphql.CrmGraphQlSource;
import dev.storefront.crm.graphql.types.SchemaGenerator;
import dev.storefront.crm.imports.ImporterCatalog;
import dev.storefront.crm.imports.ImporterDef;
import dev.storefront.crm.imports.ImportService;
import dev.storefront.crm.imports.csv.ImportEvents;
import dev.storefront.crm.imports.csv.JsonLinesWriter;
import dev.storefront.crm.imports.sync.SyncPageWriter;
import dev.storefront.crm.imports.sync.SyncRunner;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.schema.SchemaYamlLoader;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.ImportChunks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the plugin host to the schema, GraphQL, imports and jobs. Plugins are started by {@code CrmStartup}. */
@Configuration(proxyBeanMethods = false)
class PluginsConfiguration {

    @Bean(destroyMethod = "close")
    PluginHost pluginHost(@Value("${crm.plugins-dir:./plugins-dist}") String directory, SchemaYamlLoader yaml,
                          Environment environment, CrmProperties properties, DuckDb db, EntryService entries,
                          SchemaService schema, JobRunner jobs, SyncPageWriter pages, Clock clock) {
        DefaultCrmContext crm = new DefaultCrmContext(db, entries, schema, jobs, pages, clock);
        return new PluginHost(Path.of(directory), yaml,
                id -> new DefaultPluginContext(id, environment, crm, properties.timeZone(), pluginData(properties).resolve(id)));
    }

    /** Where plugins keep their files: beside the database, named after it, as DuckDB names its WAL and spill folder. */
    private static Path pluginData(CrmProperties properties) {
        Path database = properties.databaseFile().toAbsolutePath();
        return database.resolveSibling(database.getFileName() + ".plugins");
    }

    @Bean(destroyMethod = "close")
    PluginEvents pluginEvents(PluginHost host, EntryService entries, ImportEvents imports) {
        PluginEvents events = new PluginEvents(host);
        entries.addListener(events);
        imports.addListener(events::importFinished);
        return events;
    }

    /** One writer of record pages, for syncs and for plugins' own {@code CrmContext.write}. */
    @Bean
    SyncPageWriter syncPageWriter(DuckDb db, EntryService entries, EntryStore store, ImportChunks chunks) {
        return new SyncPageWriter(chunks, entries, store, db.stagingDirectory());
    }

    @Bean
    SyncRunner syncRunner(DuckDb db, SchemaService schema, EntryService entries, EntryStore store, SyncPageWriter pages, ImportChunks chunks,
                          JobRunner jobs, Clock clock) {
        return new SyncRunner(db, schema, entries, store, pages, new JsonLinesWriter(chunks, entries, db.stagingDirectory()), jobs, clock);
    }

    /** Plugin endpoints on a servlet of their own, which Tomcat picks for {@code /plugins/*} ahead of Spring MVC's. */
    @Bean
    ServletRegistrationBean<PluginEndpointServlet> pluginEndpoints(PluginHost host) {
        return new ServletRegistrationBean<>(new PluginEndpointServlet(host), "/plugins/*");
    }

    @Bean
    PluginLists pluginLists(PluginHost host) {
        return new PluginLists(host);
    }

    @Bean
    PluginJobs pluginJobs(PluginHost host, JobRunner jobs, SyncRunner sync) {
        return new PluginJobs(host, jobs, sync);
    }

    @Bean(destroyMethod = "close")
    PluginScheduler pluginScheduler(PluginHost host, PluginJobs jobs) {
        PluginScheduler scheduler = new PluginScheduler(host, jobs);
        host.addListener(scheduler::reschedule);
        return scheduler;
    }

    @Bean
    PluginGraphQl pluginGraphQl(PluginHost host, PluginJobs pluginJobs, PluginScheduler scheduler, JobRunner jobs,
                                ImporterCatalog importers, ImportService imports, SchemaGenerator generator, CrmGraphQlSource source) {
        PluginGraphQl graphQl = new PluginGraphQl(host, new HostApi(host, pluginJobs, scheduler, jobs, importers, imports));
        generator.addContributor(graphQl);
        generator.addClaimant(graphQl::claims);
        source.addRefusalListener(host::reportProblem);
        host.addListener(source::refresh);
        importers.addSource(() -> pluginImporters(host));
        source.refresh();
        return graphQl;
    }

    private static List<ImporterDef> pluginImporters(PluginHost host) {
        List<ImporterDef> all = new ArrayList<>();
        for (StartedPlugin plugin : host.started()) {
            for (CsvImporter extension : plugin.extensions().importers()) {
                try {
                    CsvImporter importer = plugin.call(() -> extension.configured(plugin.context()));
                    String name = plugin.call(importer::name);
                    ImportMapping mapping = plugin.call(importer::defaultMapping);
                    all.add(new ImporterDef(plugin.id() + ":" + name, plugin.id(), plugin.call(importer::description),
                            mapping.object(), mapping, plugin.call(importer::moreMappings)));
                } catch (Exception e) {
                    host.reportProblem(plugin.id(), "Importer refused: " + PluginHost.describe(e));
                }
            }
        }
        return all;
    }
}
