package dev.storefront.crm.plugins;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.events.EntryEvent;
import dev.storefront.crm.api.events.EntryListener;
import dev.storefront.crm.api.events.ImportFinished;
import dev.storefront.crm.api.events.ImportListener;
import dev.storefront.crm.entries.EntryChangeListener;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.Entry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers entry changes to the {@link EntryListener}s of started plugins (inside the write's transaction,
 * and once more after it committed), and finished
 * imports to their {@link ImportListener}s, in commit order, on one host thread: a slow or throwing listener never delays or fails the write that
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
    public boolean listening() {
        return host.started().stream().anyMatch(plugin -> !plugin.extensions().listeners().isEmpty());
    }

    @Override
    public boolean readsBefore(ObjectDef object) {
        return anyListener("say whether it reads entries as they were; it gets them",
                (listener, context) -> listener.readsBefore(object.apiName(), context));
    }

    @Override
    public boolean hearsEachEntry(ObjectDef object) {
        return anyListener("say whether it hears each entry of a set-based write; it does",
                (listener, context) -> listener.hearsEachEntry(object.apiName(), context));
    }

    private interface Question {
        boolean ask(EntryListener listener, PluginContext context) throws Exception;
    }

    /** Whether some listener of a started plugin answers yes; one that fails is taken as a yes ({@code failed} says so in the log). */
    private boolean anyListener(String failed, Question question) {
        for (StartedPlugin plugin : host.started()) {
            for (EntryListener listener : plugin.extensions().listeners()) {
                try {
                    if (plugin.call(() -> question.ask(listener, plugin.context()))) {
                        return true;
                    }
                } catch (Exception e) {
                    log.warn("Plugin {} could not {}", plugin.id(), failed, e);
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void changed(Change change, ObjectDef object, Entry before, Entry after) {
        EntryEvent event = event(change, object, before, after);
        deliver(PluginExtensions::listeners, (listener, context) -> listener.onEntryEvent(event, context),
                change + " of " + object.apiName() + " " + event.id());
    }

    /**
     * Runs each started plugin's {@link EntryListener#beforeCommit} on the writing thread, inside the
     * write's transaction. A plugin that fails refuses the change: committing it without what the
     * plugin had to record would lose that for good, which is what this call exists to prevent.
     */
    @Override
    public void beforeCommit(Change change, ObjectDef object, Entry before, Entry after) {
        EntryEvent event = event(change, object, before, after);
        for (StartedPlugin plugin : host.started()) {
            for (EntryListener listener : plugin.extensions().listeners()) {
                try {
                    plugin.call(() -> {
                        listener.beforeCommit(event, plugin.context());
                        return null;
                    });
                } catch (CrmException e) {
                    throw e;
                } catch (Exception e) {
                    log.error("Plugin {} failed recording the {} of {} {}", plugin.id(), change, object.apiName(), event.id(), e);
                    throw new CrmException(ErrorCode.CONFLICT, "The " + plugin.id() + " plugin could not record this change to "
                            + object.apiName() + " (" + (e.getMessage() == null ? "it did not say why" : e.getMessage())
                            + "); nothing was written", Map.of("plugin", plugin.id(), "object", object.apiName()));
                }
            }
        }
    }

    private static EntryEvent event(Change change, ObjectDef object, Entry before, Entry after) {
        long id = after != null ? after.id() : before.id();
        return new EntryEvent(EntryEvent.Type.valueOf(change.name()), object.apiName(), id, values(before), values(after));
    }

    @Override
    public void bulkWritten(ObjectDef object) {
        deliver(PluginExtensions::listeners, (listener, context) -> listener.onBulkWrite(object.apiName(), context),
                "bulk write of " + object.apiName());
    }

    void importFinished(ImportFinished event) {
        deliver(PluginExtensions::importListeners, (listener, context) -> listener.onImportFinished(event, context),
                "the finished import " + event.job() + " of " + event.object());
    }

    private interface Call<L> {
        void run(L listener, PluginContext context) throws Exception;
    }

    /** Hands one event to every listener of every started plugin, on the delivery thread; {@code what} names it in the log. */
    private <L> void deliver(Function<PluginExtensions, List<L>> listeners, Call<L> call, String what) {
        delivery.execute(() -> {
            for (StartedPlugin plugin : host.started()) {
                for (L listener : listeners.apply(plugin.extensions())) {
                    try {
                        plugin.call(() -> {
                            call.run(listener, plugin.context());
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
        return entry == null ? null : new EntryView(entry);
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }
}
