package dev.storefront.crm.export;

import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.storage.DuckDb;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ExportConfiguration {

    @Bean
    CsvExport csvExport(EntryService entries, DuckDb db) {
        return new CsvExport(entries, db.stagingDirectory());
    }
}
