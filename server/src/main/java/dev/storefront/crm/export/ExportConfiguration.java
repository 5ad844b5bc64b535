package dev.storefront.crm.export;

import dev.storefront.crm.entries.EntryService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ExportConfiguration {

    @Bean
    CsvExport csvExport(EntryService entries) {
        return new CsvExport(entries);
    }
}
