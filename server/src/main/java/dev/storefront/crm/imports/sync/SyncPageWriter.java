package dev.storefront.crm.imports.sync;

import dev.storefront.crm.api.sync.EntryRef;
import dev.storefront.crm.api.sync.IfValid;
import dev.storefront.crm.api.sync.SyncRecord;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.imports.csv.ChunkReport;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.BulkWrite;
import dev.storefront.crm.storage.CellSource;
import dev.storefront.crm.storage.ChunkOutcome;
import dev.storefront.crm.storage.ChunkPlan;
import dev.storefront.crm.storage.CsvStaging;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.ImportChunks;
import dev.storefront.crm.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one page of a sync set-based, through the imports' own convert-check-write statements
 * ({@link ImportChunks}): the page's records are split into runs of one object and one shape (the same
 * keys and fields), each run is staged as a part file and written by one chunk (one INSERT of the new
 * entries, one UPDATE of the changed ones, equal ones left alone), so a page costs a handful of
 * statements per run whatever its size. Objects are written in the order their relations need (an
 * object before the objects whose records point at it), records of one object in page order, so a
 * later record of an entry wins as it would one by one. Relations given by key ({@link EntryRef}) are
 * resolved by one lookup per target field once their targets are written; a key found nowhere leaves
 * the relation empty, as a single write would. The computed fields are recomputed once per object at
 * the end of the page for the entries it touched, and each entry created or changed is told to the
 * entry listeners, inside the page's transaction and after its commit, as single writes are.
 */
public final class SyncPageWriter {

    /** What a page did, counted over its records. */
    public record Outcome(long created, long updated, long unchanged) {
    }

    /** Where refused records go: a sync job's errors, or a caller that refuses the whole write. */
    @FunctionalInterface
    public interface Refusals {
        void refuse(long record, String field, String value, String reason);
    }

    /** Records of one object and one shape, consecutive among that object's records. */
    private record Run(ObjectDef object, List<String> keys, List<String> fields, List<Numbered> records) {
    }

    /** A record and its number in the sync (1 = its first record). */
    private record Numbered(long number, SyncRecord record) {
    }

    /** What the page did to one object's entries: gathered over its runs, told once at the end. */
    private static final class Touched {
        final Set<Long> ids = new HashSet<>();
        final Map<String, Set<Long>> links = new HashMap<>();
        final Set<Long> created = new LinkedHashSet<>();
        final Map<Long, Entry> before = new LinkedHashMap<>();

        void add(BulkWrite written) {
            ids.addAll(written.ids());
            written.links().forEach((field, linked) -> links.computeIfAbsent(field, f -> new HashSet<>()).addAll(linked));
        }
    }

    private final ImportChunks chunks;
    private final EntryService entries;
    private final EntryStore store;
    private final Path staging;

    public SyncPageWriter(ImportChunks chunks, EntryService entries, EntryStore store, Path staging) {
        this.chunks = chunks;
        this.entries = entries;
        this.store = store;
        this.staging = staging;
    }

    /**
     * Writes {@code records} in {@code tx}, the first numbered {@code first}; refused records go to
     * {@code refusals}, named by number, and the others are written.
     */
    public Outcome write(Transaction tx, MetadataSnapshot model, List<SyncRecord> records, long first, Refusals refusals,
                         OffsetDateTime now) {
        Map<ObjectDef, Touched> touched = new LinkedHashMap<>();
        long created = 0;
        long updated = 0;
        long unchanged = 0;
        for (Run run : runs(model, records.stream().map(record -> withValidOnly(model, record)).toList(), first, refusals)) {
            ChunkOutcome outcome = write(tx, model, run, touched.computeIfAbsent(run.object(), o -> new Touched()), refusals, now);
            created += outcome.created();
            updated += outcome.updated();
            unchanged += outcome.unchanged();
        }
        touched.forEach((object, t) -> entries.writtenAsSingles(tx, object, new BulkWrite(t.ids, t.links), t.created, t.before));
        return new Outcome(created, updated, unchanged);
    }

