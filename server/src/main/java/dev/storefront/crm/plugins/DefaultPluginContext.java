package dev.storefront.crm.plugins;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.metadata.MetadataSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.support.CronExpression;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The context each plugin gets: settings from Spring properties or environment variables, the CRM, JSON and YAML. */
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
    private static final YAMLMapper YAML_MAPPER = YAMLMapper.builder().build();
    private static final Yaml YAML = text -> {
        try {
            return YAML_MAPPER.readValue(text, Object.class);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            throw new PluginException("yaml.invalid", "not valid YAML at " + where + e.getOriginalMessage());
        }
    };

    private final String pluginId;
    private final Environment environment;
    private final DefaultCrmContext crm;
    private final ZoneId timeZone;
    private final Path dataDirectory;

    DefaultPluginContext(String pluginId, Environment environment, DefaultCrmContext crm, ZoneId timeZone, Path dataDirectory) {
        this.pluginId = pluginId;
        this.environment = environment;
        this.crm = crm;
        this.timeZone = timeZone;
        this.dataDirectory = dataDirectory;
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

    /** This context with {@link #crm()} seeing {@code snapshot} as the model (see {@link DefaultCrmContext#asOf}). */
    DefaultPluginContext asOf(MetadataSnapshot snapshot) {
        return new DefaultPluginContext(pluginId, environment, crm.asOf(snapshot), timeZone, dataDirectory);
    }

    @Override
    public CrmContext crm() {
        return crm;
    }

    /** Created on first use, so a plugin that keeps no files leaves no folder. */
    @Override
    public Path dataDirectory() {
        try {
            return Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder of plugin " + pluginId + " at " + dataDirectory, e);
        }
    }

    @Override
    public ZoneId timeZone() {
        return timeZone;
    }

    /** Spring's cron, as {@link PluginScheduler} reads the jobs' schedules, so both take the same syntax. */
    @Override
    public Optional<OffsetDateTime> nextCronFiring(String cron, OffsetDateTime after) {
        CronExpression expression;
        try {
            expression = CronExpression.parse(cron);
        } catch (IllegalArgumentException e) {
            throw new PluginException("cron.invalid", "the cron schedule '" + cron + "' cannot be read: " + e.getMessage()
                    + " (six fields: second minute hour day-of-month month day-of-week)");
        }
        return Optional.ofNullable(expression.next(after.atZoneSameInstant(timeZone))).map(ZonedDateTime::toOffsetDateTime);
    }

    @Override
    public Json json() {
        return CODEC;
    }

    @Override
    public Yaml yaml() {
        return YAML;
    }
}
