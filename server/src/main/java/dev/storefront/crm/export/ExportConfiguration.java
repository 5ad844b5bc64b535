package dev.storefront.crm.export;

import dev.storefront.crm.entries.EntryService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ExportConfiguration {

    /**
     * Rows per keyset page of an export. Each page is one statement that DuckDB answers by scanning
     * from the cursor, so small pages make a large export cost pages x table; 10,000 rows of a wide
     * object stay a few MB of heap.
     */
    @Bean
    CsvExport csvExport(EntryService entries, @Value("${crm.export.page-size:10000}") int pageSize) {
        return new CsvExport(entries, pageSize);
    }
}
