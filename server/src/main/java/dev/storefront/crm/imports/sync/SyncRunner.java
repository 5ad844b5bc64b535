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
import dev.storefront.crm.jobs.JobError;
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
 * its cursor and the job's progress ({@link JobRunner#checkpoint(Transaction, Job, Job.Step)}: the live job takes the page
 * once it committed) in ONE transaction, and repeats until the source is done or the job is
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
        // What the committed pages did: a page's counts join them once its transaction committed.
        Counts[] committed = {new Counts(0, 0, 0, 0)};
        while (!job.cancelled()) {
            C from = cursor;
            SyncPage<C> page = plugin.call(() -> source.poll(from, run, context));
            if (page.total() >= 0) {
                job.total(page.total());
            }
            String next = plugin.call(() -> format.write(page.cursor()));
            db.write(tx -> {
                List<JobError> errors = new ArrayList<>();
                long first = job.processedCount() + 1;
                SyncPageWriter.Outcome written = pages.write(tx, schema.current(), page.records(), first,
                        (row, column, value, reason) -> errors.add(new JobError(row, null, column, value, reason)), now());
                long records = page.records().size();
                Counts counts = committed[0].plus(written.created(), written.updated(), written.unchanged(), 0);
                if (page.lines() != null) {
                    JsonLinesWriter.Outcome read = lines.write(tx, schema.current(), page.lines(), first + records, errors::add, now());
                    records += read.records();
                    counts = counts.plus(read.created(), read.updated(), read.unchanged(), read.deleted());
                }
                counts = counts.plus(0, 0, 0, delete(tx, page.deletions(), first + records - 1, errors));
                state.save(tx, key, next, now());
                Counts after = counts;
                jobs.checkpoint(tx, job, new Job.Step(records, errors, after.describe("Synced ", job.processedCount() + records,
                        job.errorCount() + errors.size())));
                tx.afterCommit(() -> committed[0] = after);
                return null;
            });
            cursor = page.cursor();
            if (page.done()) {
                break;
            }
        }
        if (job.cancelled()) {
            job.message(committed[0].describe("Cancelled after ", job.processedCount(), job.errorCount()));
        }
    }

    /** Entries created, changed, left as they were and deleted by the pages of a run. */
    private record Counts(long created, long updated, long unchanged, long deleted) {

        Counts plus(long created, long updated, long unchanged, long deleted) {
            return new Counts(this.created + created, this.updated + updated, this.unchanged + unchanged, this.deleted + deleted);
        }

        /** The job's message: {@code records} read, of which {@code skipped} refused. */
        String describe(String start, long records, long skipped) {
            return start + records + " records: " + created + " new, " + updated + " changed, " + unchanged + " unchanged; "
                    + (deleted > 0 ? deleted + " deleted; " : "") + skipped + " skipped";
        }
    }

    /**
     * Deletes the entries the source no longer holds, as {@code deleteX} would each (entries that
     * point at one through an optional relation are unlinked, computed fields follow), set-based per
     * deletion; one that a required relation still needs is kept and reported to {@code errors} as of {@code record}, the
     * page's last. Returns how many were deleted.
     */
    private long delete(Transaction tx, List<SyncDeletion> deletions, long record, List<JobError> errors) {
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
            kept.values().forEach(e -> errors.add(new JobError(record, null, object.apiName() + "." + key.apiName(), null,
                    "Not deleted although the source no longer has it: " + e.getMessage())));
            deleted += ids.size() - kept.size();
        }
        return deleted;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
