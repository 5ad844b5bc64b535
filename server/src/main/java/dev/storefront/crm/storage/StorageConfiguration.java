package dev.storefront.crm.storage;

import dev.storefront.crm.CrmProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean(destroyMethod = "close")
    DuckDb duckDb(CrmProperties properties) {
        CrmProperties.Duckdb duckdb = properties.duckdb();
        return new DuckDb(properties.databaseFile(), new DuckDb.Limits(duckdb.memoryLimit(), duckdb.threads(),
                duckdb.tempDirectory().isBlank() ? null : java.nio.file.Path.of(duckdb.tempDirectory())));
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
    ReadOnlySql.Limits sqlConsoleLimits(CrmProperties properties) {
        CrmProperties.Sql sql = properties.sql();
        return new ReadOnlySql.Limits(sql.timeout(), sql.maxRows(), sql.maxRowChars(), sql.maxResultChars());
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
