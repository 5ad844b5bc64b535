package dev.storefront.crm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {

    @Test
    void printsBothRunsMediansTheirQuotientAndEachRunsRatio(@TempDir Path folder) throws Exception {
        Path a = Files.writeString(folder.resolve("a.json"), """
                {"scale": "quick", "startedAt": "2026-11-26T05:57:50Z", "rows": [
                  {"work": "customer by id", "unit": "ms", "ours": {"median": 40.0}, "sql": {"median": 4.0}, "ratio": 10.0},
                  {"work": "only in A", "unit": "ms", "ours": {"median": 5.0}, "sql": null, "ratio": null}]}""");
        Path b = Files.writeString(folder.resolve("b.json"), """
                {"scale": "quick", "startedAt": "2026-11-26T06:10:00Z", "rows": [
                  {"work": "customer by id", "unit": "ms", "ours": {"median": 10.0}, "sql": {"median": 2.0}, "ratio": 5.0},
                  {"work": "CSV export of all customers (rows/s)", "unit": "/s", "ours": {"median": 100000.0}, "sql": null, "ratio": null}]}""");

        String table = Compare.table(a, b);

        assertThat(table.lines().toList()).containsSubsequence(
                "A: " + a + " (quick, started 2026-11-26T05:57:50Z)",
                "B: " + b + " (quick, started 2026-11-26T06:10:00Z)",
                String.format("%-62s | %12s | %12s | %6s | %8s | %8s", "customer by id", "40.0 ms", "10.0 ms", "0.25", "10.00", "5.00"),
                String.format("%-62s | %12s | %12s | %6s | %8s | %8s", "only in A", "5.00 ms", "-", "-", "-", "-"),
                String.format("%-62s | %12s | %12s | %6s | %8s | %8s", "CSV export of all customers (rows/s)", "-", "100,000 /s", "-", "-", "-"));
    }

    @Test
    void onlyKeepsTheRowsWhoseNameContainsAChosenText() {
        Options options = Options.parse(new String[] {"--quick", "--only", "Customer By Id, last 5 orders"});
        assertThat(options.wanted(Report.ONE)).isTrue();
        assertThat(options.wanted(Report.BURST)).isTrue();
        assertThat(options.wanted(Report.ORDERS)).isTrue();
        assertThat(options.wanted(Report.FILTER)).isFalse();
        assertThat(Options.parse(new String[0]).wanted(Report.FILTER)).isTrue();
    }
}