    private ChunkOutcome write(Transaction tx, MetadataSnapshot model, Run run, Touched touched, Refusals refusals,
                               OffsetDateTime now) {
        ObjectDef object = run.object();
        List<ChunkPlan.Rule> rules = new ArrayList<>();
        for (int i = 0; i < run.fields().size(); i++) {
            FieldDef field = model.field(object.apiName(), run.fields().get(i));
            rules.add(new ChunkPlan.Rule(field, field.isRelation() ? model.object(field.relatedObject()) : null, null,
                    new CellSource.Column(i)));
        }
        List<FieldDef> keys = run.keys().stream().filter(run.fields()::contains).map(key -> model.field(object.apiName(), key))
                .filter(FieldDef::unique).toList();
        List<CsvStaging.Row> rows = rows(tx, model, run, refusals);
        if (rows.isEmpty()) {
            return new ChunkOutcome(0, 0, 0, List.of(), new BulkWrite(Set.of(), Map.of()));
        }
        if (entries.heardEach(object)) {
            readBefore(tx, model, object, keys, run, rows, touched);
        }
        ChunkPlan plan = new ChunkPlan(object, rules, keys, null);
        // Ids are handed out in a row, and the chunk's new entries take theirs in record order: the next one is the first created.
        long next = store.reserveIds(tx, object, 0);
        Path part = staging.resolve("sync-page-" + Thread.currentThread().getId() + "-" + object.apiName() + ".csv");
        ChunkOutcome outcome;
        try {
            CsvStaging.writePart(part, rows);
            outcome = chunks.write(tx, plan, entries.computedColumns(model, object), part, rules.size(), rows.get(0).record(),
                    rows.get(rows.size() - 1).record() + 1, now);
        } finally {
            delete(part);
        }
        for (ChunkOutcome.Problem problem : outcome.problems()) {
            ChunkReport.Refusal refusal = ChunkReport.refusal(plan, problem);
            refusals.refuse(problem.record(), object.apiName() + "." + refusal.field(), refusal.value(),
                    object.apiName() + "." + refusal.field() + ": " + refusal.reason());
        }
        touched.add(outcome.written());
        for (long id = next; id < next + outcome.created(); id++) {
            touched.created.add(id);
        }
        return outcome;
    }

    /**
     * The run's records as staged rows, relations by key turned into ids (one lookup per target
     * field); a record whose key cannot be a value of its field is refused here, by number.
     */
    private List<CsvStaging.Row> rows(Transaction tx, MetadataSnapshot model, Run run, Refusals refusals) {
        Map<String, Map<Object, Long>> found = resolve(tx, model, run);
        List<CsvStaging.Row> rows = new ArrayList<>();
        for (Numbered numbered : run.records()) {
            List<String> cells = new ArrayList<>(run.fields().size());
            try {
                for (String name : run.fields()) {
                    Object value = numbered.record().values().get(name);
                    if (value instanceof EntryRef ref) {
                        value = ref.value() == null ? null : found.get(ref.object() + "." + ref.field()).get(converted(model, ref));
                    }
                    cells.add(FieldValues.toText(value));
                }
            } catch (CrmException e) {
                Object field = e.details().get("field");
                Object value = e.details().get("value");
                refusals.refuse(numbered.number(), run.object().apiName() + (field == null ? "" : "." + field), value == null ? null : value.toString(),
                        e.getMessage());
                continue;
            }
            rows.add(new CsvStaging.Row(numbered.number(), cells));
        }
        return rows;
    }

    /** The entries the run's relations name by key, per target field ({@code customers.email}): value → id. */
    private Map<String, Map<Object, Long>> resolve(Transaction tx, MetadataSnapshot model, Run run) {
        Map<String, Set<Object>> wanted = new LinkedHashMap<>();
        Map<String, EntryRef> named = new HashMap<>();
        for (Numbered numbered : run.records()) {
            for (Object value : numbered.record().values().values()) {
                if (value instanceof EntryRef ref && ref.value() != null) {
                    String target = ref.object() + "." + ref.field();
                    named.putIfAbsent(target, ref);
                    try {
                        wanted.computeIfAbsent(target, t -> new HashSet<>()).add(converted(model, ref));
                    } catch (CrmException e) {
                        // Refused with the record's number when its row is staged.
                    }
                }
            }
        }
        Map<String, Map<Object, Long>> found = new HashMap<>();
        wanted.forEach((target, values) -> {
            EntryRef ref = named.get(target);
            ObjectDef object = model.object(ref.object());
            found.put(target, store.idsByValue(tx, object, model.field(object.apiName(), ref.field()), values));
        });
        return found;
    }

    private static Object converted(MetadataSnapshot model, EntryRef ref) {
        ObjectDef target = model.object(ref.object());
        return FieldValues.convert(target.apiName(), model.field(target.apiName(), ref.field()), ref.value());
    }

