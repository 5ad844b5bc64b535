package dev.storefront.crm.ops;

import dev.storefront.crm.plugins.PluginHost;
import dev.storefront.crm.plugins.PluginInfo;
import dev.storefront.crm.storage.DuckDb;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code /actuator/health} checks besides Spring's own states: the database answers a query,
 * and the plugins were loaded. Both are part of readiness (application.yaml); liveness stays
 * Spring's own, so a slow database never gets the process restarted.
 */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    @Bean
    HealthIndicator database(DuckDb db) {
        return () -> {
            try {
                db.ping();
                return Health.up().build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("problem", "The database does not answer").build();
            }
        };
    }

    /**
     * Up with each plugin's state. A plugin that failed to start is isolated and the rest of the
     * server serves on, so it is reported (state and error) without taking the server out of service.
     */
    @Bean
    HealthIndicator plugins(PluginHost host) {
        return () -> {
            List<PluginInfo> plugins = host.plugins();
            Map<String, Object> states = new LinkedHashMap<>();
            plugins.forEach(p -> states.put(p.id(), p.error() == null ? p.state() : p.state() + ": " + p.error()));
            return Health.up().withDetails(states).build();
        };
    }
}
