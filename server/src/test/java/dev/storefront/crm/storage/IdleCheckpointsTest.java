package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.storage.sql.SqlBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large write's commit leaves its log to the server's checkpoint once writes pause, instead of
 * checkpointing inside the commit; the data is in the file after that checkpoint, and in the log before it.
 */
class IdleCheckpointsTest {

    private static final long MB = 1L << 20;
    private static final Checkpoints WHEN_IDLE = new Checkpoints(Duration.ofMillis(200), MB, 1024 * MB);

    @TempDir
    Path dir;

    private static long sum(DuckDb db) {
        return db.read(tx -> tx.query(new SqlBuilder().sql("SELECT sum(\"v\") FROM \"t\"").build(), row -> row.getLong(1))).get(0);
    }

    /** 1,000,000 rows, then each one's value changed in one transaction: a log of ~10 MB, past DuckDB's own threshold of 16 MiB at 2M. */
    private static void writeMuch(DuckDb db) {
        db.write(tx -> tx.update(new SqlBuilder().sql("CREATE TABLE \"t\" AS SELECT range AS \"id\", 0 AS \"v\" FROM range(1000000)").build()));
        db.write(tx -> tx.update(new SqlBuilder().sql("UPDATE \"t\" SET \"v\" = \"id\" % 7").build()));
    }

    @Test
    void theCommitLeavesItsLogAndThePauseCheckpointsIt() throws InterruptedException {
        Path file = dir.resolve("crm.duckdb");
        long expected = 0;
        for (long id = 0; id < 1_000_000; id++) {
            expected += id % 7;
        }
        try (DuckDb db = new DuckDb(file, DuckDb.Limits.DEFAULT, WHEN_IDLE)) {
            assertThat(db.read(tx -> tx.query(new SqlBuilder().sql("SELECT current_setting('checkpoint_threshold')::VARCHAR").build(),
                    row -> row.getString(1))).get(0)).isEqualTo("1.0 GiB");
            writeMuch(db);
            assertThat(db.logSize()).isGreaterThan(MB);
            try (IdleCheckpoints checkpoints = new IdleCheckpoints(db, WHEN_IDLE)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (db.logSize() >= MB && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            assertThat(db.logSize()).isLessThan(MB);
            assertThat(sum(db)).isEqualTo(expected);
        }
        try (DuckDb reopened = new DuckDb(file)) {
            assertThat(sum(reopened)).isEqualTo(expected);
        }
    }

    @Test
    void noCheckpointWhileWritesGoOnOrBelowTheLogSize() {
        try (DuckDb db = new DuckDb(dir.resolve("crm.duckdb"), DuckDb.Limits.DEFAULT, WHEN_IDLE)) {
            writeMuch(db);
            assertThat(db.checkpointIfIdle(Duration.ofMinutes(1), MB)).isFalse();
            assertThat(db.checkpointIfIdle(Duration.ZERO, 1024 * MB)).isFalse();
            assertThat(db.logSize()).isGreaterThan(MB);
            assertThat(db.checkpointIfIdle(Duration.ZERO, MB)).isTrue();
            assertThat(db.logSize()).isLessThan(MB);
        }
    }
}
