package dev.storefront.crm.plugins;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import java.util.Optional;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/** The context each plugin gets: settings from Spring properties or environment variables, the CRM, JSON. */
final class DefaultPluginContext implements PluginContext {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Json CODEC = new Json() {
        @Override
        public Object parse(String text) {
            return JSON.readValue(text, Object.class);
        }

        @Override
        public String write(Object value) {
            return JSON.writeValueAsString(value);
        }
    };

    private final String pluginId;
    private final Environment environment;
    private final CrmContext crm;

    DefaultPluginContext(String pluginId, Environment environment, CrmContext crm) {
        this.pluginId = pluginId;
        this.environment = environment;
        this.crm = crm;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    /** Spring resolves {@code crm.plugins.<id>.<key>} from properties, YAML or {@code CRM_PLUGINS_<ID>_<KEY>}. */
    @Override
    public Optional<String> config(String key) {
        return Optional.ofNullable(environment.getProperty("crm.plugins." + pluginId + "." + key));
    }

    @Override
    public CrmContext crm() {
        return crm;
    }

    @Override
    public Json json() {
        return CODEC;
    }
}
