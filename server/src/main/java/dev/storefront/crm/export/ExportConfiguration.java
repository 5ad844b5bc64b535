package dev.storefront.crm.export;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.EntryService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ExportConfiguration {

    @Bean
    CsvExport csvExport(EntryService entries, CrmProperties properties) {
        return new CsvExport(entries, properties.graphql().maxPageSize());
    }
}
