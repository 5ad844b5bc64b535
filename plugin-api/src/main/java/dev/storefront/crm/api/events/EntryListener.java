package dev.storefront.crm.api.events;

import dev.storefront.crm.api.PluginContext;
import org.pf4j.ExtensionPoint;

/**
 * Hears entry changes made through the API, syncs, webhooks or plugins: after they committed, on a host
 * thread (not the writing request), or inside their transaction ({@link #beforeCommit}). Bulk imports do not send one event per row: {@link #onBulkWrite} once per
 * committed chunk, and {@link ImportListener} once per finished import.
 */
public interface EntryListener extends ExtensionPoint {

    /** The change, after it committed, on the host's event thread; lost if the server stops before it is delivered. */
    default void onEntryEvent(EntryEvent event, PluginContext context) throws Exception {
    }

    /**
     * The same change inside its own write transaction, on the writing thread, before it commits: what
     * the plugin writes here through {@code context.crm()} commits with the change or not at all, so what
     * the plugin owes for a change (an outbox row) survives a crash that would lose {@link #onEntryEvent}.
     * Writes wait meanwhile, so keep it to a few statements; an exception refuses the change itself. A
     * deletion is told before the entry is removed: queries here still find it as it was.
     */
    default void beforeCommit(EntryEvent event, PluginContext context) throws Exception {
    }

    /**
     * Whether this listener reads {@link EntryEvent#before()} of an update of {@code object} now. When no
     * listener does, an update is told with {@code before} null, and the host saves reading the entry
     * before it writes (a statement of every update). Called inside the write, so keep it to no query.
     */
    default boolean readsBefore(String object, PluginContext context) {
        return true;
    }

    /**
     * Whether this listener wants one event per entry, with the entry whole, when a set-based write
     * creates or changes many entries of {@code object} at once (a bulk create, a plugin's
     * {@code createFromQuery}, a sync's page) and when an update changes one. When no listener does, the
     * host tells {@link #onBulkWrite} once instead and saves reading the written entries back to describe
     * them (an update reads back only the fields its caller asks for). Called inside the write, so keep it
     * to no query.
     */
    default boolean hearsEachEntry(String object, PluginContext context) {
        return true;
    }

    /**
     * Many entries of {@code object} were created or changed at once, after commit: a chunk of a bulk
     * import, or a set-based write that no listener hears entry by entry ({@link #hearsEachEntry}).
     */
    default void onBulkWrite(String object, PluginContext context) throws Exception {
    }
}
