package dev.storefront.crm.api.jobs;

import dev.storefront.crm.api.PluginContext;
import java.time.Duration;
import org.pf4j.ExtensionPoint;

/**
 * Work the host repeats while the plugin is started, {@link #interval} after the previous run ended,
 * on a host thread of its own: an outbox worker or a poller. Unlike a {@link PluginJob} a run leaves
 * no job record, so it may run every second; a run that throws is logged and the next one still comes.
 */
public interface BackgroundTask extends ExtensionPoint {

    String name();

    /** Asked when the plugin starts (and when the set of started plugins changes). */
    Duration interval(PluginContext context);

    void run(PluginContext context) throws Exception;
}
