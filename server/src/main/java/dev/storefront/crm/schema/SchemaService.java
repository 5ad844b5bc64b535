package dev.storefront.crm.schema;

import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SchemaStore;
import dev.storefront.crm.storage.Transaction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Owns the model: applies {@link SchemaChange}s (metadata rows and DDL in one transaction), keeps
 * the current {@link MetadataSnapshot}, and hands each new one to its listeners after commit, on
 * the changing thread, so the GraphQL schema is rebuilt before the changing request returns.
 */
public class SchemaService {

    private final DuckDb db;
    private final SchemaStore store;
    private final SchemaChangeApplier applier;
    private final List<Consumer<MetadataSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final List<StepInTransaction> steps = new CopyOnWriteArrayList<>();
    private final AtomicReference<MetadataSnapshot> current;
    private final Object changeLock = new Object();

    public SchemaService(DuckDb db, SchemaStore store, SchemaChangeApplier applier) {
        this.db = db;
        this.store = store;
        this.applier = applier;
        this.current = new AtomicReference<>(db.write(tx -> {
            store.createMetadataTables(tx);
            return store.load(tx, 1);
        }));
    }

    public MetadataSnapshot current() {
        return current.get();
    }

    /** Called with every new snapshot, in order; a listener added late should read {@link #current()} first. */
    public void addListener(Consumer<MetadataSnapshot> listener) {
        listeners.add(listener);
    }

    /** Work done inside every model change's transaction, after its DDL, e.g. backfilling computed fields. */
    public interface StepInTransaction {
        void run(Transaction tx, MetadataSnapshot before, MetadataSnapshot after);
    }

    public void addStepInTransaction(StepInTransaction step) {
        steps.add(step);
    }

    public MetadataSnapshot apply(SchemaChange change) {
        return apply(List.of(change));
    }

    /** Applies all changes or none; returns the snapshot that includes them. */
    public MetadataSnapshot apply(List<SchemaChange> changes) {
        if (changes.isEmpty()) {
            return current();
        }
        synchronized (changeLock) {
            MetadataSnapshot before = current.get();
            MetadataSnapshot after = db.write(tx -> {
                MetadataSnapshot working = before;
                Set<String> touched = new LinkedHashSet<>();
                for (SchemaChange change : changes) {
                    working = applier.apply(tx, working, change, touched);
                }
                List<ObjectDef> objects = working.objects();
                for (String name : touched) {
                    if (working.find(name).isPresent()) {
                        store.saveObject(tx, working.object(name), objects.indexOf(working.object(name)));
                    } else {
                        store.deleteObjectRows(tx, name);
                    }
                }
                MetadataSnapshot changed = working.withVersion(before.version() + 1);
                steps.forEach(step -> step.run(tx, before, changed));
                return changed;
            });
            current.set(after);
            listeners.forEach(listener -> listener.accept(after));
            return after;
        }
    }
}
