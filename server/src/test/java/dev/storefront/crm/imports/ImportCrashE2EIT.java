package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chunk checkpoint against a real crash: the built server jar runs as a child process, is killed
 * with SIGKILL in the middle of an import, and started again on the same database file. The store
 * then holds exactly the committed chunks, the job says INTERRUPTED with the rows done and how to
 * resume, and {@code resumeImport(job:)} finishes the import from the stored file.
 */
class ImportCrashE2EIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ROWS = 200_000;
    private static final int CHUNK = 5_000;

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
        Path home = Files.createTempDirectory("crm-import-crash");
        Path database = home.resolve("crm.duckdb");
        Path csv = home.resolve("customers.csv");
        try (Writer out = Files.newBufferedWriter(csv)) {
            out.write("Email,Full Name,Lifetime Value\n");
            for (int i = 1; i <= ROWS; i++) {
                out.write("crash-" + i + "@example.com,Crash " + i + "," + value(i).toPlainString() + "\n");
            }
        }
        start(home, database);
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(uri("/imports/csv:customers")).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String job = JSON.readTree(accepted.body()).path("jobId").asString();

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
        assertThat(done).as("whole chunks only").isPositive().isLessThan(ROWS);
        assertThat(done % CHUNK).isZero();
        assertThat(interrupted.path("total").asInt()).isEqualTo(ROWS);
        assertThat(interrupted.path("message").asString()).isEqualTo("Importing: " + done + " of " + ROWS + " rows done (" + done
                + " created, 0 updated, 0 unchanged, 0 bad). The server stopped while the job ran; " + done + " of " + ROWS
                + " rows were committed at its last checkpoint; resumeImport(job: \"" + job + "\") continues with row " + (done + 1)
                + " from the stored file");
        assertStoreHoldsRows(done);

        JsonNode resumed = graphQl("mutation($id: ID!) { resumeImport(job: $id) { id state processed } }", Map.of("id", job))
                .path("data").path("resumeImport");
        assertThat(resumed.path("id").asString()).isEqualTo(job);
        assertThat(resumed.path("processed").asInt()).isEqualTo(done);
        JsonNode finished;
        do {
            Thread.sleep(100);
            finished = job(job);
            assertThat(System.nanoTime()).as("resumed import did not finish").isLessThan(deadline + Duration.ofMinutes(5).toNanos());
        } while (List.of("QUEUED", "RUNNING").contains(finished.path("state").asString()));
        assertThat(finished.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("processed").asInt()).isEqualTo(ROWS);
        assertThat(finished.path("message").asString()).isEqualTo("Imported " + ROWS + " of " + ROWS + " rows into customers;"
                + " 0 bad rows skipped; " + ROWS + " created, 0 updated, 0 unchanged; read as UTF-8, ','-separated");
        assertStoreHoldsRows(ROWS);
        try (Stream<Path> staged = Files.list(home.resolve("staging"))) {
            assertThat(staged.map(p -> p.getFileName().toString())).as("the stored upload goes once the import is done").isEmpty();
        }
        JsonNode again = graphQl("mutation($id: ID!) { resumeImport(job: $id) { id } }", Map.of("id", job));
        assertThat(again.path("errors").get(0).path("message").asString())
                .isEqualTo("Job " + job + " is SUCCEEDED: only an import that a stopped server interrupted can be resumed");
    }

    /** Lifetime value of row {@code i}: 0.00 to 999.99. */
    private static BigDecimal value(int i) {
        return BigDecimal.valueOf(i % 100_000, 2);
    }

    /** Exactly rows 1 to {@code rows} of the file: their count, the sum of their values, and the two around the boundary. */
    private void assertStoreHoldsRows(int rows) throws Exception {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 1; i <= rows; i++) {
            sum = sum.add(value(i));
        }
        JsonNode aggregate = graphQl("{ customersAggregate(where: { email: { startsWith: \"crash-\" } }) { count sum { lifetimeValue } } }",
                Map.of()).path("data").path("customersAggregate").get(0);
        assertThat(aggregate.path("count").asInt()).isEqualTo(rows);
        assertThat(new BigDecimal(aggregate.path("sum").path("lifetimeValue").asString())).isEqualByComparingTo(sum);
        JsonNode last = graphQl("query($e: String!) { customers(where: { email: { eq: $e } }) { nodes { fullName lifetimeValue } } }",
                Map.of("e", "crash-" + rows + "@example.com")).path("data").path("customers").path("nodes");
        assertThat(last.get(0).path("fullName").asString()).isEqualTo("Crash " + rows);
        assertThat(new BigDecimal(last.get(0).path("lifetimeValue").asString())).isEqualByComparingTo(value(rows));
        JsonNode next = graphQl("query($e: String!) { customers(where: { email: { eq: $e } }) { totalCount } }",
                Map.of("e", "crash-" + (rows + 1) + "@example.com")).path("data").path("customers");
        assertThat(next.path("totalCount").asInt()).isZero();
    }

    private JsonNode job(String id) throws Exception {
        return graphQl("query($id: ID!) { job(id: $id) { state processed total message } }", Map.of("id", id)).path("data").path("job");
    }

    private JsonNode graphQl(String query, Map<String, Object> variables) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query, "variables", variables))))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The jar the build just packaged, on {@code database}, with small chunks and no plugins. */
    private void start(Path home, Path database) throws Exception {
        port = freePort();
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-jar",
                Path.of("target/storefront-crm.jar").toAbsolutePath().toString(), "--crm.database=" + database,
                "--crm.schema-dir=" + Path.of("../schema").toAbsolutePath(), "--crm.plugins-dir=" + plugins,
                "--crm.imports.mappings-dir=" + home.resolve("mappings"), "--crm.imports.chunk-size=" + CHUNK,
                "--server.address=127.0.0.1", "--server.port=" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile())).start();
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
