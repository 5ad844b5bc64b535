package dev.storefront.crm.plugins;

import dev.storefront.crm.api.events.EntryEvent;
import dev.storefront.crm.api.events.EntryListener;
import dev.storefront.crm.entries.EntryChangeListener;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.Entry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers committed entry changes to the {@link EntryListener}s of started plugins, in commit
 * order, on one host thread: a slow or throwing listener never delays or fails the write that
 * caused the event, and one plugin's failure is logged with its id and skipped.
 */
final class PluginEvents implements EntryChangeListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginEvents.class);

    private final PluginHost host;
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "crm-plugin-events");
        thread.setDaemon(true);
        return thread;
    });

    PluginEvents(PluginHost host) {
        this.host = host;
    }

    @Override
    public void changed(Change change, ObjectDef object, Entry before, Entry after) {
        long id = after != null ? after.id() : before.id();
        EntryEvent event = new EntryEvent(EntryEvent.Type.valueOf(change.name()), object.apiName(), id, values(before), values(after));
        deliver(change + " of " + object.apiName() + " " + id, (listener, plugin) -> listener.onEntryEvent(event, plugin.context()));
    }

    @Override
    public void bulkWritten(ObjectDef object) {
        deliver("bulk write of " + object.apiName(), (listener, plugin) -> listener.onBulkWrite(object.apiName(), plugin.context()));
    }

    /** What one listener of one plugin is told. */
    @FunctionalInterface
    private interface Delivery {
        void to(EntryListener listener, StartedPlugin plugin) throws Exception;
    }

    private void deliver(String what, Delivery delivery) {
        this.delivery.execute(() -> {
            for (StartedPlugin plugin : host.started()) {
                for (EntryListener listener : plugin.extensions().listeners()) {
                    try {
                        plugin.call(() -> {
                            delivery.to(listener, plugin);
                            return null;
                        });
                    } catch (Exception e) {
                        log.error("Plugin {} failed handling {}", plugin.id(), what, e);
                    }
                }
            }
        });
    }

    private static Map<String, Object> values(Entry entry) {
        return entry == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(DefaultCrmContext.toMap(entry)));
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }
}
