package dev.storefront.crm.imports.sync;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.sync.SyncDeletion;
import dev.storefront.crm.api.sync.SyncPage;
import dev.storefront.crm.api.sync.SyncRun;
import dev.storefront.crm.api.sync.SyncSource;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.imports.csv.JsonLinesWriter;
import dev.storefront.crm.jobs.Job;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.Ordering;
import dev.storefront.crm.storage.SyncStateTable;
import dev.storefront.crm.storage.Transaction;
import dev.storefront.crm.storage.sql.Condition;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs a {@link SyncSource}: asks for the page after the stored cursor, then writes the page's
 * records (set-based, {@link SyncPageWriter}), its range of a JSON Lines file ({@link JsonLinesWriter})
 * and its cursor in ONE transaction, and repeats until the source is done or the job is
 * cancelled. A kill between pages loses nothing and a replayed page changes nothing (records are
 * upserts by key), so the run is at-least-once and idempotent. A record equal to its stored entry
 * is not written at all, so {@code updated_at} and entry events mark real changes even though
 * sources hand over records that did not change (overlapping cursors, APIs without a change filter).
 */
public final class SyncRunner {

    /** Calls into plugin code (with the plugin's class loader). */
    public interface PluginCall {
        <T> T call(Callable<T> work) throws Exception;
    }

    private final DuckDb db;
    private final SchemaService schema;
    private final EntryService entries;
    private final EntryStore store;
    private final JobRunner jobs;
    private final Clock clock;
    private final SyncStateTable state = new SyncStateTable();
    private final SyncPageWriter pages;
    private final JsonLinesWriter lines;

    public SyncRunner(DuckDb db, SchemaService schema, EntryService entries, EntryStore store, SyncPageWriter pages, JsonLinesWriter lines,
                      JobRunner jobs, Clock clock) {
        this.db = db;
        this.pages = pages;
        this.lines = lines;
        this.schema = schema;
        this.entries = entries;
        this.store = store;
        this.jobs = jobs;
        this.clock = clock;
        db.write(tx -> {
            state.createTable(tx);
            return null;
        });
    }

    public Optional<String> storedCursor(String key) {
        return db.read(tx -> state.cursor(tx, key));
    }

    public <C> void run(Job job, String key, SyncSource<C> source, PluginContext context, PluginCall plugin) throws Exception {
        boolean full = Boolean.TRUE.equals(job.args().get("full")) || "true".equals(String.valueOf(job.args().get("full")));
        SyncSource.CursorFormat<C> format = plugin.call(source::cursorFormat);
        Optional<String> stored = full ? Optional.empty() : storedCursor(key);
        C cursor = stored.isPresent() ? plugin.call(() -> format.read(stored.get())) : null;
        SyncRun run = new SyncRun() {
            @Override
            public Map<String, Object> args() {
                return job.args();
            }

            @Override
            public boolean cancelled() {
                return job.cancelled();
            }

            @Override
            public boolean full() {
                return full;
            }
        };
        // Created, changed, unchanged, deleted.
        long[] counts = new long[4];
        while (!job.cancelled()) {
            C from = cursor;
            SyncPage<C> page = plugin.call(() -> source.poll(from, run, context));
            if (page.total() >= 0) {
                job.total(page.total());
            }
            String next = plugin.call(() -> format.write(page.cursor()));
            db.write(tx -> {
                SyncPageWriter.Outcome written = pages.write(tx, schema.current(), page.records(), job.processedCount() + 1, job::error, now());
                job.addProcessed(page.records().size());
                counts[0] += written.created();
                counts[1] += written.updated();
                counts[2] += written.unchanged();
                if (page.lines() != null) {
                    JsonLinesWriter.Outcome read = lines.write(tx, schema.current(), page.lines(), job, now());
                    job.addProcessed(read.records());
                    counts[0] += read.created();
                    counts[1] += read.updated();
                    counts[2] += read.unchanged();
                    counts[3] += read.deleted();
                }
                counts[3] += delete(tx, page.deletions(), job);
                state.save(tx, key, next, now());
                jobs.checkpoint(job);
                return null;
            });
            cursor = page.cursor();
            if (page.done()) {
                break;
            }
        }
        job.message((job.cancelled() ? "Cancelled after " : "Synced ") + job.processedCount() + " records: "
                + counts[0] + " new, " + counts[1] + " changed, " + counts[2] + " unchanged; "
                + (counts[3] > 0 ? counts[3] + " deleted; " : "")
                + job.errorCount() + " skipped");
    }

    /**
     * Deletes the entries the source no longer holds, as {@code deleteX} would each (entries that
     * point at one through an optional relation are unlinked, computed fields follow), set-based per
     * deletion; one that a required relation still needs is kept and reported. Returns how many were deleted.
     */
    private long delete(Transaction tx, List<SyncDeletion> deletions, Job job) {
        MetadataSnapshot model = schema.current();
        long deleted = 0;
        for (SyncDeletion deletion : deletions) {
            ObjectDef object = model.object(deletion.object());
            FieldDef key = model.field(object.apiName(), deletion.key());
            List<Object> values = deletion.values().stream().map(v -> FieldValues.convert(object.apiName(), key, v)).toList();
            Collection<Long> ids;
            if (deletion.allBut()) {
                List<Long> others = new ArrayList<>();
                Condition keyed = Condition.isNotNull(key.column());
                store.forEach(tx, object, values.isEmpty() ? keyed : Condition.and(keyed, Condition.not(Condition.in(key.column(), values))),
                        Ordering.byId(), entry -> others.add(entry.id()));
                ids = others;
            } else {
                ids = values.isEmpty() ? List.of() : store.idsByValue(tx, object, key, values).values();
            }
            Map<Long, ConflictException> kept = entries.deleteAll(object, ids);
            kept.values().forEach(e -> job.error(job.processedCount(), object.apiName() + "." + key.apiName(), null,
                    "Not deleted although the source no longer has it: " + e.getMessage()));
            deleted += ids.size() - kept.size();
        }
        return deleted;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