    /**
     * The entries the run's rows may update, as they are before it: found by each key's values (one
     * lookup per key), except those an earlier run of the page read already.
     */
    private void readBefore(Transaction tx, MetadataSnapshot model, ObjectDef object, List<FieldDef> keys, Run run,
                            List<CsvStaging.Row> rows, Touched touched) {
        Set<Long> ids = new HashSet<>();
        for (FieldDef key : keys) {
            int cell = run.fields().indexOf(key.apiName());
            Set<Object> values = new HashSet<>();
            for (CsvStaging.Row row : rows) {
                String text = row.cells().get(cell);
                try {
                    Object value = FieldValues.fromText(object.apiName(), key, text);
                    if (value != null) {
                        values.add(value);
                    }
                } catch (CrmException e) {
                    // The chunk refuses this row by its own check.
                }
            }
            ids.addAll(store.idsByValue(tx, object, key, values).values());
        }
        ids.removeAll(touched.before.keySet());
        ids.removeAll(touched.created);
        store.findByIds(tx, object, ids).forEach(entry -> touched.before.put(entry.id(), entry));
    }

    /**
     * The page's records as runs: objects in the order their relations need (one whose records point
     * at another comes after it; ties and cycles in page order), then each object's records in page
     * order, cut where the shape changes. A record naming an unknown object or field is refused.
     */
    private static List<Run> runs(MetadataSnapshot model, List<SyncRecord> records, long first, Refusals refusals) {
        Map<String, List<Numbered>> byObject = new LinkedHashMap<>();
        Map<String, Set<String>> needs = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            SyncRecord record = records.get(i);
            String problem = unknown(model, record);
            if (problem != null) {
                refusals.refuse(first + i, record.object(), null, problem);
                continue;
            }
            byObject.computeIfAbsent(record.object(), o -> new ArrayList<>()).add(new Numbered(first + i, record));
            for (Object value : record.values().values()) {
                if (value instanceof EntryRef ref && !ref.object().equals(record.object())) {
                    needs.computeIfAbsent(record.object(), o -> new HashSet<>()).add(ref.object());
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        List<String> left = new ArrayList<>(byObject.keySet());
        while (!left.isEmpty()) {
            String next = left.stream().filter(o -> needs.getOrDefault(o, Set.of()).stream().noneMatch(left::contains)).findFirst()
                    .orElse(left.get(0));
            left.remove(next);
            ObjectDef object = model.object(next);
            Run run = null;
            for (Numbered numbered : byObject.get(next)) {
                List<String> fields = List.copyOf(numbered.record().values().keySet());
                if (run == null || !run.keys().equals(numbered.record().keys()) || !run.fields().equals(fields)) {
                    run = new Run(object, numbered.record().keys(), fields, new ArrayList<>());
                    runs.add(run);
                }
                run.records().add(numbered);
            }
        }
        return runs;
    }

    /**
     * The record with each {@link IfValid} value unwrapped when it is a valid value of its field, and left out (the stored
     * value stays) when it is not; a field the model lacks keeps its value for {@link #unknown} to refuse the record.
     */
    private static SyncRecord withValidOnly(MetadataSnapshot model, SyncRecord record) {
        if (record.values().values().stream().noneMatch(IfValid.class::isInstance)) {
            return record;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        record.values().forEach((name, value) -> {
            if (!(value instanceof IfValid given)) {
                values.put(name, value);
                return;
            }
            FieldDef field = model.find(record.object()).flatMap(object -> object.field(name)).orElse(null);
            try {
                if (field != null) {
                    FieldValues.convert(record.object(), field, given.value());
                }
                values.put(name, given.value());
            } catch (CrmException notValid) {
                // Left as stored: the rest of the record is good.
            }
        });
        return new SyncRecord(record.object(), record.keys(), values);
    }

    /** Why a record cannot be written at all (an object or field the model does not have, a computed field), or null. */
    private static String unknown(MetadataSnapshot model, SyncRecord record) {
        ObjectDef object = model.find(record.object()).orElse(null);
        if (object == null) {
            return "There is no object " + record.object();
        }
        for (String name : record.values().keySet()) {
            FieldDef field = object.field(name).orElse(null);
            if (field == null) {
                return record.object() + "." + name + " is not a field of " + record.object();
            }
            if (field.isComputed()) {
                return record.object() + "." + name + " is computed by the CRM (a rollup or formula) and cannot be written";
            }
        }
        return null;
    }

    private static void delete(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
