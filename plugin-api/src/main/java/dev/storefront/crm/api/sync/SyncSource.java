package dev.storefront.crm.api.sync;

import dev.storefront.crm.api.PluginContext;
import org.pf4j.ExtensionPoint;

/**
 * A source that is read page by page, in the shape of a Kafka Connect source task: the host asks
 * for the page after a cursor, writes the page's records (upserts by key) and the page's cursor in
 * one transaction, and asks again until the source says it is done. The source never stores its
 * cursor itself, so a run killed half-way resumes at the last committed page, and replaying a page
 * is harmless. The cursor at the end of a run is where the next run starts, which makes later runs
 * incremental. Sources run as jobs of their plugin ({@code runJob(plugin:, job: <name>)}).
 *
 * @param <C> the cursor type, written by {@link #cursorFormat()}
 */
public interface SyncSource<C> extends ExtensionPoint {

    String name();

    String description();

    CursorFormat<C> cursorFormat();

    /**
     * Spring cron syntax (seconds first), in the store's time zone, for a source that runs on a
     * schedule unless configuration ({@code crm.plugins.<pluginId>.jobs.<name>.cron}) says otherwise;
     * null: runs only on demand unless configured.
     */
    default String defaultCron() {
        return null;
    }

    /**
     * Reads the page after {@code cursor}; null means from the beginning (a first run). {@code run}
     * carries the job's arguments and {@link SyncRun#cancelled()}.
     */
    SyncPage<C> poll(C cursor, SyncRun run, PluginContext context) throws Exception;

    /** How a cursor is kept as text between pages and runs. */
    interface CursorFormat<C> {
        String write(C cursor);

        C read(String text);
    }
}
