package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.storage.sql.SqlBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB gets the memory and spill folder it is given, and without settings a share of this machine, never its own 80% of RAM. */
class DuckDbLimitsTest {

    @TempDir
    Path dir;

    private static String setting(DuckDb db, String name) {
        return db.read(tx -> tx.query(new SqlBuilder().sql("SELECT current_setting(").bind(name).sql(")::VARCHAR").build(),
                row -> row.getString(1))).get(0);
    }

    @Test
    void givenLimitsAreApplied() {
        try (DuckDb db = new DuckDb(dir.resolve("crm.duckdb"), new DuckDb.Limits("1GiB", 1, dir.resolve("spill")))) {
            assertThat(setting(db, "memory_limit")).isEqualTo("1.0 GiB");
            assertThat(setting(db, "temp_directory")).isEqualTo(dir.resolve("spill").toAbsolutePath().toString());
            assertThat(setting(db, "threads")).isEqualTo("1");
        }
    }

    @Test
    void withoutSettingsHalfOfWhatTheHeapLeavesAndAFolderBesideTheDatabase() {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        long expectedMb = Math.max(256, (machine - Runtime.getRuntime().maxMemory()) / 2 / (1024 * 1024));
        try (DuckDb db = new DuckDb(dir.resolve("crm.duckdb"));
             DuckDb sameLimit = new DuckDb(dir.resolve("other.duckdb"), new DuckDb.Limits(expectedMb + "MB", 0, null))) {
            assertThat(setting(db, "memory_limit")).isEqualTo(setting(sameLimit, "memory_limit"));
            assertThat(setting(db, "temp_directory")).isEqualTo(dir.resolve("crm.duckdb").toAbsolutePath() + ".tmp");
        }
    }
}
