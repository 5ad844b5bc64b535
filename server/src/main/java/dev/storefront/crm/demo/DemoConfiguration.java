package dev.storefront.crm.demo;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SchemaStore;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The demo store exists only when asked for, so a production start cannot fill a database by accident. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "crm.demo", havingValue = "true")
class DemoConfiguration {

    @Bean
    DemoStore demoStore(CrmProperties properties, DuckDb db, EntryService entries, SchemaService schema, SchemaStore tables,
                        Clock clock) {
        return new DemoStore(db, entries, schema, tables, clock, properties.demoStore());
    }
}
