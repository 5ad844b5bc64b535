package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.errors.ConflictException;
import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB refuses a checkpoint while a read that began before the latest committed change runs (it
 * keeps that change's transaction for the read): a backup taken then waits for the read instead of
 * failing with DuckDB's wording, and one that cannot wait long enough says why and leaves no file.
 */
class BackupWaitsForReadsTest {

    @TempDir
    Path dir;
    private DuckDb db;
    private final CountDownLatch readStarted = new CountDownLatch(1);
    private final CountDownLatch readMayEnd = new CountDownLatch(1);

    @BeforeEach
    void open() {
        db = new DuckDb(dir.resolve("crm.duckdb"), new DuckDb.Limits("256MB", 1, null));
        db.write(tx -> tx.update(new SqlBuilder().sql("CREATE TABLE \"stock\" (\"sku\" VARCHAR, \"units\" BIGINT)").build()));
        db.write(tx -> tx.update(new SqlBuilder().sql("INSERT INTO \"stock\" VALUES ('A-1', 10), ('B-2', 20)").build()));
    }

    @AfterEach
    void close() {
        readMayEnd.countDown();
        db.close();
    }

    /** A read in one transaction (as an export runs) that has read once and waits to be let go. */
    private CompletableFuture<Long> longRead() throws InterruptedException {
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> db.snapshot(tx -> {
            long units = tx.query(new SqlBuilder().sql("SELECT sum(\"units\") FROM \"stock\"").build(), row -> row.getLong(1)).get(0);
            readStarted.countDown();
            try {
                readMayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return units;
        }));
        assertThat(readStarted.await(10, TimeUnit.SECONDS)).isTrue();
        return read;
    }

    private void setUnits(String sku, long units) {
        db.write(tx -> tx.update(new SqlBuilder().sql("UPDATE \"stock\" SET \"units\" = ").bind(units).sql(" WHERE \"sku\" = ").bind(sku).build()));
    }

    @Test
    void aBackupWaitsForAnOlderReadAndLetsWritesThroughMeanwhile() throws Exception {
        CompletableFuture<Long> read = longRead();
        setUnits("A-1", 11);
        Path target = dir.resolve("backups").resolve("during-read.duckdb");
        CompletableFuture<Void> backup = CompletableFuture.runAsync(() -> db.backup(target, Duration.ofSeconds(30)));

        Thread.sleep(300);
        assertThat(backup).isNotDone();
        setUnits("B-2", 22);
        assertThat(backup).isNotDone();

        readMayEnd.countDown();
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(30L);
        backup.get(30, TimeUnit.SECONDS);
        try (DuckDb copy = new DuckDb(target, new DuckDb.Limits("256MB", 1, null))) {
            List<String> rows = copy.read(tx -> tx.query(new SqlBuilder().sql("SELECT \"sku\" || '=' || \"units\" FROM \"stock\" ORDER BY \"sku\"").build(),
                    row -> row.getString(1)));
            assertThat(rows).containsExactly("A-1=11", "B-2=22");
        }
    }

    @Test
    void aBackupThatCannotWaitLongEnoughSaysWhyAndLeavesNoFile() throws Exception {
        longRead();
        setUnits("A-1", 12);
        Path target = dir.resolve("backups").resolve("too-soon.duckdb");

        assertThatThrownBy(() -> db.backup(target, Duration.ofSeconds(1)))
                .isInstanceOf(ConflictException.class)
                .hasMessage("The backup could not start: a read that began before the latest change (an export or a long report)"
                        + " has run for more than 1 s since; try again once it has finished");
        assertThat(target).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(path -> path.getFileName().toString())).doesNotContain("backups");
        }
        readMayEnd.countDown();
    }
}
