package dev.storefront.crm.api;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What the host gives a plugin's extensions on every call: its configuration, typed access to the
 * CRM, and a JSON codec (so plugins need not bundle a JSON library of their own).
 */
public interface PluginContext {

    String pluginId();

    /**
     * A setting of this plugin: Spring property {@code crm.plugins.<pluginId>.<key>} or the
     * environment variable {@code CRM_PLUGINS_<PLUGINID>_<KEY>} (dots and dashes as underscores), so
     * secrets stay out of YAML files.
     */
    Optional<String> config(String key);

    /** Like {@link #config} but a missing setting is a {@link PluginException}. */
    default String requireConfig(String key) {
        return config(key).orElseThrow(() -> new PluginException("config.missing",
                "Plugin " + pluginId() + " needs setting crm.plugins." + pluginId() + "." + key));
    }

    CrmContext crm();

    /**
     * This plugin's own folder for files it keeps beside the database ({@code <database file>.plugins/<pluginId>}),
     * created by the host; it belongs to this database, so it moves, and is backed up, with it.
     */
    Path dataDirectory();

    /** The store's time zone ({@code crm.timezone}, UTC unless set): where its days and months begin. */
    ZoneId timeZone();

    /**
     * The first moment after {@code after} at which a cron schedule fires in the store's time zone
     * (Spring cron syntax, seconds first, as plugin jobs take it); empty when it never fires again. A
     * schedule that cannot be read is a {@link PluginException} saying why.
     */
    Optional<OffsetDateTime> nextCronFiring(String cron, OffsetDateTime after);

    Json json();

    Yaml yaml();

    /** JSON text to plain Java values (maps, lists, strings, numbers, booleans, null) and back. */
    interface Json {
        Object parse(String text);

        String write(Object value);
    }

    /** YAML text (one document) to plain Java values, like {@link Json#parse}; a syntax error names the line. */
    interface Yaml {
        Object parse(String text);
    }
}
