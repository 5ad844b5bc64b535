package dev.storefront.crm.demo;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SchemaStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The demo store, made only when {@code crm.demo=true} asks for it (CrmStartup), so a production start cannot fill a
 * database by accident. Decided at run time, not by a condition: Spring AOT fixes conditions at build time.
 */
@Configuration(proxyBeanMethods = false)
class DemoConfiguration {

    @Bean
    @Lazy
    DemoStore demoStore(CrmProperties properties, DuckDb db, EntryService entries, SchemaService schema, SchemaStore tables,
                        Clock clock) {
        return new DemoStore(db, entries, schema, tables, clock, properties.demoStore());
    }
}
