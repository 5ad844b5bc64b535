package dev.storefront.crm.entries;

import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.AggregateStore;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EntriesConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EntryService entryService(DuckDb db, EntryStore store, AggregateStore aggregates, Clock clock, SchemaService schema) {
        return new EntryService(db, store, aggregates, clock, schema::current);
    }
}
