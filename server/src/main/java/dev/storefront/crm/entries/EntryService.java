package dev.storefront.crm.entries;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.api.query.GroupBy;
import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.errors.NotFoundException;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.AggregateGroup;
import dev.storefront.crm.storage.AggregateStore;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.BulkWrite;
import dev.storefront.crm.storage.ComputedColumn;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.FilterCompiler;
import dev.storefront.crm.storage.Ordering;
import dev.storefront.crm.storage.PageRequest;
import dev.storefront.crm.storage.StagedUpdate;
import dev.storefront.crm.storage.Transaction;
import dev.storefront.crm.storage.sql.Condition;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads and writes entries of any object. Every write is checked in full (values, required fields,
 * unique values, relation targets) before anything is written, inside the write transaction, so
 * a refused write leaves the database exactly as it was.
 *
 * <p>Writes are checked against the model current under the write lock, not the one their request
 * began with: model changes commit under the same lock, so a rule changed a moment ago (a field
 * made unique) applies to every write that commits after it, and no write names a column that was
 * dropped meanwhile. A field the request names that no longer exists is refused by name.
 */
public class EntryService {

    private final DuckDb db;
    private final EntryStore store;
    private final AggregateStore aggregates;
    private final WriteChecks checks;
    private final ComputedFields computed;
    private final QueryUpdate queryUpdate;
    private final Clock clock;
    private final Supplier<MetadataSnapshot> models;
    private final List<EntryChangeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param models the model in force, read inside each write transaction */
    public EntryService(DuckDb db, EntryStore store, AggregateStore aggregates, Clock clock, Supplier<MetadataSnapshot> models,
                        ComputedFields computed) {
        this.db = db;
        this.models = models;
        this.computed = computed;
        this.queryUpdate = new QueryUpdate(new StagedUpdate(), store, computed);
        this.store = store;
        this.aggregates = aggregates;
        this.checks = new WriteChecks(store);
        this.clock = clock;
    }

    /** Called inside and after each committed create, update and delete (not by bulk imports). */
    public void addListener(EntryChangeListener listener) {
        listeners.add(listener);
    }

    /**
     * Tells the listeners of a change now, inside {@code tx}, and again once it committed. Callers ask
     * {@link #heard()} once per write first: nothing is described when nothing listens.
     */
    private void tell(Transaction tx, EntryChangeListener.Change change, ObjectDef object, Entry before, Entry after) {
        listeners.forEach(l -> l.beforeCommit(change, object, before, after));
        tx.afterCommit(() -> listeners.forEach(l -> l.changed(change, object, before, after)));
    }

    /**
     * A bulk write changed many entries of {@code object}: recomputes the computed fields that read what
     * it touched (in {@code tx}, one statement per object) and tells the listeners once it committed.
     */
    public void bulkWritten(Transaction tx, ObjectDef object, BulkWrite written) {
        computed.writtenInBulk(tx, models.get(), object, written);
        announce(tx, object);
    }

    /**
     * Entries of {@code object} were written by statements of their own (the bulk demo store), their
     * computed fields recomputed apart: listeners hear one bulk write of it once {@code tx} committed.
     */
    public void writtenByScript(Transaction tx, ObjectDef object) {
        announce(tx, object);
    }

    /**
     * True when something hears writes now: only then does a set-based write that stands for single
     * writes read its entries, and a write describe its change.
     */
    public boolean heard() {
        return listeners.stream().anyMatch(EntryChangeListener::listening);
    }

    /**
     * True when something hears each entry of {@code object} that a set-based write stands for: only
     * then are they read back and told one by one; else the write is told as one bulk write.
     */
    public boolean heardEach(ObjectDef object) {
        return listeners.stream().anyMatch(listener -> listener.hearsEachEntry(object));
    }

