package dev.storefront.crm;

import dev.storefront.crm.demo.DemoStore;
import dev.storefront.crm.graphql.CrmGraphQlSource;
import dev.storefront.crm.plugins.PluginHost;
import dev.storefront.crm.schema.SchemaYamlLoader;
import dev.storefront.crm.security.CustomRoles;
import dev.storefront.crm.views.ViewYamlLoader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Brings the database up to the declared model and views, then fills the demo store if asked. Runs after
 * every bean exists and before the web server takes requests, so no request sees a half-ready model.
 */
@Component
class CrmStartup implements SmartInitializingSingleton {

    private final CrmProperties properties;
    private final SchemaYamlLoader yaml;
    private final ViewYamlLoader views;
    private final ObjectProvider<DemoStore> demo;
    private final ObjectProvider<PluginHost> plugins;
    private final CustomRoles roles;
    private final CrmGraphQlSource graphQl;

    CrmStartup(CrmProperties properties, SchemaYamlLoader yaml, ViewYamlLoader views, ObjectProvider<DemoStore> demo,
               ObjectProvider<PluginHost> plugins, CustomRoles roles, CrmGraphQlSource graphQl) {
        this.roles = roles;
        this.graphQl = graphQl;
        this.properties = properties;
        this.yaml = yaml;
        this.views = views;
        this.demo = demo;
        this.plugins = plugins;
    }

    @Override
    public void afterSingletonsInstantiated() {
        yaml.apply(properties.schemaFolder());
        views.apply(properties.schemaFolder());
        // Plugins add to the model, so they start after it; a failing plugin is isolated, never fatal.
        plugins.ifAvailable(PluginHost::loadAndStartAll);
        // Once the model and every plugin are in: the schema is built once, not after each of them.
        graphQl.open();
        roles.reportConfigured();
        if (properties.demo()) {
            demo.getObject().fillIfEmpty();
        }
    }
}
