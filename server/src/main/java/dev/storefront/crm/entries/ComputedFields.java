package dev.storefront.crm.entries;

import dev.storefront.crm.api.query.Filter;
import dev.storefront.crm.metadata.Computed;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.metadata.ReverseRelation;
import dev.storefront.crm.storage.BulkWrite;
import dev.storefront.crm.storage.ComputedColumn;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryStore;
import dev.storefront.crm.storage.FilterCompiler;
import dev.storefront.crm.storage.RollupStore;
import dev.storefront.crm.storage.Transaction;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps rollup and formula fields right. Every write to entries calls {@link #written} in its own
 * transaction, before commit: the entries whose computed fields read what was written (the customer
 * of a created order, the customers of orders whose returns changed, the written entries themselves)
 * are recomputed by one statement per object, so no reader ever sees an order without its customer's
 * totals. Bulk writes (import chunks) recompute the same way, for every entry they touched at once.
 */
public final class ComputedFields {

    private final RollupStore rollups;
    private final EntryStore entries;
    private final String timeZone;
    private volatile ReadsOfModel readsOfModel;

    /** @param timeZone the store's time zone ({@code crm.timezone}): rolled-up datetimes become dates there */
    public ComputedFields(RollupStore rollups, EntryStore entries, String timeZone) {
        this.rollups = rollups;
        this.entries = entries;
        this.timeZone = timeZone;
    }

    /** The store's time zone, in which dates of datetimes are read. */
    public String timeZone() {
        return timeZone;
    }

    /** Recomputes every computed field of {@code object} for all its entries; returns how many entries changed. */
    public long recomputeAll(Transaction tx, MetadataSnapshot model, ObjectDef object) {
        return rollups.recompute(tx, object, columns(model, object), null, timeZone);
    }

    /**
     * A model change: fills every rollup and formula that is new or defined differently, for all
     * entries of its object, in the change's transaction.
     */
    public void backfill(Transaction tx, MetadataSnapshot before, MetadataSnapshot after) {
        for (ObjectDef object : after.objects()) {
            ObjectDef old = before.find(object.apiName()).orElse(null);
            boolean changed = object.fields().stream().filter(FieldDef::isComputed).anyMatch(field -> old == null
                    || old.field(field.apiName()).map(o -> !field.computed().equals(o.computed()) || field.kind() != o.kind()).orElse(true));
            if (changed) {
                recomputeAll(tx, after, object);
            }
        }
    }

    /**
     * Entries of {@code object} were written: {@code before} as they were (empty for creates),
     * {@code after} as they are (empty for deletes). Recomputes whatever reads them.
     */
    public void written(Transaction tx, MetadataSnapshot model, ObjectDef object, Collection<Entry> before, Collection<Entry> after) {
        Set<Long> ids = new HashSet<>();
        after.forEach(entry -> ids.add(entry.id()));
        writtenInBulk(tx, model, object, new BulkWrite(ids, links(object, before, after)));
    }

    /** Per relation field of {@code object}, the entries it links to in {@code before} or {@code after}. */
    private static Map<String, Set<Long>> links(ObjectDef object, Collection<Entry> before, Collection<Entry> after) {
        Map<String, Set<Long>> links = new LinkedHashMap<>();
        object.fields().stream().filter(FieldDef::isRelation).forEach(f -> links.put(f.apiName(), values(before, after, f.apiName())));
        return links;
    }

    /**
     * Entries of {@code object} were created, inserted with their own computed values. The entries that
     * read them through rollups which can take new rows' contributions alone ({@link RollupStore#adds}:
     * the customer of a new order) get those added to their stored values, a statement DuckDB plans in
     * less time than a recompute of all their rows; the others are recomputed as {@link #written} does.
     */
    public void created(Transaction tx, MetadataSnapshot model, ObjectDef object, Collection<Entry> created) {
        BulkWrite written = new BulkWrite(Set.of(), links(object, List.of(), created));
        List<Long> ids = created.stream().map(Entry::id).toList();
        for (ObjectDef parent : model.objects()) {
            List<ComputedColumn> columns = columns(model, parent);
            if (columns.isEmpty()) {
                continue;
            }
            Set<Long> touched = touched(tx, model, parent, object, written);
            if (touched.isEmpty()) {
                continue;
            }
            if (adds(model, parent, columns, object)) {
                rollups.addCreated(tx, parent, columns, object, ids, timeZone);
            } else {
                rollups.recompute(tx, parent, columns, touched, timeZone);
            }
        }
    }

    /**
     * Whether new entries of {@code object} change {@code parent}'s computed fields only through rollups
     * over {@code object} that can add them: none reads {@code object}'s entries through a list (a new
     * entry may be in an older one's list and change whether that one counts), and {@code parent} is
     * another object (its own new entries are no parents yet).
     */
    private static boolean adds(MetadataSnapshot model, ObjectDef parent, List<ComputedColumn> columns, ObjectDef object) {
        if (parent.apiName().equals(object.apiName()) || !RollupStore.adds(columns, object)) {
            return false;
        }
        for (ComputedColumn column : columns) {
            if (column instanceof ComputedColumn.Rollup rollup && looksThrough(model, rollup.from(), (Computed.Rollup) rollup.field().computed(), object)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Entries of {@code object} were written in bulk (an import chunk): recomputes, for the entries the
     * write touched, every object whose computed fields read {@code object}, one statement each.
     */
    public void writtenInBulk(Transaction tx, MetadataSnapshot model, ObjectDef object, BulkWrite written) {
        for (ObjectDef parent : model.objects()) {
            List<ComputedColumn> columns = columns(model, parent);
            if (!columns.isEmpty()) {
                rollups.recompute(tx, parent, columns, touched(tx, model, parent, object, written), timeZone);
            }
        }
    }

    /**
     * Every entry of {@code object} may have changed (a full recompute, the end of an import): recomputes,
     * for all entries, the computed fields of every other object that read it, one statement each.
     */
    public void recomputeReaders(Transaction tx, MetadataSnapshot model, ObjectDef object) {
        for (ObjectDef parent : model.objects()) {
            if (!parent.apiName().equals(object.apiName())) {
                rollups.recompute(tx, parent, reading(model, columns(model, parent), object), null, timeZone);
            }
        }
    }

    /**
     * Of {@code columns}, those that read entries of {@code object}: rollups over it or looking through its
     * entries, and the formulas over those. The others cannot change when only {@code object} did, and each
     * column a recompute sets is rewritten in every changed row (a customer's refunded amount after an
     * import of orders: 857,143 values logged and checkpointed for nothing).
     */
    private static List<ComputedColumn> reading(MetadataSnapshot model, List<ComputedColumn> columns, ObjectDef object) {
        Set<String> read = new HashSet<>();
        for (ComputedColumn column : columns) {
            if (column instanceof ComputedColumn.Rollup rollup && (rollup.from().apiName().equals(object.apiName())
                    || looksThrough(model, rollup.from(), (Computed.Rollup) rollup.field().computed(), object))) {
                read.add(column.field().apiName());
            }
        }
        // Formulas may read formulas: until no formula over a column read joins.
        for (boolean grew = true; grew; ) {
            grew = false;
            for (ComputedColumn column : columns) {
                if (column instanceof ComputedColumn.Formula formula && !read.contains(column.field().apiName())
                        && formula.expression().fields().stream().anyMatch(read::contains)) {
                    read.add(column.field().apiName());
                    grew = true;
                }
            }
        }
        return columns.stream().filter(column -> read.contains(column.field().apiName())).toList();
    }

    /** The entries of {@code parent} whose computed fields read what {@code written} touched of {@code object}. */
    private Set<Long> touched(Transaction tx, MetadataSnapshot model, ObjectDef parent, ObjectDef object, BulkWrite written) {
        Set<Long> ids = new HashSet<>();
        if (parent.apiName().equals(object.apiName())) {
            ids.addAll(written.ids());
        }
        for (FieldDef field : parent.fields()) {
            if (!(field.computed() instanceof Computed.Rollup rollup)) {
                continue;
            }
            if (rollup.from().equals(object.apiName())) {
                ids.addAll(written.links().getOrDefault(rollup.via(), Set.of()));
            }
            ObjectDef from = model.object(rollup.from());
            for (ReverseRelation read : readLists(model, from, rollup)) {
                if (read.source().apiName().equals(object.apiName())) {
                    Set<Long> children = written.links().getOrDefault(read.field().apiName(), Set.of());
                    FieldDef via = from.field(rollup.via()).orElseThrow();
                    entries.findByIds(tx, from, Set.of(via.apiName()), children)
                            .forEach(child -> ids.add((Long) child.get(via.apiName())));
                }
            }
        }
        ids.remove(null);
        return ids;
    }

    private static Set<Long> values(Collection<Entry> before, Collection<Entry> after, String relation) {
        Set<Long> ids = new HashSet<>();
        before.forEach(e -> ids.add((Long) e.get(relation)));
        after.forEach(e -> ids.add((Long) e.get(relation)));
        ids.remove(null);
        return ids;
    }

    /** Whether a rollup's filter reads entries of {@code object} through a list of {@code from} (orders with a return). */
    private static boolean looksThrough(MetadataSnapshot model, ObjectDef from, Computed.Rollup rollup, ObjectDef object) {
        return readLists(model, from, rollup).stream().anyMatch(list -> list.source().apiName().equals(object.apiName()));
    }

    /** The reverse lists of {@code from} that a rollup's filter reads (orders with {@code returns: {some: ...}}). */
    private static List<ReverseRelation> readLists(MetadataSnapshot model, ObjectDef from, Computed.Rollup rollup) {
        Set<String> names = new HashSet<>();
        collectLists(new WhereMapper(model).filter(from, rollup.where()), names);
        return model.reverseRelationsOf(from.apiName()).stream().filter(r -> names.contains(r.apiName())).toList();
    }

    private static void collectLists(Filter filter, Set<String> names) {
        if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> collectLists(f, names));
        } else if (filter instanceof Filter.Or or) {
            or.filters().forEach(f -> collectLists(f, names));
        } else if (filter instanceof Filter.Not not) {
            collectLists(not.filter(), names);
        } else if (filter instanceof Filter.Some some) {
            names.add(some.list());
        } else if (filter instanceof Filter.None none) {
            names.add(none.list());
        } else if (filter instanceof Filter.Count count) {
            names.add(count.list());
        }
    }

    /** The object's computed fields, resolved and compiled, in model order (formulas after what they read). */
    List<ComputedColumn> columns(MetadataSnapshot model, ObjectDef object) {
        List<ComputedColumn> columns = new ArrayList<>();
        // Rollup filters hold no relative dates (a rollup would go stale as days pass), so any day compiles them alike.
        FilterCompiler compiler = new FilterCompiler(model, LocalDate.EPOCH);
        Map<String, ObjectDef> froms = new LinkedHashMap<>();
        for (FieldDef field : object.fields()) {
            if (field.computed() instanceof Computed.Rollup rollup) {
                ObjectDef from = froms.computeIfAbsent(rollup.from(), model::object);
                FieldDef source = rollup.field() == null ? null : from.field(rollup.field()).orElseThrow();
                columns.add(new ComputedColumn.Rollup(field, from, from.field(rollup.via()).orElseThrow(), rollup.aggregate(),
                        source, compiler.compile(from, new WhereMapper(model).filter(from, rollup.where()))));
            } else if (field.computed() instanceof Computed.Formula formula) {
                columns.add(new ComputedColumn.Formula(field, formula.parsed()));
            }
        }
        return columns;
    }

    /**
     * Whether any computed field reads one of {@code fields} of {@code object}: a formula of the
     * object, or a rollup over it (its relation, aggregated field or filter), or a rollup whose filter
     * looks through the object's entries. Writes of other fields need no recompute.
     */
    public boolean reads(MetadataSnapshot model, ObjectDef object, Collection<String> fields) {
        Reads reads = readsOf(model, object);
        return reads.always() || fields.stream().anyMatch(reads.fields()::contains);
    }

    /**
     * What the computed fields read of an object's entries: found once per model and object, as every update asks it
     * (it parsed each formula and mapped each rollup's filter again per request). A model change makes a new snapshot.
     */
    private Reads readsOf(MetadataSnapshot model, ObjectDef object) {
        ReadsOfModel known = readsOfModel;
        if (known == null || known.model() != model) {
            known = new ReadsOfModel(model, new ConcurrentHashMap<>());
            readsOfModel = known;
        }
        return known.byObject().computeIfAbsent(object.apiName(), name -> collectReads(model, object));
    }

    private static Reads collectReads(MetadataSnapshot model, ObjectDef object) {
        Set<String> read = new HashSet<>();
        for (ObjectDef parent : model.objects()) {
            for (FieldDef field : parent.fields()) {
                if (field.computed() instanceof Computed.Formula formula && parent.apiName().equals(object.apiName())) {
                    read.addAll(formula.parsed().fields());
                }
                if (field.computed() instanceof Computed.Rollup rollup) {
                    ObjectDef from = model.object(rollup.from());
                    if (looksThrough(model, from, rollup, object)) {
                        return new Reads(true, Set.of());
                    }
                    if (rollup.from().equals(object.apiName())) {
                        read.add(rollup.via());
                        if (rollup.field() != null) {
                            read.add(rollup.field());
                        }
                        collectFields(new WhereMapper(model).filter(from, rollup.where()), read);
                    }
                }
            }
        }
        return new Reads(false, Set.copyOf(read));
    }

    /** Any write to the object's entries ({@code always}: a rollup's filter looks through them), or one of {@code fields}. */
    private record Reads(boolean always, Set<String> fields) {
    }

    private record ReadsOfModel(MetadataSnapshot model, Map<String, Reads> byObject) {
    }

    /** Every field name a filter compares, at any depth (a superset is harmless: it only costs a recompute). */
    private static void collectFields(Filter filter, Set<String> names) {
        if (filter instanceof Filter.Compare compare) {
            names.add(compare.field());
        } else if (filter instanceof Filter.Related related) {
            names.add(related.field());
            collectFields(related.filter(), names);
        } else if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> collectFields(f, names));
        } else if (filter instanceof Filter.Or or) {
            or.filters().forEach(f -> collectFields(f, names));
        } else if (filter instanceof Filter.Not not) {
            collectFields(not.filter(), names);
        } else if (filter instanceof Filter.Some some && some.where() != null) {
            collectFields(some.where(), names);
        } else if (filter instanceof Filter.None none && none.where() != null) {
            collectFields(none.where(), names);
        } else if (filter instanceof Filter.Count count && count.where() != null) {
            collectFields(count.where(), names);
        }
    }
}