    /**
     * A set-based write stood for single writes of entries of {@code object} (a sync's page): recomputes
     * what reads them as {@link #bulkWritten} does, then tells the listeners of each entry {@code created}
     * and of each of {@code before} (as the entries were, read when {@link #heardEach}) that changed, inside
     * {@code tx} and after its commit, as single writes do; or of one bulk write when none hears each.
     */
    public void writtenAsSingles(Transaction tx, ObjectDef object, BulkWrite written, Collection<Long> created, Map<Long, Entry> before) {
        computed.writtenInBulk(tx, models.get(), object, written);
        if (!heardEach(object)) {
            announce(tx, object);
            return;
        }
        Set<Long> ids = new LinkedHashSet<>(created);
        ids.addAll(before.keySet());
        for (Entry after : store.findByIds(tx, object, ids)) {
            Entry old = before.get(after.id());
            if (old == null) {
                tell(tx, EntryChangeListener.Change.CREATED, object, null, after);
            } else if (!old.updatedAt().isEqual(after.updatedAt())) {
                tell(tx, EntryChangeListener.Change.UPDATED, object, old, after);
            }
        }
    }

    /**
     * Many transactions wrote entries of {@code object} in bulk without recomputing (the chunks of one
     * import): recomputes, for all entries, every other object whose computed fields read it, and its own
     * computed fields when {@code updated} (new entries were inserted with theirs), one statement each.
     */
    public void allWrittenInBulk(Transaction tx, ObjectDef object, boolean updated) {
        MetadataSnapshot model = models.get();
        if (updated) {
            computed.recomputeAll(tx, model, object);
        }
        computed.recomputeReaders(tx, model, object);
        announce(tx, object);
    }

    /** The computed fields of {@code object}, ready to render, in model order (formulas after what they read). */
    public List<ComputedColumn> computedColumns(MetadataSnapshot model, ObjectDef object) {
        return computed.columns(model, object);
    }

    /**
     * Tells of the entries one write created: one by one, as single writes are, when it created one or
     * some listener hears each entry of the object; else as one bulk write (a bulk create of thousands
     * then raises no thousands of events nobody reads one by one).
     */
    private void tellCreated(Transaction tx, ObjectDef object, List<Entry> created, boolean oneByOne) {
        if (oneByOne) {
            created.forEach(entry -> tell(tx, EntryChangeListener.Change.CREATED, object, null, entry));
        } else if (!created.isEmpty()) {
            announce(tx, object);
        }
    }

    /** Whether {@code count} entries one write creates are told one by one, each whole (see {@link #tellCreated}). */
    private boolean toldOneByOne(ObjectDef object, int count) {
        return count == 1 ? heard() : heardEach(object);
    }

    private void announce(Transaction tx, ObjectDef object) {
        if (heard()) {
            tx.afterCommit(() -> listeners.forEach(l -> l.bulkWritten(object)));
        }
    }

    public Entry get(ObjectDef object, long id) {
        return db.read(tx -> find(tx, object, id));
    }

    public List<Entry> getAll(ObjectDef object, Collection<Long> ids) {
        return db.read(tx -> store.findByIds(tx, object, ids));
    }

    /** @param fields api names of the fields to read (null: all); entries lack the others */
    public List<Entry> getAll(ObjectDef object, Collection<Long> ids, Set<String> fields) {
        return db.read(tx -> store.findByIds(tx, object, fields, ids));
    }

    public EntryPage page(ObjectDef object, PageRequest page) {
        return page(MetadataSnapshot.empty(), object, ListQuery.all(), page);
    }

    public EntryPage page(MetadataSnapshot model, ObjectDef object, ListQuery query, PageRequest page) {
        return page(model, object, query, page, null);
    }

    /** @param fields api names of the fields to read (null: all); entries lack the others */
    public EntryPage page(MetadataSnapshot model, ObjectDef object, ListQuery query, PageRequest page, Set<String> fields) {
        Condition filter = compiler(model).compile(object, query.filter());
        Ordering ordering = Ordering.of(object, query.sort());
        return db.read(tx -> store.findPage(tx, object, fields, filter, ordering, page));
    }

