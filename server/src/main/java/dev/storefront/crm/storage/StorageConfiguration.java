package dev.storefront.crm.storage;

import dev.storefront.crm.CrmProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean(destroyMethod = "close")
    DuckDb duckDb(CrmProperties properties) {
        return new DuckDb(properties.databaseFile());
    }

    @Bean
    EntryStore entryStore() {
        return new EntryStore();
    }

    @Bean
    AggregateStore aggregateStore() {
        return new AggregateStore();
    }

    @Bean
    ReadOnlySql readOnlySql(DuckDb db) {
        return new ReadOnlySql(db);
    }

    @Bean
    ViewStore viewStore() {
        return new ViewStore();
    }

    @Bean
    SchemaStore schemaStore() {
        return new SchemaStore();
    }
}
