package dev.storefront.crm.views;

import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.ViewStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ViewsConfiguration {

    @Bean
    ViewService viewService(DuckDb db, ViewStore store, SchemaService schema, EntryService entries) {
        return new ViewService(db, store, schema, entries);
    }

    @Bean
    ViewYamlLoader viewYamlLoader(ViewService views) {
        return new ViewYamlLoader(views);
    }
}
