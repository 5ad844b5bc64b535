package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storefront.crm.errors.CrmException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins' read-only SQL: one SELECT with bound parameters, nothing else. */
class BoundSelectTest {

    @Test
    void runsOneSelectAndRefusesEverythingElse(@TempDir Path dir) {
        try (DuckDb db = new DuckDb(dir.resolve("t.duckdb"))) {
            db.write(tx -> tx.update(new dev.storefront.crm.storage.sql.Sql("CREATE TABLE t AS SELECT 1 AS a, 'x' AS b", java.util.List.of())));
            BoundSelect sql = new BoundSelect();
            java.util.List<java.util.Map<String, Object>> rows = db.read(tx -> sql.select(tx, "SELECT a, b FROM t WHERE a = ?", 1));
            assertThat(rows).containsExactly(java.util.Map.of("a", 1, "b", "x"));
            for (String refused : new String[] {"DELETE FROM t", "DROP TABLE t", "SELECT 1; DROP TABLE t", "INSERT INTO t VALUES (2, 'y')",
                    "not sql at all"}) {
                assertThatThrownBy(() -> db.read(tx -> sql.select(tx, refused))).as(refused)
                        .isInstanceOf(CrmException.class).hasMessage("Only one SELECT statement is allowed");
            }
            java.util.List<java.util.Map<String, Object>> count = db.read(tx -> sql.select(tx, "SELECT count(*) AS n FROM t"));
            assertThat(count).containsExactly(java.util.Map.of("n", 1L));
        }
    }
}
