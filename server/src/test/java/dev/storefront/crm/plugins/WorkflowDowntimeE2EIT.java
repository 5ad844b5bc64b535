package dev.storefront.crm.plugins;

import dev.storefront.crm.e2e.TestFolders;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the workflows owe survives the server dying, on the real jar killed with SIGKILL three times
 * over one database:
 * <ol>
 * <li>a customer is created (the write is acknowledged) while the worker has not yet passed, and the
 *     server is killed: after the restart the welcome run happens, once;</li>
 * <li>the server is killed while the welcome email is handed to a mail server that never answers: after
 *     the restart the email is UNKNOWN ("may not have been sent"), not sent again, until the store owner
 *     resends it, which sends it exactly once;</li>
 * <li>an order's review moment (a date trigger, 5 workflow days of 1 s after delivery) and a cron
 *     schedule's two firings pass while the server is down: the restarted server starts the review
 *     run once and makes up one firing (not one per missed moment), in the store's time zone;</li>
 * <li>a CSV import finishes while the worker is not passing, and the server is killed: the restarted
 *     server starts the import_finished run from the job's durable record, once.</li>
 * </ol>
 */
class WorkflowDowntimeE2EIT {

    private static final ZoneId STORE_ZONE = ZoneId.of("America/St_Johns");
    private static final String WELCOME = """
            name: kill-welcome
            trigger: {on: created, object: customers, where: {email: {endsWith: "@kill.test"}}}
            steps:
              - email: {to: "{{entry.email}}", from: shop@store.test, subject: "Hello {{entry.full_name}}", body: "Welcome!"}
            """;
    private static final String REVIEW = """
            name: kill-review
            trigger: {on: date, object: orders, field: delivered_at, days_after: 5}
            steps:
              - create: {object: support_tickets, values: {customer: "{{entry.customer}}", subject: "Review: {{entry.order_number}}"}}
            """;
    private static final String IMPORTED = """
            name: kill-import
            trigger: {on: import_finished, object: companies}
            steps:
              - create: {object: support_tickets, values: {subject: "Imported companies: {{run.key}}"}}
            """;

