package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2EClient;
import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.CrmProcess;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chunk checkpoint against a real crash: the built server jar runs as a child process, is killed
 * with SIGKILL in the middle of an import, and started again on the same database file. The store
 * then holds exactly the committed chunks, the job says INTERRUPTED with the rows done and how to
 * resume, and {@code resumeImport(job:)} finishes the import from the stored file: for customers, and
 * for orders, whose customers' metrics then equal those of the whole file.
 */
class ImportCrashE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ROWS = 200_000;
    private static final int CHUNK = 5_000;
    private static final int CUSTOMERS = 1_000;
    /** Rows of the file whose resumed read is cancelled: ~90 MB, seconds to read. */
    private static final int LONG_ROWS = 600_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private Process server;
    private int port;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aKilledImportKeepsItsCommittedChunksAndResumesFromTheNextOne() throws Exception {
        Killed killed = killedCustomersImport("crash", "Crash ", ROWS, i -> value(i).toPlainString());
        String job = killed.job();
        int done = killed.done();
        JsonNode interrupted = job(job);
        assertThat(interrupted.path("message").asString()).isEqualTo("Importing: " + done + " of " + ROWS + " rows done (" + done
                + " created, 0 updated, 0 unchanged, 0 bad). The server stopped while the job ran; " + done + " of " + ROWS
                + " rows were committed at its last checkpoint; resumeImport(job: \"" + job + "\") continues with row " + (done + 1)
                + " from the stored file");
        assertStoreHoldsRows(done);

        JsonNode finished = resumeToTheEnd(job, done);
        assertThat(finished.path("message").asString()).isEqualTo("Imported " + ROWS + " of " + ROWS + " rows into customers;"
                + " 0 bad rows skipped; " + ROWS + " created, 0 updated, 0 unchanged; read as UTF-8, ','-separated");
        assertStoreHoldsRows(ROWS);
        try (Stream<Path> staged = Files.list(killed.home().resolve("staging"))) {
            assertThat(staged.map(p -> p.getFileName().toString())).as("the stored upload goes once the import is done").isEmpty();
        }
        JsonNode again = graphQl("mutation($id: ID!) { resumeImport(job: $id) { id } }", Map.of("id", job));
        assertThat(again.path("errors").get(0).path("message").asString())
                .isEqualTo("Job " + job + " is SUCCEEDED: only an import that a stopped server interrupted can be resumed");
    }

    /**
     * An orders import (customer by email) killed mid-way and resumed: the store holds exactly the
     * orders of the committed chunks, and after the resume every customer's counted orders and lifetime
     * value are those of the whole file, computed here from the file as an uninterrupted import sets them.
     */
    @Test
    void aKilledOrdersImportResumesToTheCustomersMetricsOfTheWholeFile() throws Exception {
        Path home = TestFolders.create("crm-import-crash-orders");
        Path database = home.resolve("crm.duckdb");
        Path customers = csv(home.resolve("customers.csv"), "Email,Full Name", CUSTOMERS, c -> "buyer-" + c + "@example.com,Buyer " + c);
        int[] counted = new int[CUSTOMERS + 1];
        BigDecimal[] value = new BigDecimal[CUSTOMERS + 1];
        Arrays.fill(value, new BigDecimal("0.00"));
        Path orders = csv(home.resolve("orders.csv"), "Order Number,Customer.Email,Order Date,Total Amount,Status", ROWS, i -> {
            int customer = 1 + (int) (i * 7L % CUSTOMERS);
            BigDecimal total = BigDecimal.valueOf(i % 50_000, 2);
            // Every tenth order is cancelled: it does not count (README, "The customer metrics").
            boolean cancelled = i % 10 == 0;
            if (!cancelled) {
                counted[customer]++;
                value[customer] = value[customer].add(total);
            }
            return "K-" + i + ",buyer-" + customer + "@example.com,2025-01-01T10:00:00Z," + total.toPlainString() + ","
                    + (cancelled ? "Cancelled" : "Delivered");
        });
        start(home, database);
        JsonNode customersImported = awaitEnd(upload("customers", customers));
        assertThat(customersImported.path("state").asString()).isEqualTo("SUCCEEDED");
        String job = upload("orders", orders);
        int done = killAfterThreeChunksAndRestart(home, database, job, ROWS);
        assertThat(ordersCount()).as("exactly the committed chunks' orders").isEqualTo(done);

        JsonNode finished = resumeToTheEnd(job, done);
        assertThat(finished.path("message").asString()).isEqualTo("Imported " + ROWS + " of " + ROWS + " rows into orders;"
                + " 0 bad rows skipped; " + ROWS + " created, 0 updated, 0 unchanged; read as UTF-8, ','-separated");
        assertThat(ordersCount()).isEqualTo(ROWS);
        JsonNode nodes = graphQl("{ customers(first: " + CUSTOMERS + ", where: { email: { startsWith: \"buyer-\" } }) { totalCount"
                + " nodes { email totalOrders lifetimeValue } } }", Map.of()).path("data").path("customers");
        assertThat(nodes.path("totalCount").asInt()).isEqualTo(CUSTOMERS);
        Map<String, String> actual = new TreeMap<>();
        nodes.path("nodes").forEach(c -> actual.put(c.path("email").asString(),
                c.path("totalOrders").asInt() + " orders, " + c.path("lifetimeValue").asString()));
        Map<String, String> expected = new TreeMap<>();
        for (int c = 1; c <= CUSTOMERS; c++) {
            expected.put("buyer-" + c + "@example.com", counted[c] + " orders, " + value[c].toPlainString());
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * A resumed import cancelled while its file is read again: the chunks committed before the crash stay, and
     * plugins hear of them once, as of any cancelled import (the job records count it among the finished imports).
     * The file is large enough (~90 MB) that the resumed read is still running when the cancel comes.
     */
    @Test
    void aResumedImportCancelledDuringItsReadKeepsItsChunksAndTellsPlugins() throws Exception {
        String padding = "x".repeat(120);
        Killed killed = killedCustomersImport("resumed", "Resumed ", LONG_ROWS, i -> padding);
        String job = killed.job();
        int done = killed.done();
        graphQl("mutation($id: ID!) { resumeImport(job: $id) { id } }", Map.of("id", job));
        graphQl("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", job));

        JsonNode cancelled = awaitEnd(job);
        assertThat(cancelled.path("state").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("processed").asInt()).isEqualTo(done);
        assertThat(cancelled.path("message").asString()).isEqualTo("Cancelled after " + done
                + " rows, before the file was read to its end; " + done + " created, 0 updated, 0 unchanged");
        JsonNode stored = graphQl("{ customersAggregate(where: { email: { startsWith: \"resumed-\" } }) { count } }", Map.of());
        assertThat(stored.path("data").path("customersAggregate").get(0).path("count").asInt()).isEqualTo(done);
        String expected = "customers " + job + " csv:customers outcome=CANCELLED cancelled=true created=" + done + " updated=0 unchanged=0 failed=0";
        assertThat(importLog(expected)).containsExactly(expected);
    }

    /**
     * A resumed import that fails (its stored upload found cut off inside a quote when read again) keeps the chunks committed
     * before the crash, and plugins hear of them: one event, FAILED (and not cancelled to a plugin reading only that), with their counts.
     */
    @Test
    void aResumedImportThatFailsTellsPluginsOfTheChunksCommittedBefore() throws Exception {
        Killed killed = killedCustomersImport("failed", "Failed ", ROWS, i -> value(i).toPlainString());
        String job = killed.job();
        int done = killed.done();
        try (Stream<Path> staged = Files.list(killed.home().resolve("staging"))) {
            Path upload = staged.filter(Files::isRegularFile).findFirst().orElseThrow();
            Files.writeString(upload, "cut@example.com,\"Cut off", java.nio.file.StandardOpenOption.APPEND);
        }
        graphQl("mutation($id: ID!) { resumeImport(job: $id) { id } }", Map.of("id", job));

        JsonNode failed = awaitEnd(job);
        assertThat(failed.path("state").asString()).isEqualTo("FAILED");
        assertThat(failed.path("processed").asInt()).isEqualTo(done);
        assertThat(failed.path("message").asString()).isEqualTo("Record " + (ROWS + 1) + ", which starts on line " + (ROWS + 2)
                + ", opens a quote on line " + (ROWS + 2) + " that is never closed: the file may be cut off. The " + done
                + " rows imported before the server stopped stay; nothing more was imported");
        JsonNode stored = graphQl("{ customersAggregate(where: { email: { startsWith: \"failed-\" } }) { count } }", Map.of());
        assertThat(stored.path("data").path("customersAggregate").get(0).path("count").asInt()).isEqualTo(done);
        String expected = "customers " + job + " csv:customers outcome=FAILED cancelled=false created=" + done + " updated=0 unchanged=0 failed=0";
        assertThat(importLog(expected)).containsExactly(expected);
    }

    /** The import log of {@link ImportLogPlugin} once it holds {@code expected}, or after 30 s. */
    private List<String> importLog(String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> log = new ArrayList<>();
        do {
            Thread.sleep(50);
            log.clear();
            graphQl("{ importLog }", Map.of()).path("data").path("importLog").forEach(line -> log.add(line.asString()));
        } while (!log.contains(expected) && System.nanoTime() < deadline);
        return log;
    }

    /** An import killed after three chunks, the server started again: its folder, job and rows committed. */
    private record Killed(Path home, String job, int done) {
    }

    /**
     * Imports customers {@code <prefix>-<i>@example.com}, named {@code <name><i>}, with notes {@code notes(i)}, {@code rows} of them,
     * and kills the server after three chunks ({@link #killAfterThreeChunksAndRestart}).
     */
    private Killed killedCustomersImport(String prefix, String name, int rows, IntFunction<String> notes) throws Exception {
        Path home = TestFolders.create("crm-import-crash-" + prefix);
        Path database = home.resolve("crm.duckdb");
        Path csv = csv(home.resolve("customers.csv"), "Email,Full Name,Notes", rows,
                i -> prefix + "-" + i + "@example.com," + name + i + "," + notes.apply(i));
        start(home, database);
        String job = upload("customers", csv);
        return new Killed(home, job, killAfterThreeChunksAndRestart(home, database, job, rows));
    }

    /**
     * Kills the server with SIGKILL once the import {@code job} has committed its third chunk, starts it
     * again on the same database and checks the job says INTERRUPTED with whole chunks done; returns them.
     */
    private int killAfterThreeChunksAndRestart(Path home, Path database, String job, int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (job(job).path("processed").asInt() < 3 * CHUNK) {
            assertThat(System.nanoTime()).as("import never got to its third chunk").isLessThan(deadline);
            Thread.sleep(10);
        }
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        start(home, database);
        JsonNode interrupted = job(job);
        int done = interrupted.path("processed").asInt();
        assertThat(interrupted.path("state").asString()).isEqualTo("INTERRUPTED");
        // The job shows a chunk's rows once it committed: a job seen at three chunks keeps them.
        assertThat(done).as("whole chunks, at least those committed before the kill").isGreaterThanOrEqualTo(3 * CHUNK).isLessThan(rows);
        assertThat(done % CHUNK).isZero();
        assertThat(interrupted.path("total").asInt()).isEqualTo(rows);
        return done;
    }

    /** Resumes the interrupted {@code job}, which had {@code done} rows, and waits until it succeeded. */
    private JsonNode resumeToTheEnd(String job, int done) throws Exception {
        JsonNode resumed = graphQl("mutation($id: ID!) { resumeImport(job: $id) { id state processed } }", Map.of("id", job))
                .path("data").path("resumeImport");
        assertThat(resumed.path("id").asString()).isEqualTo(job);
        assertThat(resumed.path("processed").asInt()).isEqualTo(done);
        JsonNode finished = awaitEnd(job);
        assertThat(finished.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("processed").asInt()).isEqualTo(ROWS);
        return finished;
    }

    private JsonNode awaitEnd(String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        JsonNode state;
        do {
            Thread.sleep(100);
            state = job(job);
            assertThat(System.nanoTime()).as("import " + job + " did not finish").isLessThan(deadline);
        } while (List.of("QUEUED", "RUNNING").contains(state.path("state").asString()));
        return state;
    }

    private String upload(String object, Path csv) throws Exception {
        HttpResponse<String> accepted = http.send(E2EClient.authorized(uri("/imports/csv:" + object)).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return JSON.readTree(accepted.body()).path("jobId").asString();
    }

    private int ordersCount() throws Exception {
        return graphQl("{ orders { totalCount } }", Map.of()).path("data").path("orders").path("totalCount").asInt();
    }

    /** Writes {@code header} and records 1 to {@code rows}, one line each, to {@code file}. */
    private static Path csv(Path file, String header, int rows, IntFunction<String> record) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write(header + "\n");
            for (int i = 1; i <= rows; i++) {
                out.write(record.apply(i) + "\n");
            }
        }
        return file;
    }

    /** Lifetime value of row {@code i}: 0.00 to 999.99. */
    private static BigDecimal value(int i) {
        return BigDecimal.valueOf(i % 100_000, 2);
    }

    /** Exactly rows 1 to {@code rows} of the file: their count and the two around the boundary. */
    private void assertStoreHoldsRows(int rows) throws Exception {
        // Notes carry each row's own value (Lifetime Value is computed by the CRM from orders, not imported).
        JsonNode aggregate = graphQl("{ customersAggregate(where: { email: { startsWith: \"crash-\" } }) { count } }",
                Map.of()).path("data").path("customersAggregate").get(0);
        assertThat(aggregate.path("count").asInt()).isEqualTo(rows);
        JsonNode last = graphQl("query($e: String!) { customers(where: { email: { eq: $e } }) { nodes { fullName notes } } }",
                Map.of("e", "crash-" + rows + "@example.com")).path("data").path("customers").path("nodes");
        assertThat(last.get(0).path("fullName").asString()).isEqualTo("Crash " + rows);
        assertThat(last.get(0).path("notes").asString()).isEqualTo(value(rows).toPlainString());
        JsonNode next = graphQl("query($e: String!) { customers(where: { email: { eq: $e } }) { totalCount } }",
                Map.of("e", "crash-" + (rows + 1) + "@example.com")).path("data").path("customers");
        assertThat(next.path("totalCount").asInt()).isZero();
    }

    private JsonNode job(String id) throws Exception {
        return graphQl("query($id: ID!) { job(id: $id) { state processed total message } }", Map.of("id", id)).path("data").path("job");
    }

    private JsonNode graphQl(String query, Map<String, Object> variables) throws Exception {
        HttpResponse<String> response = http.send(E2EClient.authorized(uri("/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query, "variables", variables))))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The jar the build just packaged, on {@code database}, with small chunks and one plugin: {@link ImportLogPlugin}. */
    private void start(Path home, Path database) throws Exception {
        port = freePort();
        Path plugins = home.resolve("plugins");
        if (!Files.isDirectory(plugins)) {
            ImportLogPlugin.buildInto(Files.createDirectories(plugins));
        }
        List<String> command = CrmProcess.java("-Xmx512m");
        command.addAll(List.of("--crm.database=" + database,
                "--crm.schema-dir=" + Path.of("../schema").toAbsolutePath(), "--crm.plugins-dir=" + plugins,
                "--crm.imports.mappings-dir=" + home.resolve("mappings"), "--crm.imports.chunk-size=" + CHUNK,
                "--crm.security.admin-key=" + E2EClient.ADMIN_KEY, "--crm.rate-limit.requests-per-second=1000000",
                "--crm.rate-limit.burst=1000000",
                "--server.address=127.0.0.1", "--server.port=" + port));
        server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            assertThat(server.isAlive()).as("server exited; see " + home.resolve("server.log")).isTrue();
            try {
                if (graphQl("{ __typename }", Map.of()).path("data").path("__typename").asString().equals("Query")) {
                    return;
                }
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("server not ready; see " + home.resolve("server.log")).isLessThan(deadline);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
