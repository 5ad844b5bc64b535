package dev.storefront.crm.imports.sync;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.sync.EntryRef;
import dev.storefront.crm.api.sync.SyncDeletion;
import dev.storefront.crm.api.sync.SyncPage;
import dev.storefront.crm.api.sync.SyncRecord;
import dev.storefront.crm.api.sync.SyncRun;
import dev.storefront.crm.api.sync.SyncSource;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
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
import dev.storefront.crm.storage.StorageException;
import dev.storefront.crm.storage.SyncStateTable;
import dev.storefront.crm.storage.Transaction;
import dev.storefront.crm.storage.sql.Condition;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs a {@link SyncSource}: asks for the page after the stored cursor, then writes the page's
 * records and its cursor in ONE transaction, and repeats until the source is done or the job is
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

    public SyncRunner(DuckDb db, SchemaService schema, EntryService entries, EntryStore store, JobRunner jobs, Clock clock) {
        this.db = db;
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
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        while (!job.cancelled()) {
            C from = cursor;
            SyncPage<C> page = plugin.call(() -> source.poll(from, run, context));
            if (page.total() >= 0) {
                job.total(page.total());
            }
            String next = plugin.call(() -> format.write(page.cursor()));
            db.write(tx -> {
                writePage(tx, page.records(), job).forEach((outcome, n) -> outcomes.merge(outcome, n, Long::sum));
                outcomes.merge(Outcome.DELETED, delete(tx, page.deletions(), job), Long::sum);
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
                + outcomes.getOrDefault(Outcome.CREATED, 0L) + " new, " + outcomes.getOrDefault(Outcome.UPDATED, 0L) + " changed, "
                + outcomes.getOrDefault(Outcome.UNCHANGED, 0L) + " unchanged; "
                + (outcomes.getOrDefault(Outcome.DELETED, 0L) > 0 ? outcomes.get(Outcome.DELETED) + " deleted; " : "")
                + job.errorCount() + " skipped");
    }

    /** What writing one record did. */
    private enum Outcome { CREATED, UPDATED, UNCHANGED, DELETED }

    /**
     * Deletes the entries the source no longer holds, each as {@code deleteX} would (entries that
     * point at it through an optional relation are unlinked, computed fields follow); one that a
     * required relation still needs is kept and reported. Returns how many were deleted.
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
            for (long id : ids) {
                try {
                    entries.delete(object, id);
                    deleted++;
                } catch (ConflictException e) {
                    job.error(job.processedCount(), object.apiName() + "." + key.apiName(), null,
                            "Not deleted although the source no longer has it: " + e.getMessage());
                }
            }
        }
        return deleted;
    }

    private Map<Outcome, Long> writePage(Transaction tx, List<SyncRecord> records, Job job) {
        MetadataSnapshot model = schema.current();
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        for (SyncRecord record : records) {
            long number = job.processedCount() + 1;
            try {
                outcomes.merge(upsert(tx, model, record), 1L, Long::sum);
            } catch (StorageException e) {
                throw e;
            } catch (CrmException e) {
                Object field = e.details().get("field");
                Object value = e.details().get("value");
                job.error(number, record.object() + (field == null ? "" : "." + field), value == null ? null : value.toString(),
                        e.getMessage());
            }
            job.addProcessed(1);
        }
        return outcomes;
    }

    private Outcome upsert(Transaction tx, MetadataSnapshot model, SyncRecord record) {
        ObjectDef object = model.object(record.object());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> value : record.values().entrySet()) {
            values.put(value.getKey(), value.getValue() instanceof EntryRef ref ? resolve(tx, model, ref) : value.getValue());
        }
        Long existing = null;
        for (String key : record.keys()) {
            Object value = values.get(key);
            if (value != null) {
                existing = find(tx, object, model.field(object.apiName(), key), value);
                if (existing != null) {
                    break;
                }
            }
        }
        if (existing == null) {
            entries.create(object, values);
            return Outcome.CREATED;
        }
        return entries.updateIfChanged(object, existing, values).isPresent() ? Outcome.UPDATED : Outcome.UNCHANGED;
    }

    private Long resolve(Transaction tx, MetadataSnapshot model, EntryRef ref) {
        if (ref.value() == null) {
            return null;
        }
        ObjectDef target = model.object(ref.object());
        return find(tx, target, model.field(target.apiName(), ref.field()), ref.value());
    }

    private Long find(Transaction tx, ObjectDef object, FieldDef field, Object raw) {
        Object value = FieldValues.convert(object.apiName(), field, raw);
        return store.idsByValue(tx, object, field, List.of(value)).get(value);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
