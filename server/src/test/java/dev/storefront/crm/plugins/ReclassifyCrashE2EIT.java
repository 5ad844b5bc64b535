package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reclassification against a real crash: the server jar with the segmentation plugin is killed with
 * SIGKILL while the reclassify job runs on a store of 60,000 customers, and started again on the same
 * database. The job then says INTERRUPTED, and the store holds either none of the run's moves or all
 * of them: the customers' segments and their {@code segment_changes} rows are committed together.
 * Running the job again finishes the work.
 */
class ReclassifyCrashE2EIT {

    private static final String RUN = "mutation { runJob(plugin: \"segmentation\", job: \"reclassify\", "
            + "args: \"{\\\"asOf\\\": \\\"2026-06-30\\\"}\") { id } }";
    private static final String SEGMENTS = "SELECT CAST(customer_segment AS VARCHAR) AS segment, count(*) AS n "
            + "FROM customers GROUP BY 1 ORDER BY 1 NULLS FIRST";
    private static final String CHANGES = "SELECT count(*) FROM segment_changes";

    @Test
    void aKilledReclassificationLeavesAllOrNoneOfItsMovesAndRunsAgain() throws Exception {
        Path home = TestFolders.create("crm-reclassify-crash");
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.copy(TestPlugins.bundledJar("segmentation"), plugins.resolve("segmentation.jar"));
        List<String> arguments = List.of("--crm.database=" + home.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(), "--crm.plugins-dir=" + plugins,
                "--crm.demo=true", "--crm.demo-store.customers=60000");
        Path log = Path.of("target", "reclassify-crash-server.log");

        CrmProcess server = CrmProcess.start(log, arguments);
        List<List<Object>> before;
        String jobId;
        try {
            before = server.sql(SEGMENTS);
            assertThat(count(server.sql(CHANGES))).isZero();
            jobId = id(server.graphQl(RUN, Map.of()), "runJob");
            awaitState(server, jobId, "RUNNING");
        } finally {
            server.kill();
        }

        server = CrmProcess.start(log, arguments);
        try {
            assertThat(state(server, jobId)).isEqualTo("INTERRUPTED");
            List<List<Object>> afterCrash = server.sql(SEGMENTS);
            long changesAfterCrash = count(server.sql(CHANGES));

            String again = id(server.graphQl(RUN, Map.of()), "runJob");
            awaitState(server, again, "SUCCEEDED");
            List<List<Object>> classified = server.sql(SEGMENTS);
            long changes = count(server.sql(CHANGES));
            if (changesAfterCrash == 0) {
                // Nothing of the killed run is there: the segments are as before, and the second run made every move.
                assertThat(afterCrash).isEqualTo(before);
                assertThat(changes).isPositive();
            } else {
                // The killed run committed whole before the kill: every segment moved with it, the second run moved none.
                assertThat(afterCrash).isEqualTo(classified);
                assertThat(changes).isEqualTo(changesAfterCrash);
            }
        } finally {
            server.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static String id(Map<String, Object> data, String field) {
        return (String) ((Map<String, Object>) data.get(field)).get("id");
    }

    @SuppressWarnings("unchecked")
    private static String state(CrmProcess server, String jobId) throws Exception {
        return (String) ((Map<String, Object>) server.graphQl("query($id: ID!) { job(id: $id) { state } }", Map.of("id", jobId))
                .get("job")).get("state");
    }

    private static void awaitState(CrmProcess server, String jobId, String wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String state = state(server, jobId);
        while (!state.equals(wanted)) {
            assertThat(System.nanoTime()).as("job %s still %s", jobId, state).isLessThan(deadline);
            assertThat(state).as("job %s", jobId).isIn("QUEUED", "RUNNING");
            Thread.sleep(10);
            state = state(server, jobId);
        }
    }

    private static long count(List<List<Object>> rows) {
        return ((Number) rows.get(0).get(0)).longValue();
    }
}
