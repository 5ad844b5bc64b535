package dev.storefront.crm.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.api.query.Selection;
import dev.storefront.crm.storage.sql.DuckDbDialect;
import dev.storefront.crm.storage.sql.Sql;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expressions plugins take from the host, run by DuckDB and checked against java.time. */
class DuckDbDialectTest {

    private static final DuckDbDialect DIALECT = DuckDbDialect.INSTANCE;

    /** Around local midnights, daylight-saving changes and month ends, and before 1970. */
    private static final List<OffsetDateTime> TIMES = List.of(
            OffsetDateTime.parse("2024-01-31T22:59:59.999999Z"), OffsetDateTime.parse("2024-01-31T23:00:00Z"),
            OffsetDateTime.parse("2024-01-31T23:30:00Z"), OffsetDateTime.parse("2024-02-01T04:59:59Z"),
            OffsetDateTime.parse("2024-02-01T05:00:00Z"), OffsetDateTime.parse("2024-03-30T23:00:00Z"),
            OffsetDateTime.parse("2024-03-31T00:59:59Z"), OffsetDateTime.parse("2024-03-31T01:00:00Z"),
            OffsetDateTime.parse("2024-03-31T22:00:00Z"), OffsetDateTime.parse("2024-03-31T21:59:59Z"),
            OffsetDateTime.parse("2024-10-26T22:00:00Z"), OffsetDateTime.parse("2024-10-27T00:59:59Z"),
            OffsetDateTime.parse("2024-10-27T23:00:00Z"), OffsetDateTime.parse("2024-11-03T04:00:00Z"),
            OffsetDateTime.parse("2024-11-03T05:00:00Z"), OffsetDateTime.parse("2024-12-31T23:59:59Z"),
            OffsetDateTime.parse("1969-12-31T23:00:00Z"), OffsetDateTime.parse("1969-12-31T22:59:59Z"),
            OffsetDateTime.parse("1965-06-15T12:00:00Z"));

    @Test
    void localDayIsTheDateJavaTimeGivesInTheZone(@TempDir Path dir) {
        try (DuckDb db = new DuckDb(dir.resolve("t.duckdb"))) {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < TIMES.size(); i++) {
                values.append(i == 0 ? "" : ", ").append("(" + i + ", ?::TIMESTAMPTZ)");
            }
            db.write(tx -> tx.update(new Sql("CREATE TABLE t AS SELECT * FROM (VALUES " + values + ") v(i, ts)", List.copyOf(TIMES))));
            BoundSelect sql = new BoundSelect();
            for (String zoneName : List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")) {
                ZoneId zone = ZoneId.of(zoneName);
                Instant from = TIMES.stream().map(OffsetDateTime::toInstant).min(Instant::compareTo).orElseThrow();
                Selection day = DIALECT.localDay("ts", zone, from, Instant.parse("2025-01-01T00:00:00Z"));
                List<Map<String, Object>> rows = db.read(tx -> sql.select(tx, "SELECT " + day.sql() + " AS d FROM t ORDER BY i",
                        day.parameters().toArray()));
                List<String> expected = new ArrayList<>();
                List<String> actual = new ArrayList<>();
                for (int i = 0; i < TIMES.size(); i++) {
                    expected.add(TIMES.get(i) + " " + TIMES.get(i).atZoneSameInstant(zone).toLocalDate());
                    actual.add(TIMES.get(i) + " " + LocalDate.ofEpochDay(((Number) rows.get(i).get("d")).longValue()));
                }
                assertThat(actual).as(zoneName).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void dayNumberAndSmallest(@TempDir Path dir) {
        try (DuckDb db = new DuckDb(dir.resolve("t.duckdb"))) {
            BoundSelect sql = new BoundSelect();
            List<Map<String, Object>> days = db.read(tx -> sql.select(tx, "SELECT " + DIALECT.dayNumber("CAST(? AS DATE)") + " AS d",
                    LocalDate.parse("1969-12-31")));
            assertThat(((Number) days.get(0).get("d")).longValue()).isEqualTo(-1);
            // Group 1: 5 twice (counted apart), a null left out, 20 filtered out; group 2: one value besides the null; group 3: none.
            List<Map<String, Object>> second = db.read(tx -> sql.select(tx, "SELECT g, " + DIALECT.element("s", 2) + " AS s FROM (SELECT g, "
                    + DIALECT.smallest("v + ?", 2) + " FILTER (WHERE v < ?) AS s FROM (VALUES (1, 5), (1, NULL), (1, 20), (1, 5), (1, 7), (2, 3), "
                    + "(2, NULL), (3, NULL)) t(g, v) GROUP BY g) ORDER BY g", 0, 10));
            assertThat(second).extracting(row -> row.get("s") == null ? null : ((Number) row.get("s")).longValue()).containsExactly(5L, null, null);
        }
    }
}