    /**
     * Writes every entry the query matches, in order, as one CSV record of {@code columns} each to
     * {@code out}, and returns how many: the database writes them to a file in its staging folder, which
     * is then sent as it is and deleted, so memory stays flat for exports of any size.
     */
    public long exportCsv(MetadataSnapshot model, ObjectDef object, ListQuery query, List<FieldDef> columns, OutputStream out)
            throws IOException {
        Condition filter = compiler(model).compile(object, query.filter());
        Ordering ordering = Ordering.of(object, query.sort());
        Path file = Files.createTempFile(db.stagingDirectory(), "export-", ".csv");
        try {
            long records = db.snapshot(tx -> store.copyCsv(tx, object, columns, filter, ordering, file));
            Files.copy(file, out);
            return records;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    public long count(ObjectDef object) {
        return count(MetadataSnapshot.empty(), object, Filter.all());
    }

    public long count(MetadataSnapshot model, ObjectDef object, Filter filter) {
        Condition condition = compiler(model).compile(object, filter);
        return db.read(tx -> store.count(tx, object, condition));
    }

    public List<AggregateGroup> aggregate(MetadataSnapshot model, ObjectDef object, Filter filter, List<GroupBy> groupBy) {
        return aggregate(model, object, filter, groupBy, null);
    }

    /** Computes only the {@code wanted} statistics ({@code "sum:total_amount"}), or all of them when null. */
    public List<AggregateGroup> aggregate(MetadataSnapshot model, ObjectDef object, Filter filter, List<GroupBy> groupBy,
                                          java.util.Set<String> wanted) {
        Condition condition = compiler(model).compile(object, filter);
        return db.read(tx -> aggregates.aggregate(tx, object, condition, groupBy, wanted));
    }

    public Map<Long, EntryPage> pagesByParent(MetadataSnapshot model, ObjectDef object, FieldDef relation,
                                              Collection<Long> parentIds, ListQuery query, PageRequest page) {
        return pagesByParent(model, object, null, relation, parentIds, query, page);
    }

    /** @param fields api names of the fields to read (null: all); entries lack the others */
    public Map<Long, EntryPage> pagesByParent(MetadataSnapshot model, ObjectDef object, Set<String> fields, FieldDef relation,
                                              Collection<Long> parentIds, ListQuery query, PageRequest page) {
        Condition filter = compiler(model).compile(object, query.filter());
        Ordering ordering = Ordering.of(object, query.sort());
        return db.read(tx -> store.findPagesByParent(tx, object, fields, relation, parentIds, filter, ordering, page));
    }

    public Map<Long, Long> countsByParent(MetadataSnapshot model, ObjectDef object, FieldDef relation,
                                          Collection<Long> parentIds, Filter filter) {
        Condition condition = compiler(model).compile(object, filter);
        return db.read(tx -> store.countByParent(tx, object, relation, parentIds, condition));
    }

    /** Refuses a query that names unknown fields, misapplies operators or holds bad values, before it runs. */
    public void check(MetadataSnapshot model, ObjectDef object, ListQuery query) {
        compiler(model).compile(object, query.filter());
        Ordering.of(object, query.sort());
    }

    /** Relative date filters ("within the last 90 days") are evaluated against today's date on our clock. */
    public FilterCompiler compiler(MetadataSnapshot model) {
        return new FilterCompiler(model, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    public Entry create(ObjectDef object, Map<String, Object> input) {
        return createAll(object, List.of(input)).get(0);
    }

    /** Creates all entries or none; inputs map field api names to raw values. */
    public List<Entry> createAll(ObjectDef requestedObject, List<Map<String, Object>> inputs) {
        return createAll(requestedObject, inputs, null);
    }

    /**
     * Creates all entries or none, and answers them with {@code fields} (api names; null: all) and
     * their relations: a bulk create answered with ids builds no 10,000 entries of every field. Entries
     * a listener hears one by one are built whole.
     */
    public List<Entry> createAll(ObjectDef requestedObject, List<Map<String, Object>> inputs, Set<String> fields) {
        return write(requestedObject, (tx, model, object) -> {
            boolean oneByOne = toldOneByOne(object, inputs.size());
            Set<String> answered = fields == null || oneByOne ? null : withRelations(object, fields);
            List<Map<String, Object>> rows = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                rows.add(checks.forCreate(object, inputs.get(i), inputs.size() > 1 ? i : -1));
            }
            checks.uniqueAndRelations(tx, model, object, rows, null);
            List<ComputedColumn> own = computed.columns(model, object);
            List<Entry> created = store.insert(tx, object, rows, now(), own, computed.timeZone(), answered);
            // New entries already hold their own computed values; what reads them is recomputed through their relations.
            computed.created(tx, model, object, created);
            if (own.stream().anyMatch(column -> column instanceof ComputedColumn.Rollup rollup
                    && rollup.from().apiName().equals(object.apiName()))) {
                // A rollup over the object's own entries may count entries of this same write: read what the recompute left.
                List<Long> ids = created.stream().map(Entry::id).toList();
                created = inOrder(store.findByIds(tx, object, answered, ids), ids);
            }
            tellCreated(tx, object, created, oneByOne);
            return created;
        });
    }

    /**
     * Creates the entries whose unique values no stored entry holds, nor an earlier input: the others
     * are left out, not refused (a log receiving the same item more than once). Checked as
     * {@link #createAll} checks, written by one statement that leaves out the taken ones; returns,
     * per input in order, whether it was created.
     */
    public List<Boolean> createAbsent(ObjectDef requestedObject, List<Map<String, Object>> inputs) {
        return write(requestedObject, (tx, model, object) -> {
            Set<String> seen = new HashSet<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, Object> row = checks.forCreate(object, inputs.get(i), inputs.size() > 1 ? i : -1);
                List<String> values = object.uniqueFields().stream().filter(field -> row.get(field.apiName()) != null)
                        .map(field -> field.apiName() + "=" + FieldValues.toText(row.get(field.apiName()))).toList();
                if (values.stream().noneMatch(seen::contains)) {
                    seen.addAll(values);
                    rows.add(row);
                    positions.add(i);
                }
            }
            checks.relations(tx, model, object, rows);
            List<Entry> inserted = store.insertAbsent(tx, object, rows, now(), computed.columns(model, object), computed.timeZone());
            List<Entry> created = inserted.stream().filter(Objects::nonNull).toList();
            computed.created(tx, model, object, created);
            tellCreated(tx, object, created, toldOneByOne(object, created.size()));
            List<Boolean> answers = new ArrayList<>(Collections.nCopies(inputs.size(), false));
            for (int k = 0; k < rows.size(); k++) {
                answers.set(positions.get(k), inserted.get(k) != null);
            }
            return answers;
        });
    }

    /** Changes the given fields; a field given as null is cleared. */
    public Entry update(ObjectDef requestedObject, long id, Map<String, Object> input) {
        return update(requestedObject, id, input, null);
    }

    /**
     * Changes the given fields if the entry is still at {@code ifVersion} (its {@code updated_at}
     * when the caller read it; null: whatever it is now), else refuses with CONFLICT. Every change
     * moves {@code updated_at} forward, so it is a version no two states of an entry share.
     */
    public Entry update(ObjectDef requestedObject, long id, Map<String, Object> input, OffsetDateTime ifVersion) {
        return update(requestedObject, id, input, ifVersion, null, true);
    }

    /**
     * The same, answering with the entry's {@code fields} (api names; null: every field) where the
     * update needs no other: its id, versions and those fields are read back, the rest left out. An
     * answer that asks for neither version and only fields the update wrote is made from the written
     * values without reading the entry back; its versions are then null.
     */
    public Entry update(ObjectDef requestedObject, long id, Map<String, Object> input, OffsetDateTime ifVersion, Set<String> fields,
                        boolean versions) {
        return write(requestedObject, (tx, model, object) -> {
            Optional<Entry> unread = updateUnread(tx, model, object, id, input, ifVersion, fields, versions);
            if (unread.isPresent()) {
                return unread.get();
            }
            Entry before = find(tx, object, id);
            if (ifVersion != null && !before.updatedAt().isEqual(ifVersion)) {
                throw new ConflictException(object.apiName() + " " + id + " was changed since the version you read ("
                        + FieldValues.toText(ifVersion) + "; now " + FieldValues.toText(before.updatedAt()) + "): read it again and retry",
                        Map.of("object", object.apiName(), "id", String.valueOf(id), "version", FieldValues.toText(before.updatedAt())));
            }
            return change(tx, model, object, before, input);
        });
    }

    /** Adds to numeric fields without reading them first: concurrent increments all count. */
    public Entry increment(ObjectDef requestedObject, long id, Map<String, Object> deltas) {
        return write(requestedObject, (tx, model, object) -> {
            Map<String, Object> converted = new LinkedHashMap<>();
            deltas.forEach((name, delta) -> {
                FieldDef field = object.field(name).filter(f -> f.kind() == FieldKind.NUMBER || f.kind() == FieldKind.INTEGER)
                        .orElseThrow(() -> new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + name + " is not a number field",
                                Map.of("object", object.apiName(), "field", name)));
                if (delta != null) {
                    converted.put(name, FieldValues.convert(object.apiName(), field, delta));
                }
            });
            Entry before = find(tx, object, id);
            if (converted.isEmpty()) {
                return before;
            }
            Entry after = store.increment(tx, object, id, converted, versionAfter(before));
            if (heard()) {
                tell(tx, EntryChangeListener.Change.UPDATED, object, before, after);
            }
            return after;
        });
    }

    /**
     * Like {@link #update} but writes only the fields whose value differs from the stored one; when
     * none does nothing is written ({@code updated_at} stays, no event) and the result is empty. For
     * syncs, which receive every record again whether it changed or not. A field given as null that
     * has a default takes the default, as when the entry was created from the same record.
     */
    public Optional<Entry> updateIfChanged(ObjectDef requestedObject, long id, Map<String, Object> input) {
        return write(requestedObject, (tx, model, object) -> {
            Entry before = find(tx, object, id);
            Map<String, Object> differing = new LinkedHashMap<>();
            checks.forUpdate(object, input).forEach((field, given) -> {
                Object value = given != null ? given : object.field(field).map(FieldDef::defaultValue).orElse(null);
                if (!Objects.equals(FieldValues.toText(value), FieldValues.toText(before.get(field)))) {
                    differing.put(field, value);
                }
            });
            return differing.isEmpty() ? Optional.<Entry>empty() : Optional.of(change(tx, model, object, before, differing));
        });
    }

    /**
     * Updates the entry whose {@code uniqueField} equals the input's value, or creates one. The
     * input must carry that value.
     */
    public Entry upsert(ObjectDef requestedObject, Map<String, Object> input, String uniqueField) {
        return write(requestedObject, (tx, model, object) -> {
            FieldDef key = object.field(uniqueField).filter(FieldDef::unique).orElseThrow(() -> new CrmException(
                    ErrorCode.VALIDATION, object.apiName() + "." + uniqueField + " is not a unique field",
                    Map.of("object", object.apiName(), "field", uniqueField)));
            Object value = checks.converted(object, key, input.get(key.apiName()));
            if (value == null) {
                throw new CrmException(ErrorCode.VALIDATION, object.apiName() + "." + key.apiName()
                        + ": an upsert needs a value for its conflict field", Map.of("object", object.apiName(), "field", key.apiName()));
            }
            Long existing = store.idsByValue(tx, object, key, List.of(value)).get(value);
            if (existing == null) {
                return create(object, input);
            }
            return change(tx, model, object, find(tx, object, existing), input);
        });
    }

    /**
     * Sets {@code fields} of the entries a read-only SELECT returns (a column {@code id} and one per
     * field), checked like any write and applied in one statement; joins the caller's transaction.
     * Returns how many entries changed. Sends no entry events, like the bulk imports: one bulk write.
     */
    public long updateFromQuery(ObjectDef requestedObject, List<String> fields, String select, List<Object> parameters) {
        return write(requestedObject, (tx, model, object) -> announced(tx, object,
                queryUpdate.run(tx, model, object, fields, select, parameters, now())));
    }

    /**
     * Creates one entry per row of a read-only SELECT (one column per field), checked like any write
     * and inserted in one statement; joins the caller's transaction. Listeners hear each creation
     * (inside and after commit), or one bulk write when none hears each entry of the object. Returns how
     * many entries were created.
     */
    public long createFromQuery(ObjectDef requestedObject, List<String> fields, String select, List<Object> parameters) {
        return write(requestedObject, (tx, model, object) -> {
            List<Long> ids = queryUpdate.create(tx, model, object, fields, select, parameters, now());
            if (heardEach(object)) {
                store.findByIds(tx, object, ids).forEach(entry -> tell(tx, EntryChangeListener.Change.CREATED, object, null, entry));
            } else if (!ids.isEmpty()) {
                announce(tx, object);
            }
            return (long) ids.size();
        });
    }

    /** Recomputes every rollup and formula of {@code object}, one statement for all of them; returns how many entries changed. */
    public long recomputeRollups(ObjectDef requestedObject) {
        return write(requestedObject, (tx, model, object) -> {
            long changed = computed.recomputeAll(tx, model, object);
            if (changed > 0) {
                computed.recomputeReaders(tx, model, object);
            }
            return announced(tx, object, changed);
        });
    }

    /**
     * A set-based write that changed entries is announced to listeners as one bulk write; it kept the
     * computed fields right itself.
     */
    private long announced(Transaction tx, ObjectDef object, long changed) {
        if (changed > 0) {
            announce(tx, object);
        }
        return changed;
    }

    /**
     * Deletes an entry and returns it as it was. Entries that point at it through an optional
     * relation are unlinked; a required relation pointing at it refuses the delete.
     */
    public Entry delete(ObjectDef requestedObject, long id) {
        return write(requestedObject, (tx, model, object) -> {
            Entry entry = find(tx, object, id);
            Map<Long, ConflictException> kept = remove(tx, model, object, List.of(entry));
            if (!kept.isEmpty()) {
                throw kept.get(id);
            }
            return entry;
        });
    }

    /**
     * Deletes the entries of {@code ids} that exist as {@link #delete} does each, in a few statements
     * whatever their number, in the caller's transaction. Those a required relation still needs are
     * kept: returned by id with the reason.
     */
    public Map<Long, ConflictException> deleteAll(ObjectDef requestedObject, Collection<Long> ids) {
        return write(requestedObject, (tx, model, object) -> ids.isEmpty() ? Map.of() : remove(tx, model, object, store.findByIds(tx, object, ids)));
    }

    private Map<Long, ConflictException> remove(Transaction tx, MetadataSnapshot model, ObjectDef object, List<Entry> entries) {
        Set<Long> ids = new HashSet<>();
        entries.forEach(entry -> ids.add(entry.id()));
        Map<Long, ConflictException> kept = new LinkedHashMap<>();
        List<ReverseRelation> reverses = model.reverseRelationsOf(object.apiName());
        for (ReverseRelation reverse : reverses) {
            if (reverse.field().required()) {
                store.countByParent(tx, reverse.source(), reverse.field(), ids, Condition.always()).forEach((id, pointing) -> {
                    if (pointing > 0) {
                        kept.putIfAbsent(id, new ConflictException(pointing + " " + reverse.source().apiName() + " entries still point at "
                                + object.apiName() + " " + id + " through required field " + reverse.field().apiName(),
                                Map.of("object", object.apiName(), "id", String.valueOf(id),
                                        "referencedBy", reverse.source().apiName() + "." + reverse.field().apiName())));
                    }
                });
            }
        }
        List<Entry> gone = entries.stream().filter(entry -> !kept.containsKey(entry.id())).toList();
        if (gone.isEmpty()) {
            return kept;
        }
        // Told before the entries and their links go, so a listener can still query them as they were.
        if (heard()) {
            gone.forEach(entry -> tell(tx, EntryChangeListener.Change.DELETED, object, entry, null));
        }
        List<Long> goneIds = gone.stream().map(Entry::id).toList();
        OffsetDateTime now = now();
        for (ReverseRelation reverse : reverses) {
            if (!reverse.field().required()) {
                store.clearRelation(tx, reverse.source(), reverse.field(), goneIds, now);
            }
        }
        store.delete(tx, object, goneIds);
        computed.written(tx, model, object, gone, List.of());
        return kept;
    }

    private interface WriteWork<T> {
        T run(Transaction tx, MetadataSnapshot model, ObjectDef object);
    }

    /**
     * Runs {@code work} in a write transaction with the model in force and its version of {@code requested}:
     * one operation, so its last write may commit a transaction opened for it (see {@link DuckDb#writeOne}).
     */
    private <T> T write(ObjectDef requested, WriteWork<T> work) {
        return db.writeOne(tx -> {
            MetadataSnapshot model = models.get();
            return work.run(tx, model, model.object(requested.apiName()));
        });
    }

    /**
     * The update without reading the entry as it was, when nothing needs it: no computed field reads
     * the changed fields, no listener reads {@code before}, and no unique field changes (its check must
     * see the other entries before the write). The statement checks {@code ifVersion} and moves the
     * version itself; empty when it changed nothing (no such entry, another version, nothing to change),
     * which the caller's read then explains. The relation check runs after the statement, so a missing
     * entry is reported as such; a refusal rolls the statement back with the transaction. The answer is
     * the written values when it asks for nothing else (no version, no unwritten field), else the entry
     * read back with {@code fields} alone; a listener that hears each entry of the object gets it read
     * back whole, the others hear of a write to the object, as of a set-based one.
     */
    private Optional<Entry> updateUnread(Transaction tx, MetadataSnapshot model, ObjectDef object, long id, Map<String, Object> input,
                                         OffsetDateTime ifVersion, Set<String> fields, boolean versions) {
        Map<String, Object> changes = checks.forUpdate(object, input);
        boolean toldEach = heardEach(object);
        // Then nothing after the statement can refuse (a relation to check) or write (a listener told before the commit).
        boolean last = !toldEach && object.relationFields().stream().noneMatch(field -> changes.containsKey(field.apiName()));
        if (changes.isEmpty() || computed.reads(model, object, changes.keySet())
                || object.uniqueFields().stream().anyMatch(field -> changes.containsKey(field.apiName()))
                || listeners.stream().anyMatch(listener -> listener.readsBefore(object))
                || !store.updateIfVersion(tx, object, id, changes, now(), ifVersion, last)) {
            return Optional.empty();
        }
        checks.relations(tx, model, object, List.of(changes));
        // Creates answer from their checked rows too; only the versions and unwritten fields need the stored row.
        Entry written = !toldEach && !versions && fields != null && changes.keySet().containsAll(fields)
                ? new Entry(object.apiName(), id, null, null, changes)
                : store.findByIds(tx, object, toldEach ? null : fields, List.of(id)).get(0);
        if (toldEach) {
            tell(tx, EntryChangeListener.Change.UPDATED, object, null, written);
        } else {
            announce(tx, object);
        }
        return Optional.of(written);
    }

    /** Two statements whatever the input: {@code before} was read by the caller, the update returns the result. */
    private Entry change(Transaction tx, MetadataSnapshot model, ObjectDef object, Entry before, Map<String, Object> input) {
        Map<String, Object> changes = checks.forUpdate(object, input);
        checks.uniqueAndRelations(tx, model, object, List.of(changes), before.id());
        if (changes.isEmpty()) {
            return before;
        }
        Entry after = store.update(tx, object, before.id(), changes, versionAfter(before));
        if (computed.reads(model, object, changes.keySet())) {
            computed.written(tx, model, object, List.of(before), List.of(after));
            if (hasComputed(object)) {
                after = find(tx, object, before.id());
            }
        }
        if (heard()) {
            tell(tx, EntryChangeListener.Change.UPDATED, object, before, after);
        }
        return after;
    }

    /** {@code fields} and the object's relation fields, which the recompute of what reads new entries follows. */
    private static Set<String> withRelations(ObjectDef object, Set<String> fields) {
        Set<String> answered = new HashSet<>(fields);
        object.relationFields().forEach(field -> answered.add(field.apiName()));
        return answered;
    }

    /** Entries of such an object are read again after a write: the engine changed their rollups and formulas. */
    private static boolean hasComputed(ObjectDef object) {
        return object.fields().stream().anyMatch(FieldDef::isComputed);
    }

    private Entry find(Transaction tx, ObjectDef object, long id) {
        List<Entry> found = store.findByIds(tx, object, List.of(id));
        if (found.isEmpty()) {
            throw NotFoundException.entry(object.apiName(), id);
        }
        return found.get(0);
    }

    private static List<Entry> inOrder(List<Entry> entries, List<Long> ids) {
        Map<Long, Entry> byId = new LinkedHashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
        return ids.stream().map(byId::get).toList();
    }

    /** Now, or a microsecond past the entry's last change if the clock has not moved on: each change is a new version. */
    private OffsetDateTime versionAfter(Entry before) {
        OffsetDateTime now = now();
        OffsetDateTime next = before.updatedAt().plusNanos(1_000).withOffsetSameInstant(ZoneOffset.UTC);
        return now.isBefore(next) ? next : now;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
