package dev.storefront.crm.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.schema.FieldPatch;
import dev.storefront.crm.schema.FieldSpec;
import dev.storefront.crm.schema.SchemaChange;
import graphql.schema.GraphQLInputObjectType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model changes while a schema is being built: writes are not held up by the build, changes that
 * arrive meanwhile are checked and built together once, and each caller still gets its own answer.
 * A gate stage holds the first build open until the test has set up what happens during it, so no
 * step depends on timing; every wait has a deadline.
 */
class ModelChangeBatchesIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    /** A stage after the GraphQL one: counts the candidates that got that far and holds the first open. */
    private static final class Gate {
        final AtomicInteger builds = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Runnable prepare(MetadataSnapshot candidate) {
            if (builds.incrementAndGet() == 1) {
                entered.countDown();
                await(release);
            }
            return () -> { };
        }
    }

    @Test
    void writesCommitWhileASchemaIsBeingBuilt() throws Exception {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(text("Title"))));
            Gate gate = new Gate();
            parts.schema.addStage(gate::prepare);

            CompletableFuture<MetadataSnapshot> change = CompletableFuture.supplyAsync(
                    () -> parts.schema.apply(new SchemaChange.AddField("notes", integer("Priority"))));
            await(gate.entered);
            CompletableFuture<Entry> write = CompletableFuture.supplyAsync(() -> parts.entries.create(
                    parts.schema.current().object("notes"), Map.of("title", "written during the build")));
            Entry written = write.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(change).isNotDone();
            gate.release.countDown();
            MetadataSnapshot after = change.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            assertThat(written.values()).containsEntry("title", "written during the build");
            assertThat(after.object("notes").fields()).extracting(FieldDef::apiName).containsExactly("title", "priority");
            assertThat(parts.entries.count(after.object("notes"))).isEqualTo(1);
            assertThat(inputFields(parts, "NoteCreateInput")).containsExactly("title", "priority");
        }
    }

    @Test
    void changesArrivingDuringABuildAreBuiltOnceAndAnsweredEachOnItsOwn() throws Exception {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(text("Title"))));
            long startVersion = parts.schema.current().version();
            Gate gate = new Gate();
            parts.schema.addStage(gate::prepare);

            CompletableFuture<MetadataSnapshot> first = CompletableFuture.supplyAsync(
                    () -> parts.schema.apply(new SchemaChange.AddField("notes", integer("Priority"))));
            await(gate.entered);
            List<String> labels = List.of("Mood One", "Mood Two", "Mood Three", "Mood Four", "Mood Five");
            List<FutureTask<MetadataSnapshot>> queued = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (String label : labels) {
                queued.add(new FutureTask<>(() -> parts.schema.apply(new SchemaChange.AddField("notes", text(label)))));
            }
            // Refused by the checks (the name is taken): answered alone, the others go ahead.
            FutureTask<MetadataSnapshot> duplicate = new FutureTask<>(
                    () -> parts.schema.apply(new SchemaChange.AddField("notes", text("Title"))));
            queued.add(duplicate);
            for (FutureTask<MetadataSnapshot> task : queued) {
                Thread thread = new Thread(task);
                threads.add(thread);
                thread.start();
            }
            waitUntilAllWaitForTheModel(threads);
            gate.release.countDown();

            first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < labels.size(); i++) {
                MetadataSnapshot answer = queued.get(i).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(answer.object("notes").field(labels.get(i).toLowerCase().replace(' ', '_'))).isPresent();
            }
            assertThat(errorOf(duplicate).code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(errorOf(duplicate).getMessage()).contains("title");

            assertThat(gate.builds).hasValue(2);
            MetadataSnapshot now = parts.schema.current();
            assertThat(now.version()).isEqualTo(startVersion + 2);
            assertThat(now.object("notes").fields()).extracting(FieldDef::apiName).containsExactlyInAnyOrder(
                    "title", "priority", "mood_one", "mood_two", "mood_three", "mood_four", "mood_five");
            assertThat(inputFields(parts, "NoteCreateInput")).containsExactlyInAnyOrder(
                    "title", "priority", "moodOne", "moodTwo", "moodThree", "moodFour", "moodFive");
        }
    }

    /**
     * A batch is checked without its table changes only when no change checks data an earlier one
     * wrote. A field added with a default and made unique in one batch is tried with the fill, so
     * the two equal defaults are found; an object created in the batch holds no rows, so its fields
     * are made required and unique at once without reading a table it does not have yet (the YAML
     * of a new store is such a batch).
     */
    @Test
    void aBatchChecksWhatItsEarlierChangesWroteAndReadsNoTableItCreates() {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(text("Title"))));
            parts.entries.create(parts.schema.current().object("notes"), Map.of("title", "first"));
            parts.entries.create(parts.schema.current().object("notes"), Map.of("title", "second"));
            long version = parts.schema.current().version();

            assertThatThrownBy(() -> parts.schema.apply(List.of(
                    new SchemaChange.AddField("notes", new FieldSpec("Priority", null, FieldKind.INTEGER, false, false, 1L,
                            null, null, null)),
                    new SchemaChange.UpdateField("notes", "priority", new FieldPatch(null, null, null, null, true, null, false,
                            null, null)))))
                    .isInstanceOf(CrmException.class)
                    .hasMessage("notes.priority cannot become unique: these values are held by more than one entry: 1");
            assertThat(parts.schema.current().version()).isEqualTo(version);

            MetadataSnapshot after = parts.schema.apply(List.of(
                    new SchemaChange.CreateObject("labels", "Label", "Labels", null, List.of(text("Name"))),
                    new SchemaChange.AddField("labels", new FieldSpec("Note", null, FieldKind.RELATION, true, false, null, null,
                            "notes", null)),
                    new SchemaChange.UpdateField("labels", "name", new FieldPatch(null, null, null, true, true, null, false,
                            null, null))));
            assertThat(after.version()).isEqualTo(version + 1);
            assertThat(after.object("labels").fields()).extracting(FieldDef::apiName, FieldDef::required, FieldDef::unique)
                    .containsExactly(tuple("name", true, true), tuple("note", true, false));
            assertThat(parts.entries.count(after.object("labels"))).isZero();
        }
    }

    @Test
    void aChangeTheBuildRefusesInABatchIsRefusedAloneAndTheOthersCommit() throws Exception {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(new SchemaChange.CreateObject("orders", "Order", "Orders", null, List.of(
                    new FieldSpec("Status", null, FieldKind.ENUM, false, false, null, List.of("Open", "Paid"), null, null))));
            Gate gate = new Gate();
            parts.schema.addStage(gate::prepare);

            CompletableFuture<MetadataSnapshot> first = CompletableFuture.supplyAsync(
                    () -> parts.schema.apply(new SchemaChange.AddField("orders", text("Note"))));
            await(gate.entered);
            // order_statuses would generate the type OrderStatus, the enum of orders.status.
            FutureTask<MetadataSnapshot> clash = new FutureTask<>(() -> parts.schema.apply(new SchemaChange.CreateObject(
                    "order_statuses", "Order Status", "Order Statuses", null, List.of(text("Label")))));
            FutureTask<MetadataSnapshot> fine = new FutureTask<>(
                    () -> parts.schema.apply(new SchemaChange.AddField("orders", integer("Lines"))));
            List<Thread> threads = List.of(new Thread(clash), new Thread(fine));
            threads.forEach(Thread::start);
            waitUntilAllWaitForTheModel(threads);
            gate.release.countDown();

            first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            MetadataSnapshot answer = fine.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.object("orders").fields()).extracting(FieldDef::apiName).containsExactly("status", "note", "lines");
            assertThat(errorOf(clash).code()).isEqualTo(ErrorCode.VALIDATION);
            assertThat(errorOf(clash).getMessage()).contains("OrderStatus");
            assertThat(parts.schema.current().find("order_statuses")).isEmpty();
            // The first change, then "lines" alone: the batch and the clash alone stopped at the GraphQL stage.
            assertThat(gate.builds).hasValue(2);
            assertThat(inputFields(parts, "OrderCreateInput")).containsExactly("status", "note", "lines");
        }
    }

    /**
     * A lone change is checked by reads alone: its checks and its build go ahead while another
     * transaction holds the write lock, and only its commit (where its DDL runs, once) waits for it.
     */
    @Test
    void aLoneChangeIsCheckedAndBuiltWhileAWriteHoldsTheLock() throws Exception {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(text("Title"))));
            Gate gate = new Gate();
            parts.schema.addStage(gate::prepare);
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CompletableFuture<Entry> write = CompletableFuture.supplyAsync(() -> parts.db.write(tx -> {
                Entry entry = parts.entries.create(parts.schema.current().object("notes"), Map.of("title", "held"));
                writing.countDown();
                await(finish);
                return entry;
            }));
            await(writing);

            CompletableFuture<MetadataSnapshot> change = CompletableFuture.supplyAsync(
                    () -> parts.schema.apply(new SchemaChange.AddField("notes", integer("Priority"))));
            await(gate.entered);
            assertThat(write).isNotDone();
            gate.release.countDown();
            finish.countDown();

            assertThat(write.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).values()).containsEntry("title", "held");
            MetadataSnapshot after = change.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(after.object("notes").fields()).extracting(FieldDef::apiName).containsExactly("title", "priority");
            assertThat(String.valueOf(parts.execute("{ notes { nodes { title priority } } }").<Object>getData()))
                    .isEqualTo("{notes={nodes=[{title=held, priority=null}]}}");
        }
    }

    /**
     * The build runs beside the commit's transaction: a build that fails after the table change ran
     * (a step in the transaction lets the build go on only then) rolls it back. The model, the
     * schema and the stored entry are as they were, and the same field can then be added, which
     * DuckDB would refuse had the column stayed.
     */
    @Test
    void aBuildThatFailsAfterTheTableChangedBesideItLeavesNothingWritten() {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(text("Title"))));
            parts.entries.create(parts.schema.current().object("notes"), Map.of("title", "kept"));
            MetadataSnapshot before = parts.schema.current();
            CountDownLatch tableChanged = new CountDownLatch(1);
            parts.schema.addStepInTransaction((tx, was, next) -> tableChanged.countDown());
            AtomicInteger refusals = new AtomicInteger();
            parts.schema.addStage(candidate -> {
                if (candidate.object("notes").field("priority").isPresent() && refusals.getAndIncrement() == 0) {
                    await(tableChanged);
                    throw new CrmException(ErrorCode.VALIDATION, "refused by the test's stage", Map.of());
                }
                return () -> { };
            });

            assertThatThrownBy(() -> parts.schema.apply(new SchemaChange.AddField("notes", integer("Priority"))))
                    .isInstanceOf(CrmException.class).hasMessage("refused by the test's stage");
            assertThat(parts.schema.current()).isSameAs(before);
            assertThat(inputFields(parts, "NoteCreateInput")).containsExactly("title");

            MetadataSnapshot after = parts.schema.apply(new SchemaChange.AddField("notes", integer("Priority")));
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(String.valueOf(parts.execute("{ notes { nodes { title priority } } }").<Object>getData()))
                    .isEqualTo("{notes={nodes=[{title=kept, priority=null}]}}");
        }
    }

    /**
     * A build that outlasts its commit's wait: the transaction rolls back, the write lock is released
     * (the build goes on only once it can take it), and the change is committed again after the
     * build, with what was asked to commit alongside it (an audit row, here an entry) written once.
     */
    @Test
    void aCommitMadeAgainAfterASlowBuildWritesWhatCommitsAlongsideItOnce() {
        try (ModelParts parts = new ModelParts(folder.resolve("crm.duckdb"))) {
            parts.schema.apply(new SchemaChange.CreateObject("notes", "Note", "Notes", null, List.of(text("Title"))));
            AtomicInteger attempts = new AtomicInteger();
            CountDownLatch committing = new CountDownLatch(1);
            parts.schema.addStepInTransaction((tx, was, next) -> {
                attempts.incrementAndGet();
                committing.countDown();
            });
            parts.schema.addStage(candidate -> {
                if (candidate.object("notes").field("priority").isPresent()) {
                    // Done only once the first commit holds the write lock and then lets it go.
                    await(committing);
                    parts.db.write(tx -> null);
                }
                return () -> { };
            });

            MetadataSnapshot after = parts.schema.withAlongside(tx -> parts.entries.create(
                    parts.schema.current().object("notes"), Map.of("title", "recorded alongside")),
                    () -> parts.schema.apply(new SchemaChange.AddField("notes", integer("Priority"))));

            assertThat(attempts).hasValue(2);
            assertThat(after.object("notes").fields()).extracting(FieldDef::apiName).containsExactly("title", "priority");
            assertThat(String.valueOf(parts.execute("{ notes { nodes { title priority } } }").<Object>getData()))
                    .isEqualTo("{notes={nodes=[{title=recorded alongside, priority=null}]}}");
        }
    }

    private static FieldSpec text(String label) {
        return new FieldSpec(label, null, FieldKind.TEXT, false, false, null, null, null, null);
    }

    private static FieldSpec integer(String label) {
        return new FieldSpec(label, null, FieldKind.INTEGER, false, false, null, null, null, null);
    }

    private static List<String> inputFields(ModelParts parts, String type) {
        return ((GraphQLInputObjectType) parts.graphQl.schema().getType(type)).getFieldDefinitions().stream()
                .map(field -> field.getName()).toList();
    }

    private static CrmException errorOf(FutureTask<MetadataSnapshot> task) throws Exception {
        try {
            task.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (CrmException) e.getCause();
        }
        throw new AssertionError("the change was accepted");
    }

    /** Each thread has queued its change and waits for the model lock the gated build holds. */
    private static void waitUntilAllWaitForTheModel(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!threads.stream().allMatch(thread -> thread.getState() == Thread.State.BLOCKED)) {
            assertThat(System.nanoTime()).as("threads waiting for the model lock").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("gate reached before the deadline").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
