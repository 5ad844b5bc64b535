package dev.storefront.crm.schema;

import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.storage.DuckDb;
import dev.storefront.crm.storage.SchemaStore;
import dev.storefront.crm.storage.Transaction;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the model. Every change, from the GraphQL metadata mutations, the YAML at start or a plugin,
 * goes one way:
 * <ol>
 *   <li>check: its data checks run, giving the candidate model: without the DDL and the write lock
 *       when no change checks data an earlier one of the batch wrote (a lone change, the YAML of a
 *       new store); otherwise with their DDL in a write transaction that is rolled back;</li>
 *   <li>build: every {@link ModelStage} builds from the candidate (the GraphQL schema: a name clash
 *       refuses the change here) on a thread of its own, beside the commit's transaction;</li>
 *   <li>commit: under the write lock the checks run again, against the data as it is now, then the
 *       DDL with the metadata rows; the transaction commits only once the build has succeeded (one
 *       that fails rolls it back; one still running soon after is waited for with the write lock
 *       released, so writes keep flowing during a long build, and the commit is made again). After
 *       the commit the candidate becomes current and what the stages built is swapped in, before
 *       the write lock is released, so every write that commits after a change is checked against it.</li>
 * </ol>
 * Changes that arrive while another is being built wait and are then checked and built together,
 * once; each caller still gets its own answer, and a change the checks refuse does not hold back
 * the others.
 */
public class SchemaService {

