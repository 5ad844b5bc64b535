package dev.storefront.crm.schema;

import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SchemaStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Owns the model. Every change, from the GraphQL metadata mutations, the YAML at start or a plugin,
 * goes one way, under one lock and inside one write transaction: check it and run its DDL against
 * a working copy of the model, let every {@link ModelStage} build from that candidate (the GraphQL
 * schema: a name clash refuses the change here), save the metadata rows, commit, and only then make
 * the candidate current and swap what the stages built. The new model is current before the write
 * lock is released, so every write that commits after a change is checked against it.
 */
public class SchemaService {

    private final DuckDb db;
    private final SchemaStore store;
    private final SchemaChangeApplier applier;
    private final List<ModelStage> stages = new CopyOnWriteArrayList<>();
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

    /** Takes part in every later change; a stage added late builds from {@link #current()} first. */
    public void addStage(ModelStage stage) {
        stages.add(stage);
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
            return db.write(tx -> {
                MetadataSnapshot working = before;
                Set<String> touched = new LinkedHashSet<>();
                for (SchemaChange change : changes) {
                    working = applier.apply(tx, working, change, touched);
                }
                MetadataSnapshot candidate = working.withVersion(before.version() + 1);
                List<Runnable> swaps = stages.stream().map(stage -> stage.prepare(candidate)).toList();
                List<ObjectDef> objects = candidate.objects();
                for (String name : touched) {
                    if (candidate.find(name).isPresent()) {
                        store.saveObject(tx, candidate.object(name), objects.indexOf(candidate.object(name)));
                    } else {
                        store.deleteObjectRows(tx, name);
                    }
                }
                tx.afterCommit(() -> {
                    current.set(candidate);
                    swaps.forEach(Runnable::run);
                });
                return candidate;
            });
        }
    }
}
