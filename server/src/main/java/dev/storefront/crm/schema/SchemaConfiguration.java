package dev.storefront.crm.schema;

import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.SchemaStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SchemaConfiguration {

    @Bean
    SchemaService schemaService(DuckDb db, SchemaStore store, EntryStore entries) {
        return new SchemaService(db, store, new SchemaChangeApplier(store, entries));
    }

    @Bean
    SchemaYamlLoader schemaYamlLoader(SchemaService schema) {
        return new SchemaYamlLoader(schema);
    }
}
