package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across a SIGKILL: the real server jar runs the at-risk win-back sequence (email, wait
 * 7 days, email, wait 7 days, email; a day is 2 s here) for three customers, is killed while every
 * run waits after its first email, and started again on the same database. Each customer then has
 * each of the three emails exactly once.
 */
class WorkflowCrashE2EIT {

    private static final List<String> CUSTOMERS = List.of("Kim Kill", "Lee Lost", "Max Moved");
    private static final List<String> SUBJECTS = List.of("We miss you, %s", "Still thinking of you, %s", "A last note, %s");

    @Test
    @SuppressWarnings("unchecked")
    void aKilledServerSendsEachStepOfASequenceExactlyOnce() throws Exception {
        Mailbox smtp = new Mailbox();
        Path folder = TestFolders.create("crm-workflow-crash");
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        for (String id : List.of("segmentation", "workflows")) {
            Files.copy(TestPlugins.bundledJar(id), plugins.resolve(id + ".jar"));
        }
        List<String> arguments = List.of("--crm.database=" + folder.resolve("crm.duckdb"),
                "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(), "--crm.plugins-dir=" + plugins,
                "--crm.plugins.workflows.smtp.host=127.0.0.1", "--crm.plugins.workflows.smtp.port=" + smtp.port(),
                "--crm.plugins.workflows.tick=PT0.2S", "--crm.plugins.workflows.day-length=PT2S",
                "--crm.plugins.workflows.at-risk-winback.sender=shop@store.test");
        Path log = Path.of("target", "workflow-crash-e2e-server.log");
        try {
            List<String> ids = new ArrayList<>();
            try (CrmProcess server = CrmProcess.start(log, arguments)) {
                server.graphQl("mutation { enableWorkflow(name: \"at-risk-winback\", enabled: true) { enabled } }", Map.of());
                for (String name : CUSTOMERS) {
                    String id = (String) ((Map<String, Object>) server.graphQl("mutation($n: String!, $e: String!) {"
                            + " createCustomer(input: { fullName: $n, email: $e }) { id } }", Map.of("n", name, "e", email(name)))
                            .get("createCustomer")).get("id");
                    server.graphQl("mutation($c: ID!, $at: DateTime) { createSegmentChange(input: { customerId: $c, ruleSet: \"lifecycle\","
                            + " fromSegment: \"Active\", toSegment: \"At Risk\", changedAt: $at }) { id } }",
                            Map.of("c", id, "at", OffsetDateTime.now(ZoneOffset.UTC).toString()));
                    ids.add(id);
                }
                // Every run has sent its first email and waits: the server dies mid-sequence.
                await(() -> runs(server).stream().filter(r -> "WAITING".equals(r.get("state")) && ((Number) r.get("nextStep")).intValue() == 2)
                        .count() == CUSTOMERS.size());
                server.kill();
            }
            try (CrmProcess server = CrmProcess.start(log, arguments)) {
                await(() -> runs(server).stream().filter(r -> "SUCCEEDED".equals(r.get("state"))).count() == CUSTOMERS.size());
                for (Map<String, Object> run : runs(server)) {
                    assertThat((List<Map<String, Object>>) run.get("steps")).extracting(s -> s.get("action") + " " + s.get("state"))
                            .containsExactly("email SENT", "wait DONE", "email SENT", "wait DONE", "email SENT");
                }
                assertThat(runs(server)).extracting(r -> r.get("entry")).containsExactlyInAnyOrderElementsOf(ids);
            }
            for (String name : CUSTOMERS) {
                assertThat(smtp.subjects(email(name))).containsExactlyInAnyOrderElementsOf(
                        SUBJECTS.stream().map(s -> s.formatted(name)).toList());
            }
        } finally {
            smtp.close();
        }
    }

    private static String email(String name) {
        return name.toLowerCase().replace(' ', '.') + "@shop.test";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(CrmProcess server) {
        try {
            return (List<Map<String, Object>>) server.graphQl("{ workflowRuns(workflow: \"at-risk-winback\") { entry state nextStep"
                    + " steps { action state } } }", Map.of()).get("workflowRuns");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 90 s for the workflow runs").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
