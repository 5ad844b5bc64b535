package dev.storefront.crm.imports;

import dev.storefront.crm.entries.ComputedFields;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.imports.csv.CsvImport;
import dev.storefront.crm.imports.csv.ImportEvents;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.ImportChunks;
import dev.storefront.crm.storage.RollupStore;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ImportsConfiguration {

    @Bean
    ImporterCatalog importerCatalog(SchemaService schema) {
        return new ImporterCatalog(schema);
    }

    @Bean
    ImportEvents importEvents() {
        return new ImportEvents();
    }

    /** The convert-check-write statements of import chunks, shared by CSV imports and syncs' pages. */
    @Bean
    ImportChunks importChunks(EntryStore store, ComputedFields computed) {
        return new ImportChunks(store, new RollupStore(), computed.timeZone());
    }

    @Bean
    ImportService importService(DuckDb db, SchemaService schema, ImportChunks chunks, EntryService entries,
                                Clock clock, JobRunner jobs, ImporterCatalog catalog, ImportEvents events,
                                @Value("${crm.imports.chunk-size:250000}") int chunkSize,
                                @Value("${crm.imports.mappings-dir:./mappings}") String mappingsDir) {
        CsvImport.Services services = new CsvImport.Services(db, schema, chunks, entries, jobs, events, clock);
        ImportService service = new ImportService(services, catalog, db.stagingDirectory(), chunkSize);
        service.mappingsDir(Path.of(mappingsDir));
        return service;
    }
}