    private static final Logger log = LoggerFactory.getLogger(SchemaService.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final DuckDb db;
    private final SchemaStore store;
    private final SchemaChangeApplier applier;
    private final List<ModelStage> stages = new CopyOnWriteArrayList<>();
    private final List<StepInTransaction> steps = new CopyOnWriteArrayList<>();
    /** What the caller on this thread asked to commit with its changes ({@link #withAlongside}). */
    private static final ThreadLocal<Consumer<Transaction>> ALONGSIDE = new ThreadLocal<>();
    private final AtomicReference<MetadataSnapshot> current;
    /** Held by the one thread deciding model changes; only model changes wait for it. */
    private final Object changeLock = new Object();
    /** Changes asked for and not yet taken up by a deciding thread, in arrival order. */
    private final Queue<Request> waiting = new ConcurrentLinkedQueue<>();
    /** Written and read by the thread holding {@link #changeLock}. */
    private final Phases phases = new Phases();
    /**
     * How long a commit waits, with the write lock held, for the build that runs beside it: this,
     * or as long again as its table change took, which is what making the change again would cost.
     */
    private static final long OVERLAP_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    /** Runs the builds, one at a time; its thread ends when no change came for a while. */
    private final ExecutorService builder = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), work -> {
        Thread thread = new Thread(work, "model-build");
        thread.setDaemon(true);
        thread.setContextClassLoader(SchemaService.class.getClassLoader());
        return thread;
    });

    public SchemaService(DuckDb db, SchemaStore store, SchemaChangeApplier applier) {
        this.db = db;
        this.store = store;
        this.applier = applier;
        this.current = new AtomicReference<>(db.write(tx -> {
            store.createMetadataTables(tx);
            MetadataSnapshot stored = store.load(tx, 1);
            // A database made before object tables had indexes gains them here, once.
            store.syncIndexes(tx, stored.objects());
            return stored;
        }));
    }

    public MetadataSnapshot current() {
        return current.get();
    }

    /** Takes part in every later change; a stage added late builds from {@link #current()} first. */
    public void addStage(ModelStage stage) {
        stages.add(stage);
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

    /**
     * Runs {@code work} so that the model changes it applies on this thread also run {@code alongside}
     * in the transaction that commits them (once, however many changes {@code work} applies): a record
     * of the change, such as its audit row, then commits with it or not at all.
     */
    public <T> T withAlongside(Consumer<Transaction> alongside, Supplier<T> work) {
        Consumer<Transaction> earlier = ALONGSIDE.get();
        AtomicBoolean done = new AtomicBoolean();
        // Done once committed: a commit made again (its build outlasted it, or a check refused another
        // change of its batch) runs it again in the new transaction.
        ALONGSIDE.set(tx -> {
            if (!done.get()) {
                alongside.accept(tx);
                tx.afterCommit(() -> done.set(true));
            }
        });
        try {
            return work.get();
        } finally {
            ALONGSIDE.set(earlier);
        }
    }

    /** Applies all changes or none; returns the snapshot that includes them. */
    public MetadataSnapshot apply(List<SchemaChange> changes) {
        if (changes.isEmpty()) {
            return current();
        }
        Request request = new Request(changes, ALONGSIDE.get());
        waiting.add(request);
        synchronized (changeLock) {
            if (!request.answered()) {
                // Whoever holds the lock takes every change waiting: they are built once, together.
                List<Request> batch = new ArrayList<>();
                for (Request next = waiting.poll(); next != null; next = waiting.poll()) {
                    batch.add(next);
                }
                try {
                    decide(batch);
                } finally {
                    batch.forEach(Request::refuseIfOpen);
                }
            }
            return request.answer();
        }
    }

    /**
     * Checks, builds and commits a batch; when the build refuses it, each change is decided alone.
     * The build runs on its own thread while the commit's table changes run (on 2 cores an ALTER
     * TABLE of a million rows takes about as long as a small schema's build); the transaction
     * commits once the build has succeeded. A build not done soon after them ({@link #OVERLAP_NANOS})
     * is waited for with the write lock released: the transaction rolls back and is made again
     * once the build is done, so writes are never held up long by a large schema's build.
     */
    private void decide(List<Request> batch) {
        List<Request> open = new ArrayList<>(batch);
        while (!open.isEmpty()) {
            long started = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            MetadataSnapshot before = current.get();
            MetadataSnapshot candidate = check(before, open);
            if (candidate == null) {
                return;
            }
            long checked = System.nanoTime();
            CompletableFuture<Built> building = CompletableFuture.supplyAsync(() -> build(candidate), builder);
            try {
                Outcome outcome = commit(before, open, candidate, spent -> awaitBuild(building, Math.max(OVERLAP_NANOS, spent)));
                boolean overlapped = outcome != Outcome.BUILD_NOT_DONE;
                if (!overlapped) {
                    Built built = awaitBuild(building, Long.MAX_VALUE);
                    outcome = commit(before, open, candidate, spent -> built);
                }
                if (outcome == Outcome.COMMITTED) {
                    // Each phase's wall time, and the deciding thread's CPU: on a busy machine the figure
                    // that does not depend on the other work.
                    log.info("Model v{} decided in {} ms ({} ms CPU): checked in {} ms, built in {} ms {} the commit; {}",
                            candidate.version(), millis(System.nanoTime() - started),
                            millis(THREADS.getCurrentThreadCpuTime() - cpu), millis(checked - started),
                            millis(building.join().nanos()), overlapped ? "beside" : "before", phases);
                }
                if (outcome != Outcome.OTHERS_LEFT) {
                    return;
                }
            } catch (BuildRefused refused) {
                if (open.size() == 1) {
                    open.get(0).refuse(refused.reason);
                } else {
                    open.forEach(one -> decide(List.of(one)));
                }
                return;
            } finally {
                // Stages build one model at a time: a build left running by a refused commit ends first.
                building.exceptionally(e -> null).join();
            }
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** How a commit ended. */
    private enum Outcome {
        /** The candidate is current and every open request accepted. */
        COMMITTED,
        /** Nothing was written and no request is left open: the checks refused them all. */
        ALL_REFUSED,
        /** The checks now refuse one request, answered and dropped: the rest are checked and built again. */
        OTHERS_LEFT,
        /** The build outlasted the overlap: rolled back, and made again once the build is done. */
        BUILD_NOT_DONE
    }

    /** The wall and CPU time of the last commit's phases, from the start of its transaction to the swap. */
    private static final class Phases {
        private static final List<String> NAMES = List.of("table change", "rows", "build awaited", "commit", "swap");
        private final long[] wall = new long[NAMES.size() + 1];
        private final long[] cpu = new long[NAMES.size() + 1];
        private int marked;

        /** Marks the start of a transaction; each later {@link #mark} ends the next phase. */
        void begin() {
            marked = 0;
            mark();
        }

        void mark() {
            wall[marked] = System.nanoTime();
            cpu[marked] = THREADS.getCurrentThreadCpuTime();
            marked++;
        }

        @Override
        public String toString() {
            List<String> phases = new ArrayList<>();
            for (int i = 1; i < marked; i++) {
                phases.add(NAMES.get(i - 1) + " " + millis(wall[i] - wall[i - 1]) + " ms (" + millis(cpu[i] - cpu[i - 1]) + " CPU)");
            }
            return String.join(", ", phases);
        }
    }

    /** What every stage built from a candidate, and how long it took. */
    private record Built(List<Runnable> swaps, long nanos) {
    }

    private Built build(MetadataSnapshot candidate) {
        long started = System.nanoTime();
        List<Runnable> swaps = stages.stream().map(stage -> stage.prepare(candidate)).toList();
        return new Built(swaps, System.nanoTime() - started);
    }

    /**
     * The build once it succeeded; {@link BuildRefused} when it failed, {@link NotBuiltYet} when it
     * is still running after {@code nanos}.
     */
    private static Built awaitBuild(CompletableFuture<Built> building, long nanos) {
        try {
            return building.get(nanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException reason ? new BuildRefused(reason) : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new NotBuiltYet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the schema was being built", e);
        }
    }

    /** A stage refused the candidate: the change is refused with its reason and nothing is written. */
    private static final class BuildRefused extends RuntimeException {
        private final RuntimeException reason;

        BuildRefused(RuntimeException reason) {
            super(reason.getMessage(), reason, false, false);
            this.reason = reason;
        }
    }

    /** The build outlasted the overlap: the commit rolls back and is made again once the build is done. */
    private static final class NotBuiltYet extends RuntimeException {
        NotBuiltYet() {
            super("The schema is still being built", null, false, false);
        }
    }

    /**
     * The model after every open request, tried in a transaction that is rolled back. A request the
     * checks refuse is answered with its error and dropped; the rest are tried again without it.
     * Null when none is left.
     */
    private MetadataSnapshot check(MetadataSnapshot before, List<Request> open) {
        while (!open.isEmpty()) {
            int[] at = {0};
            try {
                // When no change checks data an earlier one of the batch wrote, the checks run without
                // the DDL, which then runs once, at the commit, and without the write lock: a lone
                // change, or the YAML of a new store. Otherwise the whole batch is tried and rolled back.
                if (checksReadOnlyStoredData(before, open)) {
                    return db.read(tx -> applyAll(tx, before, open, new SchemaChangeApplier.Scope(), at, SchemaChangeApplier.Mode.CHECK));
                }
                return db.trial(tx -> applyAll(tx, before, open, new SchemaChangeApplier.Scope(), at, SchemaChangeApplier.Mode.APPLY));
            } catch (RuntimeException e) {
                open.remove(at[0]).refuse(e);
            }
        }
        return null;
    }

    /**
     * True when each change's checks read only data as stored before the batch: a check reads the
     * table of the object it changes, unless the batch created that object (it holds no rows), so no
     * two changes may read one table that was there before.
     */
    private static boolean checksReadOnlyStoredData(MetadataSnapshot before, List<Request> open) {
        Set<String> created = new HashSet<>();
        Set<String> read = new HashSet<>();
        for (Request request : open) {
            for (SchemaChange change : request.changes) {
                String object = subject(change);
                if (change instanceof SchemaChange.CreateObject) {
                    created.add(String.valueOf(object));
                } else if (!created.contains(object) && before.find(object).isPresent() && !read.add(object)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The object a change is about; a creation's as it names it (null when derived from its label). */
    private static String subject(SchemaChange change) {
        if (change instanceof SchemaChange.CreateObject create) {
            return create.apiName();
        }
        if (change instanceof SchemaChange.AddField add) {
            return add.object();
        }
        if (change instanceof SchemaChange.UpdateField update) {
            return update.object();
        }
        if (change instanceof SchemaChange.DeleteField delete) {
            return delete.object();
        }
        return ((SchemaChange.DeleteObject) change).object();
    }

    /**
     * Commits the requests built into {@code candidate}. The model cannot move meanwhile (only the
     * holder of the change lock changes it), but the data can: the checks run again under the write
     * lock, and a request they now refuse (a duplicate written during the build, say) is answered
     * with its error and false returned, so the rest are built again without it. {@code build}, given
     * the time the transaction took so far, is asked for last, before the commit: a build that failed
     * or is not done (see {@link #awaitBuild}) rolls everything back.
     */
    private Outcome commit(MetadataSnapshot before, List<Request> open, MetadataSnapshot candidate,
                           LongFunction<Built> build) {
        int[] at = {0};
        try {
            db.write(tx -> {
                long began = System.nanoTime();
                phases.begin();
                SchemaChangeApplier.Scope scope = new SchemaChangeApplier.Scope();
                applyAll(tx, before, open, scope, at, SchemaChangeApplier.Mode.APPLY);
                phases.mark();
                Set<String> touched = scope.touched();
                at[0] = -1;
                store.saveObjects(tx, before, candidate, touched);
                steps.forEach(step -> step.run(tx, before, candidate));
                // Distinct: the changes of one withAlongside share it.
                open.stream().map(request -> request.alongside).filter(Objects::nonNull).distinct()
                        .forEach(alongside -> alongside.accept(tx));
                // After the backfills, which write faster into tables whose indexes the DDL dropped.
                store.syncIndexes(tx, before, candidate, touched);
                phases.mark();
                List<Runnable> swaps = build.apply(System.nanoTime() - began).swaps();
                phases.mark();
                tx.afterCommit(() -> {
                    phases.mark();
                    current.set(candidate);
                    swaps.forEach(Runnable::run);
                    phases.mark();
                });
                return candidate;
            });
        } catch (NotBuiltYet notYet) {
            return Outcome.BUILD_NOT_DONE;
        } catch (BuildRefused refused) {
            throw refused;
        } catch (RuntimeException e) {
            if (at[0] < 0) {
                open.forEach(request -> request.refuse(e));
                return Outcome.ALL_REFUSED;
            }
            open.remove(at[0]).refuse(e);
            return open.isEmpty() ? Outcome.ALL_REFUSED : Outcome.OTHERS_LEFT;
        }
        open.forEach(request -> request.accept(candidate));
        return Outcome.COMMITTED;
    }

    /** Runs every request's changes in order; {@code at} tells a failure's caller whose change it was. */
    private MetadataSnapshot applyAll(Transaction tx, MetadataSnapshot before, List<Request> requests,
                                      SchemaChangeApplier.Scope scope, int[] at, SchemaChangeApplier.Mode mode) {
        MetadataSnapshot working = before;
        for (int i = 0; i < requests.size(); i++) {
            at[0] = i;
            for (SchemaChange change : requests.get(i).changes) {
                working = applier.apply(tx, working, change, scope, mode);
            }
        }
        return working.withVersion(before.version() + 1);
    }

    /** One caller's changes and, once decided, its answer; written and read under the change lock. */
    private static final class Request {

        private final List<SchemaChange> changes;
        /** Written in the commit's transaction too, from {@link #withAlongside}; null when none. */
        private final Consumer<Transaction> alongside;
        private MetadataSnapshot result;
        private RuntimeException error;

        Request(List<SchemaChange> changes, Consumer<Transaction> alongside) {
            this.changes = changes;
            this.alongside = alongside;
        }

        boolean answered() {
            return result != null || error != null;
        }

        void accept(MetadataSnapshot snapshot) {
            result = snapshot;
        }

        void refuse(RuntimeException e) {
            error = e;
        }

        /** Answers a request the deciding thread left open because it failed unexpectedly. */
        void refuseIfOpen() {
            if (!answered()) {
                error = new IllegalStateException("The model change was not decided: deciding an earlier change failed");
            }
        }

        MetadataSnapshot answer() {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }
}