    @Test
    @SuppressWarnings("unchecked")
    void runsOwedWhenTheServerDiedHappenOnceAfterItsRestart() throws Exception {
        Mailbox smtp = new Mailbox();
        Path folder = TestFolders.create("crm-workflow-downtime");
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestPlugins.bundledJar("workflows"), plugins.resolve("workflows.jar"));
        Path log = Path.of("target", "workflow-downtime-e2e-server.log");
        try (SilentSmtp silent = new SilentSmtp()) {
            // 1. The worker passes once at start, then not for an hour: the acknowledged write's run has not started.
            String kay;
            String order;
            String importJob;
            List<String> cronCustomers = new ArrayList<>();
            try (CrmProcess server = CrmProcess.start(log, arguments(folder, plugins, "PT1H", silent.port()))) {
                for (String name : List.of("Cora Cron", "Cole Cron")) {
                    cronCustomers.add(id(server.graphQl("mutation($n: String!, $e: String!) { createCustomer(input: { fullName: $n,"
                            + " email: $e }) { id } }", Map.of("n", name, "e", name.split(" ")[0].toLowerCase() + "@cron.test")), "createCustomer"));
                }
                for (String workflow : List.of(WELCOME, REVIEW, IMPORTED)) {
                    String name = (String) ((Map<String, Object>) server.graphQl("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }",
                            Map.of("y", workflow)).get("saveWorkflow")).get("name");
                    server.graphQl("mutation($n: String!) { enableWorkflow(name: $n, enabled: true) { enabled } }", Map.of("n", name));
                }
                // Delivered now: its review moment comes 5 s later, while the server is down (the worker passes only at start).
                order = id(server.graphQl("mutation($c: ID!, $at: DateTime!) { createOrder(input: { orderNumber: \"K-1\", customerId: $c,"
                        + " totalAmount: 40, orderDate: $at, status: DELIVERED, deliveredAt: $at }) { id } }",
                        Map.of("c", cronCustomers.get(0), "at", OffsetDateTime.now(ZoneOffset.UTC).toString())), "createOrder");
                kay = id(server.graphQl("mutation { createCustomer(input: { fullName: \"Kay Kill\", email: \"kay@kill.test\" }) { id } }",
                        Map.of()), "createCustomer");
                // An import that ends while the worker is not passing: only the job's durable record tells of it after the kill.
                HttpResponse<String> upload = server.post("/imports/csv:companies", Map.of("Content-Type", "text/csv"),
                        "Company Name\nKill Import One\nKill Import Two\n".getBytes(StandardCharsets.UTF_8));
                assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
                String uploaded = (String) JsonMapper.builder().build().readValue(upload.body(), Map.class).get("jobId");
                await("the companies import to succeed", () -> "SUCCEEDED".equals(job(server, uploaded).get("state")));
                assertThat(job(server, uploaded)).containsEntry("processed", 2);
                importJob = uploaded;
                assertThat(runs(server, "kill-welcome")).isEmpty();
                assertThat(runs(server, "kill-review")).isEmpty();
                assertThat(runs(server, "kill-import")).isEmpty();
                assertThat(health(server, "kill-welcome")).containsEntry("pendingEvents", 1).containsEntry("pendingRuns", 0);
                server.kill();
            }

            // 2. Restarted, the worker starts Kay's run at once and hangs handing the email to a mail server that never answers.
            ZonedDateTime firstFiring;
            try (CrmProcess server = CrmProcess.start(log, arguments(folder, plugins, "PT0.2S", silent.port()))) {
                await("Kay's welcome email to be handed to the mail server", () -> runs(server, "kill-welcome").stream()
                        .anyMatch(r -> ((List<Map<String, Object>>) r.get("steps")).stream().anyMatch(s -> "SENDING".equals(s.get("state")))));
                // Two moments a little ahead on the store's clock (St. John's, UTC-03:30); the server will be down for both.
                // Both in one minute, as the schedule names one minute.
                firstFiring = ZonedDateTime.now(STORE_ZONE).plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
                if (firstFiring.getSecond() == 59) {
                    firstFiring = firstFiring.plusSeconds(1);
                }
                ZonedDateTime secondFiring = firstFiring.plusSeconds(1);
                server.graphQl("mutation($y: String!) { saveWorkflow(yaml: $y) { name } }", Map.of("y", """
                        name: cron-catch-up
                        trigger: {on: cron, cron: "%d,%d %d %d %d %d *", object: customers, where: {email: {endsWith: "@cron.test"}}}
                        steps:
                          - create: {object: support_tickets, values: {customer: "{{entry.id}}", subject: "Catch-up: {{entry.full_name}}"}}
                        """.formatted(firstFiring.getSecond(), secondFiring.getSecond(), firstFiring.getMinute(), firstFiring.getHour(),
                        firstFiring.getDayOfMonth(), firstFiring.getMonthValue())));
                server.graphQl("mutation { enableWorkflow(name: \"cron-catch-up\", enabled: true) { enabled } }", Map.of());
                server.kill();
                assertThat(ZonedDateTime.now(STORE_ZONE)).as("the server died before the first firing").isBefore(firstFiring);
                await("both firings to pass", () -> ZonedDateTime.now(STORE_ZONE).isAfter(secondFiring));
            }

            // 3. Restarted with a mail server that works.
            try (CrmProcess server = CrmProcess.start(log, arguments(folder, plugins, "PT0.2S", smtp.port()))) {
                await("Kay's run to be UNKNOWN", () -> runs(server, "kill-welcome").stream().anyMatch(r -> "UNKNOWN".equals(r.get("state"))));
                List<Map<String, Object>> runs = runs(server, "kill-welcome");
                assertThat(runs).hasSize(1);
                Map<String, Object> run = runs.get(0);
                Map<String, Object> step = ((List<Map<String, Object>>) run.get("steps")).get(0);
                assertThat(run).containsEntry("entry", kay).containsEntry("triggerEvent", "customers:" + number(kay) + ":created")
                        .containsEntry("error", "The server stopped while this email was being handed to the mail server: it may not have"
                                + " been sent. It is not sent again on its own; the mail server's log shows whether Message-ID "
                                + step.get("messageId") + " went out, and resendWorkflowEmail sends it once more.");
                assertThat(step).containsEntry("action", "email").containsEntry("state", "UNKNOWN").containsEntry("attempts", 1)
                        .containsEntry("detail", "to kay@kill.test: Hello Kay Kill");
                assertThat(health(server, "kill-welcome")).containsEntry("unknownEmails", 1).containsEntry("pendingRuns", 0)
                        .containsEntry("pendingEvents", 0).containsEntry("failedRuns", 0);

                // The catch-up: one firing made up for the two missed, a run per matching customer.
                await("the cron catch-up runs", () -> runs(server, "cron-catch-up").size() == 2
                        && runs(server, "cron-catch-up").stream().allMatch(r -> "SUCCEEDED".equals(r.get("state"))));
                String firing = firstFiring.toOffsetDateTime().toString();
                assertThat(runs(server, "cron-catch-up")).extracting(r -> r.get("entry") + " " + r.get("triggerEvent"))
                        .containsExactlyInAnyOrderElementsOf(cronCustomers.stream().map(c -> c + " customers:" + number(c) + ":cron:" + firing).toList());

                assertThat(smtp.to("kay@kill.test")).isEmpty();
                Map<String, Object> resent = (Map<String, Object>) server.graphQl("mutation($s: ID!) { resendWorkflowEmail(step: $s) { state } }",
                        Map.of("s", step.get("id"))).get("resendWorkflowEmail");
                assertThat(resent).containsEntry("state", "PENDING");
                await("the resent email", () -> runs(server, "kill-welcome").stream().anyMatch(r -> "SUCCEEDED".equals(r.get("state"))));
                List<MimeMessage> mails = smtp.to("kay@kill.test");
                assertThat(mails).hasSize(1);
                assertThat(mails.get(0).getSubject()).isEqualTo("Hello Kay Kill");
                Map<String, Object> sent = ((List<Map<String, Object>>) runs(server, "kill-welcome").get(0).get("steps")).get(0);
                assertThat(sent).containsEntry("state", "SENT").containsEntry("attempts", 2).containsEntry("messageId", mails.get(0).getMessageID());
                assertThat(sent.get("messageId")).isNotEqualTo(step.get("messageId"));
                assertThat(health(server, "kill-welcome")).containsEntry("unknownEmails", 0);

                await("the review run", () -> runs(server, "kill-review").stream().anyMatch(r -> "SUCCEEDED".equals(r.get("state"))));
                assertThat(runs(server, "kill-review")).extracting(r -> r.get("entry") + " " + r.get("triggerEvent"))
                        .containsExactly(order + " orders:" + number(order));

                // The import that finished before the kill starts its run, keyed by its job.
                await("the import run", () -> runs(server, "kill-import").stream().anyMatch(r -> "SUCCEEDED".equals(r.get("state"))));
                assertThat(runs(server, "kill-import")).extracting(r -> r.get("entry") + " " + r.get("triggerEvent"))
                        .containsExactly("null import:" + importJob);

                // Later passes start nothing more: each event, moment, firing and import once.
                String before = (String) health(server, "cron-catch-up").get("lastTriggerEvaluatedAt");
                await("two more worker passes", () -> !before.equals(health(server, "cron-catch-up").get("lastTriggerEvaluatedAt")));
                assertThat(runs(server, "kill-welcome")).hasSize(1);
                assertThat(runs(server, "cron-catch-up")).hasSize(2);
                assertThat(runs(server, "kill-review")).hasSize(1);
                assertThat(runs(server, "kill-import")).hasSize(1);
                assertThat(tickets(server)).containsExactlyInAnyOrder("Catch-up: Cora Cron", "Catch-up: Cole Cron", "Review: K-1",
                        "Imported companies: kill-import:import:" + importJob);
            }
        } finally {
            smtp.close();
        }
    }

    private static List<String> arguments(Path folder, Path plugins, String tick, int smtpPort) {
        return List.of("--crm.database=" + folder.resolve("crm.duckdb"), "--crm.schema-dir=" + Path.of("..", "schema").toAbsolutePath(),
                "--crm.plugins-dir=" + plugins, "--crm.timezone=" + STORE_ZONE.getId(),
                "--crm.plugins.workflows.smtp.host=127.0.0.1", "--crm.plugins.workflows.smtp.port=" + smtpPort,
                "--crm.plugins.workflows.tick=" + tick, "--crm.plugins.workflows.day-length=PT1S");
    }

    @SuppressWarnings("unchecked")
    private static String id(Map<String, Object> data, String field) {
        return (String) ((Map<String, Object>) data.get(field)).get("id");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(CrmProcess server, String workflow) {
        try {
            return (List<Map<String, Object>>) server.graphQl("query($w: String) { workflowRuns(workflow: $w) { id entry triggerEvent state"
                    + " error steps { id action state attempts messageId detail } } }", Map.of("w", workflow)).get("workflowRuns");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> job(CrmProcess server, String id) {
        try {
            return (Map<String, Object>) server.graphQl("query($id: ID!) { job(id: $id) { state processed } }", Map.of("id", id)).get("job");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> health(CrmProcess server, String workflow) {
        try {
            return ((List<Map<String, Object>>) server.graphQl("{ workflowHealth { workflow lastTriggerEvaluatedAt pendingRuns pendingEvents"
                    + " failedRuns unknownEmails } }", Map.of()).get("workflowHealth")).stream()
                    .filter(h -> workflow.equals(h.get("workflow"))).findFirst().orElseThrow();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> tickets(CrmProcess server) throws IOException, InterruptedException {
        Map<String, Object> connection = (Map<String, Object>) server.graphQl("{ supportTickets(first: 100) { nodes { subject } } }",
                Map.of()).get("supportTickets");
        return ((List<Map<String, Object>>) connection.get("nodes")).stream().map(t -> (String) t.get("subject")).toList();
    }

    private static long number(String globalId) {
        String decoded = new String(Base64.getUrlDecoder().decode(globalId), StandardCharsets.UTF_8);
        return Long.parseLong(decoded.substring(decoded.indexOf(':') + 1));
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 90 s for %s", what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A mail server that takes connections and never says a word: a send hangs until the server is killed. */
    private static final class SilentSmtp implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        SilentSmtp() throws IOException {
            Thread accepting = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-smtp");
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : held) {
                connection.close();
            }
        }
    }
}
